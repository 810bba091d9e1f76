from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from familyfeedback import reporting
from familyfeedback.evaluation import presenters
from familyfeedback.evaluation.access import get_trial_for


@require_safe
@reporting.reads()
def trial_analysis(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    return render(request, "evaluation/analysis.html", presenters.analysis_page(trial))
