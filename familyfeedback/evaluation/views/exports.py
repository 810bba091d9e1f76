from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from familyfeedback.accounts import rate_limits
from familyfeedback.evaluation import actions
from familyfeedback.evaluation.access import get_trial_for


@require_POST
@rate_limits.limited("export")
def research_export(request: HttpRequest, trial_id: int) -> HttpResponse:
    """The trial's research export as a zip (docs/formats/research-export.md). A POST: it is
    audited, and a link followed by accident, or by another site, must not make one."""
    trial = get_trial_for(request.user, trial_id)
    try:
        data = actions.research_export_download(request.user, trial)
    except ValidationError as error:
        messages.error(request, error.message)
        return redirect(reverse("trial", args=[trial.pk]) + "#research-export")
    response = HttpResponse(data, content_type="application/zip")
    # Only the trial's number names the file: a download's name is kept in browsers' histories.
    response["Content-Disposition"] = (f'attachment; filename="research-export-trial-'
                                       f'{trial.pk}.zip"')
    return response
