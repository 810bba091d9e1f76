"""The analysis of a small trial, every output worked out by hand.

The trial: team I1 (intervention) with P01, P02 (fsw) and P03 (senior_fsw, NOT trained); team C1
(comparison) with P04, P05 (fsw), P06 (team_manager), P07 (senior_fsw) and P08 (other, never
answers). Working alliance (wai, 12-84) and ProQOL compassion satisfaction (proqol_cs, 10-50) at
baseline and endline; iam_ors and fim_srs after training (intervention only); a likert question at
endline, a choice question at baseline and a free-text one (not analysed); seven ORS/SRS records.

Expected numbers come from the formulas, written out below; scipy is used only for p-values from
t and df (scipy.stats.t.sf), never through the functions under test.
"""

import json
import math
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from scipy.stats import t as t_dist

from familyfeedback.evaluation import analysis
from familyfeedback.evaluation.models import (
    AdminRecord,
    Question,
    Response,
    TrainingRecord,
    Trial,
    TrialPractitioner,
    TrialTeam,
)

# --- answers -----------------------------------------------------------------------------------


def wai_answers(total: int) -> dict[str, int]:
    """Raw answers to wai_1 ... wai_12 that score `total`: scored values filled from item 1 on
    (each 1-7), and items 4 and 10, which are reversed (8 − x), asked as 8 − the scored value."""
    scored, extra = [1] * 12, total - 12
    for i in range(12):
        scored[i] += min(6, extra)
        extra -= min(6, extra)
    return {f"wai_{n}": (8 - s if n in (4, 10) else s) for n, s in enumerate(scored, start=1)}


def proqol_answers(total: int) -> dict[str, int]:
    """Raw answers to proqol_cs_1 ... proqol_cs_10 (1-5, none reversed) that sum to `total`."""
    scored, extra = [1] * 10, total - 10
    for i in range(10):
        scored[i] += min(4, extra)
        extra -= min(4, extra)
    return {f"proqol_cs_{n}": s for n, s in enumerate(scored, start=1)}


def items(code: str, values) -> dict[str, int]:
    return {f"{code}_{n}": v for n, v in enumerate(values, start=1)}


def hand_wai(raw: dict[str, int]) -> int:
    return sum(8 - v if k in ("wai_4", "wai_10") else v for k, v in raw.items())


WAI = {  # (practitioner, wave): total
    ("P01", "baseline"): 48, ("P01", "endline"): 58,
    ("P02", "baseline"): 50, ("P02", "endline"): 62,
    ("P03", "baseline"): 64, ("P03", "endline"): 84,
    ("P04", "baseline"): 50, ("P04", "endline"): 52,
    ("P05", "baseline"): 60, ("P05", "endline"): 58,
    ("P06", "endline"): 70,  # P06's baseline misses wai_12: no score
    ("P07", "baseline"): 40, ("P07", "endline"): 46,
}
PROQOL = {
    ("P01", "baseline"): 30, ("P01", "endline"): 35,
    ("P02", "baseline"): 40, ("P02", "endline"): 40,
    ("P03", "baseline"): 50, ("P03", "endline"): 50,
    ("P04", "baseline"): 20, ("P04", "endline"): 23,
    ("P05", "baseline"): 30, ("P05", "endline"): 33,
    ("P07", "baseline"): 10, ("P07", "endline"): 13,
}


def test_the_answer_builders_score_what_they_say():
    # 48: scored 7,7,7,7,7,7,1,1,1,1,1,1; wai_4 asked as 8 − 7 = 1, wai_10 as 8 − 1 = 7.
    assert wai_answers(48) == {"wai_1": 7, "wai_2": 7, "wai_3": 7, "wai_4": 1, "wai_5": 7,
                               "wai_6": 7, "wai_7": 1, "wai_8": 1, "wai_9": 1, "wai_10": 7,
                               "wai_11": 1, "wai_12": 1}
    for total in WAI.values():
        raw = wai_answers(total)
        assert hand_wai(raw) == total and all(1 <= v <= 7 for v in raw.values())
    for total in PROQOL.values():
        raw = proqol_answers(total)
        assert sum(raw.values()) == total and all(1 <= v <= 5 for v in raw.values())


