from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from familyfeedback.evaluation import presenters
from familyfeedback.evaluation.access import require_evaluator
from familyfeedback.evaluation.forms import PowerForm
from familyfeedback.lib.errors import error_summary


@require_safe
def power(request: HttpRequest) -> HttpResponse:
    """Minimum detectable effect for the next trial, and clusters needed for a target effect."""
    require_evaluator(request.user)
    form = PowerForm(request.GET)
    result = presenters.power_figures(form.values()) if form.is_valid() else None
    return render(request, "evaluation/power.html", {
        "form": form, "values": form.values() if result else form.shown(), "result": result,
        "errors": error_summary(form)})
