from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from familyfeedback.evaluation.access import trials_for
from familyfeedback.stats import cluster_power


@require_GET
def power(request: HttpRequest) -> HttpResponse:
    """Minimum detectable effect for the next trial, and clusters needed for a target effect."""
    trials_for(request.user)  # evaluators only
    values, problems = {}, []
    fields = {"clusters": (int, 2, 10), "per_cluster": (int, 1, 10), "icc": (float, 0, 0.05),
              "alpha": (float, 0.001, 0.05), "power": (float, 0.5, 0.8),
              "effect": (float, 0.01, 0.5)}
    for name, (kind, lowest, default) in fields.items():
        raw = request.GET.get(name, "")
        try:
            values[name] = kind(raw) if raw else default
            if values[name] < lowest:
                raise ValueError
        except ValueError:
            problems.append({"text": f"Enter a {'whole ' if kind is int else ''}number of at "
                                     f"least {lowest} for {name.replace('_', ' ')}",
                             "href": f"#{name}"})
            values[name] = default
    result = None
    if not problems:
        result = {
            "design_effect": cluster_power.design_effect(values["per_cluster"], values["icc"]),
            "mdes": cluster_power.mdes(values["clusters"], values["per_cluster"], values["icc"],
                                       values["alpha"], values["power"]),
            "mdes_t": cluster_power.mdes(values["clusters"], values["per_cluster"],
                                         values["icc"], values["alpha"], values["power"],
                                         method="t"),
            "clusters_needed": cluster_power.clusters_needed(
                values["effect"], values["per_cluster"], values["icc"], values["alpha"],
                values["power"], method="t"),
        }
    return render(request, "evaluation/power.html",
                  {"values": values, "result": result, "errors": problems})