# --- the trial ---------------------------------------------------------------------------------


def build_trial(name: str = "Pilot") -> Trial:
    trial = Trial.objects.create(name=name)
    i1 = TrialTeam.objects.create(trial=trial, team_code="I1", team_name="North",
                                  arm="intervention")
    c1 = TrialTeam.objects.create(trial=trial, team_code="C1", team_name="South",
                                  arm="comparison")
    people = {}
    for pid, team, role in [("P01", i1, "fsw"), ("P02", i1, "fsw"), ("P03", i1, "senior_fsw"),
                            ("P04", c1, "fsw"), ("P05", c1, "fsw"), ("P06", c1, "team_manager"),
                            ("P07", c1, "senior_fsw"), ("P08", c1, "other")]:
        people[pid] = TrialPractitioner.objects.create(trial=trial, practitioner_code=pid,
                                                       team=team, role=role)

    answers: dict[tuple[str, str], dict] = {}
    for (pid, wave), total in WAI.items():
        answers.setdefault((pid, wave), {}).update(wai_answers(total))
    partial = wai_answers(55)
    del partial["wai_12"]
    answers[("P06", "baseline")] = partial
    for (pid, wave), total in PROQOL.items():
        answers.setdefault((pid, wave), {}).update(proqol_answers(total))
    answers[("P01", "post_training")] = {**items("iam_ors", [4, 4, 4, 4]),
                                         **items("fim_srs", [2, 3, 4, 5])}
    answers[("P02", "post_training")] = {**items("iam_ors", [5, 5, 5, 5]),
                                         **items("fim_srs", [5, 5, 5])}  # fim_srs_4 missing
    answers[("P03", "post_training")] = items("iam_ors", [3, 4, 4, 5])
    for pid, value in [("P01", "Agree"), ("P02", "Agree"), ("P03", "Neutral"),
                       ("P04", "Disagree"), ("P05", "Agree"), ("P07", "")]:  # blank: no answer
        answers[(pid, "endline")]["confident"] = value
    answers[("P01", "baseline")]["prev_ors"] = "Yes"
    answers[("P01", "endline")]["comments"] = "Useful"
    Response.objects.bulk_create([
        Response(trial=trial, respondent=people[pid], wave=wave, item=item, value=str(value))
        for (pid, wave), given in answers.items() for item, value in given.items()])

    Question.objects.create(trial=trial, question_code="prev_ors", wave="baseline",
                            text="Used the ORS before?", kind="choice",
                            options=["Yes", "No", "Not sure"])
    Question.objects.create(trial=trial, question_code="confident", wave="endline",
                            text="I feel confident", kind="likert",
                            options=["Disagree", "Neutral", "Agree"])
    Question.objects.create(trial=trial, question_code="comments", wave="endline",
                            text="Anything else?", kind="text")

    # P01: parts 1 and 2. P02: part 1, missed part 2, came to the mop-up (covers both). P03
    # missed both: not trained, still in the intervention arm.
    for pid, event, kind, attended in [("P01", "E1", "part_1", True),
                                       ("P01", "E2", "part_2", True),
                                       ("P02", "E1", "part_1", True),
                                       ("P02", "E2", "part_2", False),
                                       ("P02", "E3", "mop_up", True),
                                       ("P03", "E1", "part_1", False),
                                       ("P03", "E2", "part_2", False)]:
        TrainingRecord.objects.create(trial=trial, practitioner=people[pid], event_code=event,
                                      event_type=kind, on=date(2022, 10, 4), attended=attended)

    for aid, person, adult, pid, on, measure, status in [
        ("A1", "F1", True, "P01", date(2022, 11, 3), "ORS", "completed"),
        ("A2", "F1", True, "P01", date(2022, 11, 3), "SRS", "completed"),
        ("A3", "F2", False, "P01", date(2022, 11, 20), "CORS", "completed"),
        ("A4", "F1", True, "P01", date(2022, 12, 1), "ORS", "completed"),
        ("A5", "F3", False, "P03", date(2022, 12, 5), "CSRS", "completed"),
        ("A6", "F3", False, "P02", date(2022, 12, 5), "CORS", "not_administered"),
        ("A7", "F3", False, "P03", date(2022, 12, 5), "CORS", "completed"),
    ]:
        AdminRecord.objects.create(
            trial=trial, administration_code=aid, person_key=person, adult=adult,
            practitioner=people[pid], practitioner_key=pid, team_key="I1", on=on,
            measure=measure, tool="SRS" if measure.endswith("SRS") else "ORS",
            item_1=5, item_2=5, item_3=5, item_4=5, status=status,
            reason="child declined" if status != "completed" else "")
    return trial


