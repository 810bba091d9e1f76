"""The next trial's size from a small pilot's own data, every estimate worked out by hand.

The pilot: four teams, each its own randomisation unit — I1, I2 (intervention), C1, C2
(comparison) — and X1, never randomised (left out, as in the analysis). Working alliance (wai)
totals:

    team  baseline          endline
    I1    P01 36, P02 44, P03 52    P01 40, P02 44, P03 60
    I2    P04 48, P05 56            P04 50, P05 60
    C1    P06 52, P07 60, P08 68    P06 56, P07 60, P08 70
    C2    P09 38, P10 46            (no endline); P11 answers 11 of 12 items: no score
"""

import json
import math

import pytest

from familyfeedback.evaluation import actions, analysis
from familyfeedback.evaluation.models import Response, Trial, TrialPractitioner, TrialTeam
from familyfeedback.evaluation.next_trial import recommend
from familyfeedback.evaluation.report import presenter, reading
from familyfeedback.stats.cluster_power import clusters_needed, mdes
from tests.evaluation.test_analysis import wai_answers

BASELINE = {"P01": 36, "P02": 44, "P03": 52, "P04": 48, "P05": 56, "P06": 52, "P07": 60,
            "P08": 68, "P09": 38, "P10": 46}
ENDLINE = {"P01": 40, "P02": 44, "P03": 60, "P04": 50, "P05": 60, "P06": 56, "P07": 60,
           "P08": 70}
TEAMS = {"I1": ("intervention", ["P01", "P02", "P03"]), "I2": ("intervention", ["P04", "P05"]),
         "C1": ("comparison", ["P06", "P07", "P08"]), "C2": ("comparison", ["P09", "P10", "P11"]),
         "X1": ("", ["P12"])}
Z975 = 1.959963984540054


def build(name="Pilot", teams=TEAMS, baseline=BASELINE, endline=ENDLINE, units=None) -> Trial:
    trial = Trial.objects.create(name=name)
    people = {}
    for code, (arm, members) in teams.items():
        team = TrialTeam.objects.create(trial=trial, team_code=code, team_name=code, arm=arm,
                                        unit_code=(units or {}).get(code, ""))
        for pid in members:
            people[pid] = TrialPractitioner.objects.create(
                trial=trial, practitioner_code=pid, team=team, role="fsw")
    answers = [(pid, "baseline", wai_answers(total)) for pid, total in baseline.items()]
    answers += [(pid, "endline", wai_answers(total)) for pid, total in endline.items()]
    partial = wai_answers(50)
    del partial["wai_12"]
    answers += [("P11", "baseline", partial), ("P12", "baseline", wai_answers(80))]
    Response.objects.bulk_create([
        Response(trial=trial, respondent=people[pid], wave=wave, item=item, value=str(value))
        for pid, wave, given in answers if pid in people for item, value in given.items()])
    return trial


@pytest.fixture
def pilot(db):
    return build()


# ICC from the baseline, clusters I1, I2, C1, C2 (X1 not randomised, P11 not scored):
# means 44, 52, 60, 42; N = 10, grand mean 500 / 10 = 50.
# SSB = 3·36 + 2·4 + 3·100 + 2·64 = 544, MSB = 544 / 3. SSW = 128 + 32 + 128 + 32 = 320,
# MSW = 320 / 6. F = 3.4. n0 = (10 − 26/10) / 3 = 37/15.
# ICC = (3.4 − 1) / (3.4 + 37/15 − 1) = (36/15) / (73/15) = 36/73 = 0.493151.
ICC = 36 / 73
N0 = 37 / 15
# r over the 8 pairs: baseline − 52: −16 −8 0 −4 4 0 8 16; endline − 55: −15 −11 5 −5 5 1 5 15.
# Sxy = 648, Sxx = 672, Syy = 672: r = 648 / 672 = 27/28. atanh(27/28) = ½ ln(55) = 2.003619.
R = 27 / 28
# m = 8 pairs over the 3 units with a pair = 8/3.
M = 8 / 3


def test_the_scores_helper_gives_each_practitioners_scores_by_team(pilot):
    rows = analysis.practitioner_scores(pilot, "wai")
    assert {(r["practitioner"], r["wave"]): r["score"] for r in rows} == {
        **{(p, "baseline"): v for p, v in BASELINE.items()},
        **{(p, "endline"): v for p, v in ENDLINE.items()}}
    assert {r["team"] for r in rows if r["practitioner"] == "P09"} == {"C2"}
    assert {r["arm"] for r in rows if r["team"] == "I1"} == {"intervention"}


def test_the_icc_is_the_baseline_anova_estimate_worked_out_by_hand(pilot):
    result = recommend(pilot)
    assert (result["clusters"], result["people"]) == (4, 10)
    assert result["clusters_by_arm"] == {"comparison": 2, "intervention": 2}
    assert result["mean_cluster_size"] == 2.5
    icc = result["icc"]
    assert icc["estimate"] == pytest.approx(ICC, rel=1e-12)
    assert icc["n0"] == pytest.approx(N0, rel=1e-12)
    assert not icc["truncated"] and icc["wave"] == "baseline"
    assert 0 <= icc["ci_low"] < ICC < icc["ci_high"] < 1


def test_the_correlation_and_its_fisher_interval_are_worked_out_by_hand(pilot):
    r = recommend(pilot)["correlation"]
    assert r["n_pairs"] == 8
    assert r["estimate"] == pytest.approx(R, rel=1e-12)
    z, half = 0.5 * math.log(55), Z975 / math.sqrt(5)
    assert r["ci_low"] == pytest.approx(math.tanh(z - half), rel=1e-9)
    assert r["ci_high"] == pytest.approx(math.tanh(z + half), rel=1e-9)


