from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from familyfeedback.evaluation import presenters
from familyfeedback.evaluation.access import get_trial_for, require_evaluator
from familyfeedback.evaluation.forms import PowerForm
from familyfeedback.lib.errors import error_summary


@require_safe
def power(request: HttpRequest) -> HttpResponse:
    """Minimum detectable effect for the next trial, and clusters needed for a target effect;
    from a trial's analysis page, its own estimates fill the boxes left empty."""
    require_evaluator(request.user)
    form = PowerForm(request.GET)
    pilot = None
    if form.is_valid() and form.cleaned_data["trial"]:
        trial = get_trial_for(request.user, form.cleaned_data["trial"])
        form.start_from(presenters.pilot_values(trial))
        pilot = presenters.pilot_plan(trial, form.values())
    result = presenters.power_figures(form.values()) if form.is_valid() else None
    return render(request, "evaluation/power.html", {
        "form": form, "values": form.values() if result else form.shown(), "result": result,
        "pilot": pilot, "errors": error_summary(form)})