@pytest.fixture
def trial(db):
    return build_trial()


# --- hand arithmetic -------------------------------------------------------------------------

def p2(t: float, df: float) -> float:
    """Two-sided p-value of t on df."""
    return 2 * t_dist.sf(abs(t), df)


# 97.5th percentile of t with 2 df, in closed form: for df = 2, F(t) = 1/2 + t / (2·√(2 + t²)),
# so F = 0.975 gives t / √(2 + t²) = 0.95, t² = 0.9025·2 / (1 − 0.9025), t = 0.95·√(2 / 0.0975).
T2 = 0.95 * math.sqrt(2 / 0.0975)  # 4.302652729...
# 97.5th percentile of t with 4 df, from tables (2.7764); checked below through t.sf.
T4 = 2.7764451051977987
# Hedges' J(4) = Γ(2) / (√2 · Γ(3/2)) = 1 / (√2 · √π / 2) = √(2/π).
J4 = math.sqrt(2 / math.pi)


def test_the_critical_values_are_right():
    assert t_dist.sf(T2, 2) == pytest.approx(0.025, rel=1e-12)
    assert t_dist.sf(T4, 4) == pytest.approx(0.025, rel=1e-12)


EXPECTED = {
    # Respondents with at least one answer, for each team and each wave asked of its arm. C1:
    # P04, P05, P06 (part-answered wai), P07 at baseline and endline; P08 never answers.
    # Post-training was answered in the intervention arm only, so C1 has no post_training row.
    "response_rates": [
        {"team_id": "C1", "arm": "comparison", "wave": "baseline", "responses": 4},
        {"team_id": "C1", "arm": "comparison", "wave": "endline", "responses": 4},
        {"team_id": "I1", "arm": "intervention", "wave": "baseline", "responses": 3},
        {"team_id": "I1", "arm": "intervention", "wave": "endline", "responses": 3},
        {"team_id": "I1", "arm": "intervention", "wave": "post_training", "responses": 3},
    ],
    "scales": [
        # fim_srs (mean of 4 items, 1-5): P01 (2+3+4+5)/4 = 3.5; P02 missed item 4: no score.
        {"measure": "fim_srs", "arm": "intervention", "wave": "post_training", "n": 1,
         "mean": 3.5, "sd": None, "min": 3.5, "max": 3.5, "pct_at_max": 0.0, "pct_at_min": 0.0},
        # iam_ors: P01 4, P02 5, P03 (3+4+4+5)/4 = 4. Mean 13/3; deviations −1/3, 2/3, −1/3,
        # squares sum 6/9, variance (6/9)/2 = 1/3. One of three at 5 (the maximum): 100/3 %.
        {"measure": "iam_ors", "arm": "intervention", "wave": "post_training", "n": 3,
         "mean": 13 / 3, "sd": math.sqrt(1 / 3), "min": 4.0, "max": 5.0,
         "pct_at_max": 100 / 3, "pct_at_min": 0.0},
        # proqol_cs comparison baseline 20, 30, 10: mean 20, deviations 0, 10, −10, SS 200,
        # variance 100. P07 at 10, the minimum: 100/3 %.
        {"measure": "proqol_cs", "arm": "comparison", "wave": "baseline", "n": 3, "mean": 20.0,
         "sd": 10.0, "min": 10.0, "max": 30.0, "pct_at_max": 0.0, "pct_at_min": 100 / 3},
        # endline 23, 33, 13: each 3 more; mean 23, SD 10.
        {"measure": "proqol_cs", "arm": "comparison", "wave": "endline", "n": 3, "mean": 23.0,
         "sd": 10.0, "min": 13.0, "max": 33.0, "pct_at_max": 0.0, "pct_at_min": 0.0},
        # intervention baseline 30, 40, 50: mean 40, SD 10; P03 at 50, the maximum.
        {"measure": "proqol_cs", "arm": "intervention", "wave": "baseline", "n": 3, "mean": 40.0,
         "sd": 10.0, "min": 30.0, "max": 50.0, "pct_at_max": 100 / 3, "pct_at_min": 0.0},
        # endline 35, 40, 50: mean 125/3; deviations −20/3, −5/3, 25/3; SS (400+25+625)/9 =
        # 1050/9; variance 1050/18 = 175/3.
        {"measure": "proqol_cs", "arm": "intervention", "wave": "endline", "n": 3,
         "mean": 125 / 3, "sd": math.sqrt(175 / 3), "min": 35.0, "max": 50.0,
         "pct_at_max": 100 / 3, "pct_at_min": 0.0},
        # wai comparison baseline: P04 50, P05 60, P07 40 (P06 unscored): mean 50, SD 10.
        {"measure": "wai", "arm": "comparison", "wave": "baseline", "n": 3, "mean": 50.0,
         "sd": 10.0, "min": 40.0, "max": 60.0, "pct_at_max": 0.0, "pct_at_min": 0.0},
        # endline 52, 58, 70, 46: mean 226/4 = 56.5; deviations −4.5, 1.5, 13.5, −10.5; SS
        # 20.25 + 2.25 + 182.25 + 110.25 = 315; variance 315/3 = 105.
        {"measure": "wai", "arm": "comparison", "wave": "endline", "n": 4, "mean": 56.5,
         "sd": math.sqrt(105), "min": 46.0, "max": 70.0, "pct_at_max": 0.0, "pct_at_min": 0.0},
        # intervention baseline 48, 50, 64: mean 54; deviations −6, −4, 10; SS 152; variance 76.
        {"measure": "wai", "arm": "intervention", "wave": "baseline", "n": 3, "mean": 54.0,
         "sd": math.sqrt(76), "min": 48.0, "max": 64.0, "pct_at_max": 0.0, "pct_at_min": 0.0},
        # endline 58, 62, 84: mean 68; deviations −10, −6, 16; SS 392; variance 196, SD 14.
        # P03 (untrained) at 84, the maximum.
        {"measure": "wai", "arm": "intervention", "wave": "endline", "n": 3, "mean": 68.0,
         "sd": 14.0, "min": 58.0, "max": 84.0, "pct_at_max": 100 / 3, "pct_at_min": 0.0},
    ],
    "within_arm_change": [
        # proqol_cs comparison: changes 3, 3, 3. No spread: SD 0, t and the rest do not exist.
        {"measure": "proqol_cs", "arm": "comparison", "n_pairs": 3, "mean_change": 3.0,
         "sd_change": 0.0, "t": None, "df": 2, "p": None, "ci_low": None, "ci_high": None,
         "d_z": None},
        # intervention: changes 5, 0, 0. Mean 5/3; deviations 10/3, −5/3, −5/3; SS 150/9;
        # variance 25/3; SE √(25/3)/√3 = 5/3; t = (5/3)/(5/3) = 1; CI 5/3 ± T2·5/3;
        # d_z = (5/3)/(5/√3) = 1/√3.
        {"measure": "proqol_cs", "arm": "intervention", "n_pairs": 3, "mean_change": 5 / 3,
         "sd_change": math.sqrt(25 / 3), "t": 1.0, "df": 2, "p": p2(1.0, 2),
         "ci_low": 5 / 3 - T2 * 5 / 3, "ci_high": 5 / 3 + T2 * 5 / 3, "d_z": 1 / math.sqrt(3)},
        # wai comparison: P04 +2, P05 −2, P07 +6 (P06 has no baseline score). Mean 2;
        # deviations 0, −4, 4; SS 32; variance 16, SD 4; SE 4/√3; t = 2/(4/√3) = √3/2;
        # d_z = 2/4.
        {"measure": "wai", "arm": "comparison", "n_pairs": 3, "mean_change": 2.0,
         "sd_change": 4.0, "t": math.sqrt(3) / 2, "df": 2, "p": p2(math.sqrt(3) / 2, 2),
         "ci_low": 2 - T2 * 4 / math.sqrt(3), "ci_high": 2 + T2 * 4 / math.sqrt(3), "d_z": 0.5},
        # wai intervention: +10, +12, +20. Mean 14; deviations −4, −2, 6; SS 56; variance 28;
        # SE √(28/3); t = 14/√(28/3) = √(196·3/28) = √21; d_z = 14/√28 = √7.
        {"measure": "wai", "arm": "intervention", "n_pairs": 3, "mean_change": 14.0,
         "sd_change": math.sqrt(28), "t": math.sqrt(21), "df": 2, "p": p2(math.sqrt(21), 2),
         "ci_low": 14 - T2 * math.sqrt(28 / 3), "ci_high": 14 + T2 * math.sqrt(28 / 3),
         "d_z": math.sqrt(7)},
    ],
    "between_arm_change": [
        # proqol_cs: intervention changes 5, 0, 0 (mean 5/3, variance 25/3); comparison 3, 3, 3
        # (mean 3, variance 0). Difference 5/3 − 3 = −4/3. Pooled variance (2·25/3 + 2·0)/4 =
        # 25/6; SE √(25/6 · (1/3 + 1/3)) = √(25/9) = 5/3; t = −0.8 on 4 df.
        # Welch: SE² = 25/9 + 0, so t = −0.8; df = (25/9)² / ((25/9)²/2 + 0) = 2.
        # d = (−4/3)/√(25/6) = −4√6/15; g = d·J(4).
        {"measure": "proqol_cs", "n_intervention": 3, "n_comparison": 3, "t": -0.8, "df": 4,
         "p": p2(0.8, 4), "welch_t": -0.8, "welch_df": 2.0, "welch_p": p2(0.8, 2),
         "d": -4 * math.sqrt(6) / 15, "g": -4 * math.sqrt(6) / 15 * J4,
         "ci_low": -4 / 3 - T4 * 5 / 3, "ci_high": -4 / 3 + T4 * 5 / 3},
        # wai: intervention 10, 12, 20 (mean 14, variance 28); comparison 2, −2, 6 (mean 2,
        # variance 16). Difference 12. Pooled variance (2·28 + 2·16)/4 = 22; SE √(22·2/3) =
        # √(44/3); t = 12/√(44/3). Welch: SE² = 28/3 + 16/3 = 44/3, the same t (equal n);
        # df = (44/3)² / ((28/3)²/2 + (16/3)²/2) = (1936/9) / (1040/18) = 3872/1040 = 242/65.
        # d = 12/√22; g = d·J(4).
        {"measure": "wai", "n_intervention": 3, "n_comparison": 3, "t": 12 / math.sqrt(44 / 3),
         "df": 4, "p": p2(12 / math.sqrt(44 / 3), 4), "welch_t": 12 / math.sqrt(44 / 3),
         "welch_df": 242 / 65, "welch_p": p2(12 / math.sqrt(44 / 3), 242 / 65),
         "d": 12 / math.sqrt(22), "g": 12 / math.sqrt(22) * J4,
         "ci_low": 12 - T4 * math.sqrt(44 / 3), "ci_high": 12 + T4 * math.sqrt(44 / 3)},
    ],
    # Intervention teams only (P04, P05 are fsw in the comparison arm and do not count).
    # fsw: P01 (parts 1 and 2) and P02 (part 1 and the mop-up) attended; P01 completed tools,
    # P02 only has a not-administered record. senior_fsw: P03 attended nothing, completed two.
    "training_by_role": [
        {"role": "fsw", "practitioners": 2, "attended": 2, "used_tools": 1},
        {"role": "senior_fsw", "practitioners": 1, "attended": 0, "used_tools": 1},
    ],
    # Completed only (A6 was not administered). 2022-11: ORS A1, A3 (P01), SRS A2 (P01).
    # 2022-12: ORS A4 (P01), A7 (P03); SRS A5 (P03).
    "usage_by_month": [
        {"month": "2022-11", "measure": "ORS", "completions": 2, "practitioners": 1},
        {"month": "2022-11", "measure": "SRS", "completions": 1, "practitioners": 1},
        {"month": "2022-12", "measure": "ORS", "completions": 2, "practitioners": 2},
        {"month": "2022-12", "measure": "SRS", "completions": 1, "practitioners": 1},
    ],
    # ORS: adult F1; children F2, F3. SRS: adult F1; child F3.
    "reach": [
        {"measure": "ORS", "person_group": "adult", "people": 1},
        {"measure": "ORS", "person_group": "child", "people": 2},
        {"measure": "SRS", "person_group": "adult", "people": 1},
        {"measure": "SRS", "person_group": "child", "people": 1},
    ],
    # ORS completions: F1 2 (A1, A4), F2 1, F3 1 → mean 4/3. SRS: F1 1, F3 1.
    "completions_per_person": [
        {"measure": "ORS", "mean": 4 / 3, "min": 1, "max": 2},
        {"measure": "SRS", "mean": 1.0, "min": 1, "max": 1},
    ],
    # Likert and choice only ("comments" is free text). confident: comparison P04 Disagree,
    # P05 Agree, P07 blank (no answer) → n 2; intervention Agree, Agree, Neutral → n 3.
    # prev_ors: baseline was asked of both arms; only P01 answered.
    "questions": [
        {"question_id": "confident", "wave": "endline", "arm": "comparison", "n": 2, "counts": [
            {"option": "Disagree", "n": 1, "pct": 50.0},
            {"option": "Neutral", "n": 0, "pct": 0.0},
            {"option": "Agree", "n": 1, "pct": 50.0}]},
        {"question_id": "confident", "wave": "endline", "arm": "intervention", "n": 3, "counts": [
            {"option": "Disagree", "n": 0, "pct": 0.0},
            {"option": "Neutral", "n": 1, "pct": 100 / 3},
            {"option": "Agree", "n": 2, "pct": 200 / 3}]},
        {"question_id": "prev_ors", "wave": "baseline", "arm": "comparison", "n": 0, "counts": [
            {"option": "Yes", "n": 0, "pct": None},
            {"option": "No", "n": 0, "pct": None},
            {"option": "Not sure", "n": 0, "pct": None}]},
        {"question_id": "prev_ors", "wave": "baseline", "arm": "intervention", "n": 1, "counts": [
            {"option": "Yes", "n": 1, "pct": 100.0},
            {"option": "No", "n": 0, "pct": 0.0},
            {"option": "Not sure", "n": 0, "pct": 0.0}]},
    ],
}

