from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from familyfeedback.evaluation import analysis
from familyfeedback.evaluation.access import get_trial_for

SECTIONS = [
    ("response_rates", "Responses by team and wave"),
    ("scales", "Outcome measures by arm and wave"),
    ("within_arm_change", "Change from baseline to endline within each arm (paired t-test)"),
    ("between_arm_change", "Change compared between arms (t-tests on the change scores)"),
    ("training_by_role", "Practitioners in intervention teams: trained and using the tools"),
    ("usage_by_month", "Use of the ORS and SRS by month"),
    ("reach", "Children and adults who completed each tool"),
    ("completions_per_person", "Completions per person"),
]


def cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.3g}"
    return str(value)


@require_safe
def trial_analysis(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    report = analysis.report(trial)
    tables = []
    for key, caption in SECTIONS:
        rows = report[key]
        headers = list(rows[0]) if rows else []
        tables.append({"key": key, "caption": caption, "headers": headers,
                       "rows": [[cell(row[h]) for h in headers] for row in rows]})
    return render(request, "evaluation/analysis.html", {
        "trial": trial, "tables": tables, "questions": report["questions"],
        "flags": analysis.ceiling_flags(report),
        "reliability": analysis.reliability(trial),
    })
