from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.accounts import rate_limits
from familyfeedback.evaluation import actions, presenters
from familyfeedback.evaluation.access import get_research_question_for, get_trial_for
from familyfeedback.evaluation.forms import FindingForm, quote_places
from familyfeedback.lib.sent import Sent, saved

FINDING_LABELS = {"text": "Text", "quotes": "Quotes picked (their codings, in order)"}


@require_safe
def trial_report(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    return render(request, "evaluation/report.html",
                  presenters.report_page(trial))


@require_safe
@rate_limits.limited("export")
def report_pdf(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    response = HttpResponse(presenters.report_pdf(trial), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evaluation-report-{trial.pk}.pdf"'
    return response


def _finding_page(request: HttpRequest, trial, question, codings: list) -> HttpResponse:
    values = presenters.finding_values(trial, question)
    form = FindingForm(request.POST if request.method == "POST" else None, record=values,
                       initial=quote_places(values["quotes"]), codings=codings)
    sent = Sent(form, lambda: actions.save_finding(
        request.user, trial, question, **form.edit(), allowed={c.pk for c in codings}),
        labels=FINDING_LABELS)
    if sent.done:
        where = f"Section {question.number}" if question else "The limitations"
        return saved(request, f"{where} saved", "trial_report", trial_id=trial.pk)
    return render(request, "evaluation/finding.html", presenters.finding_page(
        trial, question, sent.form, sent.changed, sent.errors))


@require_http_methods(["GET", "HEAD", "POST"])
def report_finding(request: HttpRequest, trial_id: int, number: str) -> HttpResponse:
    question = get_research_question_for(request.user, trial_id, number)
    return _finding_page(request, question.trial, question,
                         presenters.quotable(question.trial, question))


@require_http_methods(["GET", "HEAD", "POST"])
def report_limitations(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    return _finding_page(request, trial, None, [])