DOCUMENTED_FIELDS = {
    "response_rates": ["team_id", "arm", "wave", "responses"],
    "scales": ["measure", "arm", "wave", "n", "mean", "sd", "min", "max", "pct_at_max",
               "pct_at_min"],
    "within_arm_change": ["measure", "arm", "n_pairs", "mean_change", "sd_change", "t", "df", "p",
                          "ci_low", "ci_high", "d_z"],
    "between_arm_change": ["measure", "n_intervention", "n_comparison", "t", "df", "p",
                           "welch_t", "welch_df", "welch_p", "d", "g", "ci_low", "ci_high"],
    "training_by_role": ["role", "practitioners", "attended", "used_tools"],
    "usage_by_month": ["month", "measure", "completions", "practitioners"],
    "reach": ["measure", "person_group", "people"],
    "completions_per_person": ["measure", "mean", "min", "max"],
    "questions": ["question_id", "wave", "arm", "n", "counts"],
}
LEADING = {"response_rates": 3, "scales": 3, "within_arm_change": 2, "between_arm_change": 1,
           "training_by_role": 1, "usage_by_month": 2, "reach": 2, "completions_per_person": 1,
           "questions": 3}


def assert_matches(actual, expected, where="report"):
    """Same structure; ints exactly (and still ints), floats to 1e-12 relative."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        assert set(actual) == set(expected), (where, set(actual) ^ set(expected))
        for key in expected:
            assert_matches(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), (where, actual)
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_matches(a, e, f"{where}[{i}]")
    elif isinstance(expected, float):
        assert isinstance(actual, int | float) and not isinstance(actual, bool), (where, actual)
        assert math.isclose(actual, expected, rel_tol=1e-12, abs_tol=1e-12), (where, actual,
                                                                               expected)
    elif isinstance(expected, int) and not isinstance(expected, bool):
        assert type(actual) is int and actual == expected, (where, actual, expected)
    else:
        assert actual == expected, (where, actual, expected)


# --- tests ------------------------------------------------------------------------------------


def test_every_key_and_field_is_as_worked_out_by_hand(trial):
    report = analysis.report(trial)
    assert list(report) == list(DOCUMENTED_FIELDS)
    for key, rows in report.items():
        for row in rows:
            assert list(row) == DOCUMENTED_FIELDS[key], key
    for row in report["questions"]:
        for count in row["counts"]:
            assert list(count) == ["option", "n", "pct"]
    for key in EXPECTED:
        assert_matches(report[key], EXPECTED[key], key)


def test_a_respondent_missing_one_wai_item_has_no_wai_score(trial):
    report = analysis.report(trial)
    scales = {(r["measure"], r["arm"], r["wave"]): r for r in report["scales"]}
    # Four comparison practitioners answered wai at baseline; P06 skipped wai_12.
    answered = {r.respondent.practitioner_code for r in trial.responses.filter(
        wave="baseline", item__startswith="wai_", respondent__team__arm="comparison")}
    assert answered == {"P04", "P05", "P06", "P07"}
    assert scales[("wai", "comparison", "baseline")]["n"] == 3
    # The partial answers (55 had it been complete) do not move the mean: (50 + 60 + 40)/3.
    assert scales[("wai", "comparison", "baseline")]["mean"] == 50.0
    # P06 is scored at endline, so is not a pair either.
    assert scales[("wai", "comparison", "endline")]["n"] == 4
    within = {(r["measure"], r["arm"]): r for r in report["within_arm_change"]}
    assert within[("wai", "comparison")]["n_pairs"] == 3
    # Same rule for a mean-scored measure: P02's fim_srs lacks item 4.
    assert scales[("fim_srs", "intervention", "post_training")]["n"] == 1


def test_intention_to_treat_an_untrained_practitioner_counts_in_the_arm(trial):
    from familyfeedback.implementation.training import Attended, trained

    register = [Attended(r.practitioner.practitioner_code, r.event_type, r.attended)
                for r in trial.training.select_related("practitioner")]
    assert trained(register) == {"P01", "P02"}  # P03 is not trained
    report = analysis.report(trial)
    within = {(r["measure"], r["arm"]): r for r in report["within_arm_change"]}
    assert within[("wai", "intervention")]["n_pairs"] == 3  # P01, P02 and P03
    assert within[("wai", "intervention")]["mean_change"] == 14.0  # (10 + 12 + 20)/3, not 11
    roles = {r["role"]: r for r in report["training_by_role"]}
    assert roles["senior_fsw"] == {"role": "senior_fsw", "practitioners": 1, "attended": 0,
                                   "used_tools": 1}
    # And leaving P03 out would change the answer: the per-protocol mean is (10 + 12)/2.
    TrialPractitioner.objects.filter(trial=trial, practitioner_code="P03").delete()
    again = {(r["measure"], r["arm"]): r for r in analysis.report(trial)["within_arm_change"]}
    assert again[("wai", "intervention")]["mean_change"] == 11.0


def hand_order(row: dict, keys: list[str]) -> tuple:
    return tuple(("" if row[k] is None else row[k]) for k in keys)


def test_every_list_is_sorted_by_its_leading_keys(trial):
    # A team not yet randomised answered at baseline: it appears in response_rates with arm
    # null (sorted first among equal team_ids), and nowhere that is by arm.
    a0 = TrialTeam.objects.create(trial=trial, team_code="A0", team_name="New", arm="")
    p09 = TrialPractitioner.objects.create(trial=trial, practitioner_code="P09", team=a0,
                                           role="fsw")
    Response.objects.create(trial=trial, respondent=p09, wave="baseline", item="wai_1",
                            value="4")
    report = analysis.report(trial)
    for key, rows in report.items():
        keys = DOCUMENTED_FIELDS[key][:LEADING[key]]
        assert rows == sorted(rows, key=lambda row, keys=keys: hand_order(row, keys)), key
        assert len({hand_order(row, keys) for row in rows}) == len(rows), key
    assert report["response_rates"][0] == {"team_id": "A0", "arm": None, "wave": "baseline",
                                           "responses": 1}
    assert all(row["arm"] is not None for row in report["scales"])
    # Orders that differ from what the reused functions give: by_role puts senior_fsw before
    # fsw, and figures.reach puts children (adult = False) before adults.
    assert [r["role"] for r in report["training_by_role"]] == ["fsw", "senior_fsw"]
    assert [r["person_group"] for r in report["reach"]] == ["adult", "child", "adult", "child"]
    # Waves sort by value, not by when they happen.
    assert [r["wave"] for r in report["response_rates"] if r["team_id"] == "I1"] == [
        "baseline", "endline", "post_training"]


def test_floor_and_ceiling_effects_are_flagged_for_the_page_not_the_json(trial):
    report = analysis.report(trial)
    third = 100 / 3  # one respondent in three: more than 15%
    flags = analysis.ceiling_flags(report)
    assert [{k: f[k] for k in ("measure", "arm", "wave", "effect", "pct")} for f in flags] == [
        {"measure": "iam_ors", "arm": "intervention", "wave": "post_training",
         "effect": "ceiling", "pct": third},
        {"measure": "proqol_cs", "arm": "comparison", "wave": "baseline", "effect": "floor",
         "pct": third},
        {"measure": "proqol_cs", "arm": "intervention", "wave": "baseline", "effect": "ceiling",
         "pct": third},
        {"measure": "proqol_cs", "arm": "intervention", "wave": "endline", "effect": "ceiling",
         "pct": third},
        {"measure": "wai", "arm": "intervention", "wave": "endline", "effect": "ceiling",
         "pct": third},
    ]
    assert flags[-1]["text"] == ("Ceiling effect: 33% of the intervention arm had the highest "
                                 "possible Working alliance score at endline (more than 15%).")
    assert flags[1]["text"].startswith("Floor effect: 33% of the comparison arm had the lowest")
    assert "flags" not in json.dumps(report) and "ceiling" not in json.dumps(report)
    fifteen = {"scales": [{"measure": "wai", "arm": "comparison", "wave": "baseline",
                           "pct_at_max": 15.0, "pct_at_min": None}]}
    assert analysis.ceiling_flags(fifteen) == []  # exactly 15% is not an effect


def test_an_empty_trial_gives_empty_lists(db):
    empty = Trial.objects.create(name="Empty")
    assert analysis.report(empty) == {key: [] for key in DOCUMENTED_FIELDS}


def test_the_command_prints_the_report_as_json_without_nan(trial):
    out = StringIO()
    call_command("evaluation_report", "--trial", "Pilot", "--format", "json", stdout=out)

    def no_constants(name):
        raise AssertionError(f"{name} in the JSON")

    printed = json.loads(out.getvalue(), parse_constant=no_constants)
    assert printed == json.loads(json.dumps(analysis.report(trial)))
    assert_matches(printed["between_arm_change"], EXPECTED["between_arm_change"])
    assert printed["within_arm_change"][0]["t"] is None  # null, not NaN


def test_the_command_lists_the_known_trials_for_an_unknown_one(trial):
    Trial.objects.create(name="Another")
    with pytest.raises(CommandError, match="no trial called 'Pilt'.*Another, Pilot"):
        call_command("evaluation_report", "--trial", "Pilt", "--format", "json")
    with pytest.raises(CommandError):
        call_command("evaluation_report", "--trial", "Pilot", "--format", "csv")
