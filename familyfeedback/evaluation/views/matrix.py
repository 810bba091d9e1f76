"""The framework matrix: participants by themes, each cell the evaluator's summary of what the
participant said on the theme, with the passages coded there; filtered by research question,
arm and role, and downloaded as a spreadsheet with the same filters."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.accounts import rate_limits
from familyfeedback.evaluation import actions, presenters
from familyfeedback.evaluation.access import get_matrix_place_for, get_trial_for
from familyfeedback.evaluation.forms import MatrixCellForm
from familyfeedback.lib.sent import Sent, saved


@require_safe
def framework_matrix(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    actions.log_view(request.user, "matrix.view", trial)
    form = presenters.matrix_filters(trial, request.GET)
    return render(request, "evaluation/matrix.html", presenters.matrix_page(trial, form))


@require_safe
@rate_limits.limited("export")
def matrix_download(request: HttpRequest, trial_id: int) -> HttpResponse:
    """The matrix as filtered, as an Excel workbook; refused filters show the page's messages."""
    trial = get_trial_for(request.user, trial_id)
    form = presenters.matrix_filters(trial, request.GET)
    if not form.is_valid():
        return render(request, "evaluation/matrix.html", presenters.matrix_page(trial, form))
    matrix = presenters.framework_matrix(trial, form.filters(), with_text=True)
    actions.record_matrix_download(request.user, trial, form.filters())
    response = HttpResponse(presenters.matrix_workbook(matrix), content_type=presenters.XLSX)
    response["Content-Disposition"] = f'attachment; filename="framework-matrix-{trial.pk}.xlsx"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def matrix_cell(request: HttpRequest, trial_id: int, respondent_id: int,
                theme_id: int) -> HttpResponse:
    """One participant on one theme: the passages coded there and the evaluator's summary. The
    matrix's filters ride along in the query string, to go back to the matrix as it was."""
    participant, theme = get_matrix_place_for(request.user, trial_id, respondent_id, theme_id)
    if request.method != "POST":
        actions.log_view(request.user, "matrix_cell.view", participant)
    form = MatrixCellForm(request.POST if request.method == "POST" else None,
                          record=actions.matrix_cell_values(participant, theme))
    sent = Sent(form, lambda: actions.save_matrix_summary(request.user, participant, theme,
                                                          **form.edit()),
                refused_on="summary", labels={"summary": "Summary"})
    query = presenters.matrix_query(presenters.matrix_filters(participant.trial, request.GET))
    if sent.done:
        back = reverse("framework_matrix", args=[trial_id]) + (f"?{query}" if query else "")
        return saved(request, f"Summary saved for {participant.practitioner_code} on "
                              f"{theme.name}", f"{back}#participant-{participant.pk}")
    return render(request, "evaluation/matrix_cell.html", {
        **presenters.matrix_cell_page(participant, theme, query),
        "form": sent.form, "changed": sent.changed, "errors": sent.errors})
