"""How many teams the next trial needs, worked out from this pilot's own data (the report's
section 3.6, "the recommended approach for further evaluation").

From the pilot:

* the intracluster correlation (ICC) of the outcome, from the BASELINE scores: they were given
  before any team was trained, so a difference the intervention made between the arms cannot
  inflate it. Clusters are the randomisation units (a team, or the teams randomised together),
  because the next trial randomises those. One-way ANOVA estimator with Searle's interval
  (stats.icc).
* the correlation between the same practitioners' baseline and endline scores, pooled over
  both arms (stats.correlation, Fisher-z interval). Pooling over arms is conservative: an arm
  difference at endline is variance the baseline cannot explain, so it can only lower r.

Then the cluster power calculation (stats.cluster_power) for a two-arm trial with equal arms
and an analysis adjusted for the baseline (ANCOVA: variance × (1 − r²)), with the t
multiplier on the cluster-level degrees of freedom (2k − 3 adjusted, 2k − 2 not), the one to
plan with when clusters are few — at the estimates and at every pairing of the ends of the two
intervals, so that the evaluator sees how much the plan rests on a small pilot.

Scores are those of analysis.report() (analysis.practitioner_scores): complete answers only,
practitioners in the two arms.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from familyfeedback.evaluation import analysis
from familyfeedback.evaluation.models import Trial
from familyfeedback.measures.surveys import get_survey_measure
from familyfeedback.stats.cluster_power import (
    MIN_CLUSTERS_PER_ARM,
    correlation_range,
    scenarios,
)
from familyfeedback.stats.correlation import pearson
from familyfeedback.stats.icc import anova_icc

METHOD = "t"


def _clusters(trial: Trial, rows: list[dict], wave: str) -> dict[str, dict[str, float]]:
    """{unit: {practitioner: score}} at one wave."""
    unit_of = {team: unit or team
               for team, unit in trial.teams.values_list("team_code", "unit_code")}
    clusters: dict[str, dict[str, float]] = defaultdict(dict)
    for row in rows:
        if row["wave"] == wave:
            clusters[unit_of[row["team"]]][row["practitioner"]] = row["score"]
    return clusters


def _arm_counts(trial: Trial, units: set[str]) -> dict[str, int]:
    arm_of = {unit or team: arm
              for team, unit, arm in trial.teams.values_list("team_code", "unit_code", "arm")}
    return dict(sorted(Counter(arm_of[u] for u in units).items()))


def _scenario_dict(s) -> dict:
    return {"icc_at": s.icc_at, "correlation_at": s.correlation_at, "icc": s.icc,
            "correlation": s.correlation, "clusters_per_arm": s.clusters_needed,
            "teams": 2 * s.clusters_needed, "mdes": s.mdes}


def recommend(trial: Trial, *, effect: float = 0.5, alpha: float = 0.05, power: float = 0.8,
              measure: str = "wai", confidence: float = 0.95, per_cluster: float | None = None,
              clusters_per_arm: int | None = None) -> dict[str, Any]:
    """The pilot's estimates and the next trial's size for a standardised `effect` (difference
    in means over the outcome's SD), two-sided test at `alpha`, at `power`. Plain JSON-ready
    values (str, int, float, bool, None; never NaN). Raises ValueError for a measure the
    analysis does not score or an effect, alpha or power the power calculation refuses.

    Keys:

    * measure, measure_name: the outcome (e.g. "wai", "Working alliance").
    * effect, alpha, power, confidence, method: what was asked; method is "t" (see above).
    * clusters: randomisation units with a baseline score; clusters_by_arm: {arm: units}.
    * people: practitioners with a baseline score; mean_cluster_size: people / clusters.
    * icc: {"estimate", "ci_low", "ci_high", "anova", "truncated", "n0", "wave"} — estimate and
      ends truncated at 0 (anova is the untruncated value; truncated says it was negative);
      n0 the ANOVA's cluster size for unequal clusters; wave "baseline". Values None where the
      pilot cannot give them.
    * correlation: {"n_pairs", "estimate", "ci_low", "ci_high"}: Pearson's r of baseline and
      endline, None where it cannot be estimated (the interval needs 4 pairs).
    * per_cluster: the cluster size m planned with: as given, or the mean number per cluster
      scored at both baseline and endline (the people an adjusted analysis keeps; at baseline
      if nobody was scored at both). None with no data.
    * clusters_per_arm: the clusters per arm the MDES figures are for: as given, or half the
      pilot's clusters (at least 2) — what a trial of the pilot's size could detect.
    * at_estimates: the plan at the ICC and r estimates, a scenario (below), or None.
    * unadjusted: the same without the baseline adjustment (correlation None), or None.
    * scenarios: every pairing of the ICC at "low" / "estimate" / "high" (its interval's ends)
      with r at "weakest" / "estimate" / "strongest" (correlation_range: the interval's value
      nearest 0 and farthest from it, as power depends on r²); without r's interval,
      correlation_at is None and the analysis unadjusted. Each scenario: icc_at,
      correlation_at, icc, correlation, clusters_per_arm (needed to detect the effect), teams
      (the two arms together), mdes (with clusters_per_arm above). [] when the ICC cannot be
      estimated.
    * teams_range: {"fewest", "most"} teams over the scenarios, or None.
    * notes: plain-English sentences for the report: what could not be estimated and why, a
      truncated ICC, how little a small pilot pins the ICC down.
    """
    if measure not in analysis.MEASURES:
        raise ValueError(f"{measure!r} is not a measure the analysis scores")
    rows = analysis.practitioner_scores(trial, measure)
    baseline, endline = _clusters(trial, rows, "baseline"), _clusters(trial, rows, "endline")
    icc = anova_icc([list(c.values()) for c in baseline.values()], confidence)
    pairs = [(before[p], endline[unit][p]) for unit, before in baseline.items()
             for p in sorted(before) if p in endline.get(unit, {})]
    r = pearson([b for b, _ in pairs], [a for _, a in pairs], confidence)

    k = len(baseline)
    people = sum(len(c) for c in baseline.values())
    if per_cluster is None and people:
        paired_units = {u for u, c in baseline.items() if any(p in endline.get(u, {}) for p in c)}
        per_cluster = len(pairs) / len(paired_units) if pairs else people / k
    if clusters_per_arm is None:
        clusters_per_arm = max(MIN_CLUSTERS_PER_ARM, k // 2)

    plan: list[dict] = []
    at_estimates = unadjusted = None
    if icc.icc is not None:
        iccs = {"low": icc.ci_low, "estimate": icc.icc, "high": icc.ci_high}
        correlations = (correlation_range(r.r, r.ci_low, r.ci_high) if r.ci_low is not None
                        else None)
        plan = [_scenario_dict(s) for s in scenarios(effect, clusters_per_arm, per_cluster, iccs,
                                                     correlations, alpha, power, method=METHOD)]
        at_estimates = next(s for s in plan if s["icc_at"] == "estimate"
                            and s["correlation_at"] in ("estimate", None))
        unadjusted = _scenario_dict(next(iter(scenarios(
            effect, clusters_per_arm, per_cluster, {"estimate": icc.icc}, None, alpha, power,
            method=METHOD))))
    teams = [s["teams"] for s in plan]
    return {
        "measure": measure, "measure_name": get_survey_measure(measure).short_name,
        "effect": effect, "alpha": alpha, "power": power, "confidence": confidence,
        "method": METHOD,
        "clusters": k, "clusters_by_arm": _arm_counts(trial, set(baseline)), "people": people,
        "mean_cluster_size": people / k if k else None,
        "icc": {"estimate": icc.icc, "ci_low": icc.ci_low, "ci_high": icc.ci_high,
                "anova": icc.anova, "truncated": icc.truncated, "n0": icc.n0,
                "wave": "baseline"},
        "correlation": {"n_pairs": r.n, "estimate": r.r, "ci_low": r.ci_low,
                        "ci_high": r.ci_high},
        "per_cluster": per_cluster, "clusters_per_arm": clusters_per_arm,
        "at_estimates": at_estimates, "unadjusted": unadjusted, "scenarios": plan,
        "teams_range": {"fewest": min(teams), "most": max(teams)} if teams else None,
        "notes": _notes(icc, r, k, confidence, plan),
    }


def _notes(icc, r, k: int, confidence: float, plan: list[dict]) -> list[str]:
    pct = f"{confidence:.0%}"
    notes = []
    if icc.icc is None:
        notes.append(f"{icc.reason} So this pilot cannot say how many teams the next trial "
                     "needs: take an ICC from a similar study and use the power calculator.")
    elif icc.truncated:
        notes.append(f"The ANOVA estimate of the ICC was negative ({icc.anova:.3f}): the teams "
                     "differed less than chance alone would make them, so it is taken as 0.")
    if icc.icc is not None:
        notes.append(f"The ICC comes from {k} clusters ({pct} CI {icc.ci_low:.2f} to "
                     f"{icc.ci_high:.2f}): with few clusters it is imprecise, so plan with the "
                     "upper end unless other studies suggest a smaller one.")
    if r.r is None or r.ci_low is None:
        notes.append(f"{r.reason} The plan therefore does not adjust for the baseline score.")
    else:
        notes.append("The baseline-endline correlation treats practitioners as independent; "
                     "with practitioners clustered in teams its interval is somewhat too "
                     "narrow.")
    if plan:
        most = max(plan, key=lambda s: s["teams"])
        fewest = min(plan, key=lambda s: s["teams"])
        if most["teams"] != fewest["teams"]:
            notes.append(f"Across the {pct} intervals the next trial needs from "
                         f"{fewest['teams']} to {most['teams']} teams in all.")
    return notes
