from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from familyfeedback.evaluation.access import trials_for
from familyfeedback.evaluation.forms import PowerForm
from familyfeedback.lib.errors import error_summary
from familyfeedback.stats import cluster_power


@require_safe
def power(request: HttpRequest) -> HttpResponse:
    """Minimum detectable effect for the next trial, and clusters needed for a target effect."""
    trials_for(request.user)  # evaluators only
    form = PowerForm(request.GET)
    result = None
    if form.is_valid():
        v = form.values()
        result = {
            "design_effect": cluster_power.design_effect(v["per_cluster"], v["icc"]),
            "mdes": cluster_power.mdes(v["clusters"], v["per_cluster"], v["icc"], v["alpha"],
                                       v["power"]),
            "mdes_t": cluster_power.mdes(v["clusters"], v["per_cluster"], v["icc"], v["alpha"],
                                         v["power"], method="t"),
            "clusters_needed": cluster_power.clusters_needed(
                v["effect"], v["per_cluster"], v["icc"], v["alpha"], v["power"], method="t"),
        }
    return render(request, "evaluation/power.html", {
        "form": form, "values": form.values() if result else form.shown(), "result": result,
        "errors": error_summary(form)})
