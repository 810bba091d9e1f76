"""Exchange with qualitative tools: a trial's codebook and project downloaded as REFI-QDA files,
and such files from NVivo, ATLAS.ti, MAXQDA or QualCoder imported (docs/formats/refi-qda.md)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.accounts import rate_limits
from familyfeedback.evaluation import actions, presenters
from familyfeedback.evaluation.access import get_trial_for
from familyfeedback.evaluation.forms import RefiQdaForm
from familyfeedback.evaluation.models import Trial
from familyfeedback.lib.sent import Sent, saved

FILES = {"codebook": ("qdc", "application/xml"), "project": ("qdpx", "application/zip")}


@require_http_methods(["GET", "HEAD", "POST"])
def refi_qda(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    posted = request.method == "POST"
    form = RefiQdaForm(request.POST if posted else None, request.FILES if posted else None)
    sent = Sent(form, lambda: actions.import_refi_qda(request.user, trial,
                                                      form.cleaned_data["file"]),
                refused_on="file")
    if sent.done:
        return saved(request, presenters.refi_qda_imported(sent.result), "refi_qda",
                     trial_id=trial.pk)
    return render(request, "evaluation/refi_qda.html",
                  {**presenters.refi_qda_page(trial, form), "errors": sent.errors})


@require_safe
@rate_limits.limited("export")
def refi_qda_codebook(request: HttpRequest, trial_id: int) -> HttpResponse:
    return _download(request, get_trial_for(request.user, trial_id), "codebook")


@require_safe
@rate_limits.limited("export")
def refi_qda_project(request: HttpRequest, trial_id: int) -> HttpResponse:
    return _download(request, get_trial_for(request.user, trial_id), "project")


def _download(request: HttpRequest, trial: Trial, kind: str) -> HttpResponse:
    try:
        data = actions.export_refi_qda(request.user, trial, kind)
    except ValidationError as error:
        messages.error(request, error.message)
        return redirect("refi_qda", trial_id=trial.pk)
    extension, content_type = FILES[kind]
    response = HttpResponse(data, content_type=content_type)
    # The trial's name, made safe for a header: no quotes or line breaks can reach it.
    name = slugify(trial.name) or f"trial-{trial.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}-{kind}.{extension}"'
    return response