def test_the_teams_needed_follow_from_the_estimates(pilot):
    result = recommend(pilot, effect=0.5)
    assert result["per_cluster"] == pytest.approx(M)
    assert result["clusters_per_arm"] == 2
    plan = result["at_estimates"]
    assert (plan["icc_at"], plan["correlation_at"]) == ("estimate", "estimate")
    k = clusters_needed(0.5, M, ICC, method="t", correlation=R)
    assert plan["clusters_per_arm"] == k and plan["teams"] == 2 * k
    assert plan["mdes"] == pytest.approx(mdes(2, M, ICC, method="t", correlation=R))
    # By hand, normal multiplier: 2.801585² · 2 · (1 + (5/3) · 36/73) · (1 − (27/28)²)
    # / ((8/3) · 0.25) = 7.848879 · 2 · 1.821918 · 0.070153 / 0.666667 = 3.0095: 4 per arm;
    # the t multiplier on few clusters needs more.
    assert clusters_needed(0.5, M, ICC, correlation=R) == 4
    assert k >= 4
    unadjusted = result["unadjusted"]
    assert unadjusted["correlation"] is None
    assert unadjusted["clusters_per_arm"] == clusters_needed(0.5, M, ICC, method="t")
    assert unadjusted["teams"] > plan["teams"]


def test_the_plan_shows_the_uncertainty_in_both_estimates(pilot):
    result = recommend(pilot, effect=0.5)
    cells = {(s["icc_at"], s["correlation_at"]): s for s in result["scenarios"]}
    assert len(cells) == 9
    worst, best = cells[("high", "weakest")], cells[("low", "strongest")]
    assert worst["icc"] == result["icc"]["ci_high"]
    assert worst["correlation"] == result["correlation"]["ci_low"]  # the interval is above 0
    assert best["correlation"] == result["correlation"]["ci_high"]
    assert worst["teams"] >= result["at_estimates"]["teams"] >= best["teams"]
    assert result["teams_range"] == {"fewest": best["teams"], "most": worst["teams"]}
    assert any(f"from {best['teams']} to {worst['teams']} teams" in note
               for note in result["notes"])


def test_the_randomisation_unit_is_the_cluster(db):
    # I2 and C2 as one unit would not be randomisable; instead I1 and I2 share unit "N".
    trial = build(units={"I1": "N", "I2": "N"})
    result = recommend(trial)
    assert result["clusters"] == 3
    assert result["clusters_by_arm"] == {"comparison": 2, "intervention": 1}


def test_a_negative_icc_is_taken_as_zero_and_the_notes_say_so(db):
    # Two teams with the same mean (50): MSB = 0, F = 0, the ANOVA estimate −1 / (n0 − 1) < 0.
    teams = {"I1": ("intervention", ["P01", "P02"]), "C1": ("comparison", ["P03", "P04"])}
    trial = build(teams=teams, baseline={"P01": 40, "P02": 60, "P03": 45, "P04": 55},
                  endline={})
    result = recommend(trial)
    assert result["icc"]["estimate"] == 0 and result["icc"]["truncated"]
    assert result["icc"]["anova"] == pytest.approx(-1)
    assert any("negative" in note for note in result["notes"])
    # Nobody scored at endline: no correlation, an unadjusted plan on the baseline's size.
    assert result["correlation"]["estimate"] is None
    assert any("does not adjust" in note for note in result["notes"])
    assert result["per_cluster"] == 2
    assert {s["correlation_at"] for s in result["scenarios"]} == {None}
    assert result["at_estimates"]["clusters_per_arm"] == clusters_needed(0.5, 2, 0, method="t")


def test_a_pilot_of_one_team_cannot_size_the_next_trial_and_says_why(db):
    trial = build(teams={"I1": ("intervention", ["P01", "P02", "P03"])})
    result = recommend(trial)
    assert result["icc"]["estimate"] is None
    assert result["scenarios"] == [] and result["teams_range"] is None
    assert result["at_estimates"] is None
    assert "at least two clusters" in result["notes"][0]
    assert "power calculator" in result["notes"][0]


def test_an_empty_trial_gives_nones_not_errors(db):
    result = recommend(Trial.objects.create(name="Empty"))
    assert (result["clusters"], result["people"], result["per_cluster"]) == (0, 0, None)
    assert result["mean_cluster_size"] is None and result["scenarios"] == []


def test_a_measure_the_analysis_does_not_score_is_refused(pilot):
    with pytest.raises(ValueError):
        recommend(pilot, measure="ors")


def test_the_result_is_plain_json_with_no_nan(pilot):
    text = json.dumps(recommend(pilot), allow_nan=False)
    assert json.loads(text)["measure_name"]


def test_the_reports_section_3_6_sizes_the_next_trial_from_the_pilot(pilot):
    actions.add_default_questions(pilot)
    report = presenter.build(reading.read(pilot))
    [section] = [s for chapter in report["chapters"] for s in chapter["sections"]
                 if s["number"] == "3.6"]
    [plan] = section["parts"]
    assert plan["caption"] == ("Teams the next trial needs to detect an effect of 0.5 SD on "
                               "working alliance (80% power, 5% two-sided), with 2.7 "
                               "practitioners a team")
    k = clusters_needed(0.5, M, ICC, method="t", correlation=R)
    assert ["estimate (0.49)", "estimate (0.96)", k, 2 * k] in plan["rows"]
    assert len(plan["rows"]) == 9
    assert plan["note"].startswith("Estimated from this pilot's working alliance scores: ICC "
                                   "0.49 (95% CI ")
    assert "r = 0.96" in plan["note"] and "8 practitioners" in plan["note"]
    assert any("from 4 clusters" in note for note in section["notes"])
