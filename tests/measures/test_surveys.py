import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from familyfeedback.measures import ScoreError, UnknownMeasure, surveys
from familyfeedback.measures.surveys import (
    SurveyScore,
    all_survey_measures,
    get_survey_measure,
    is_measure_item,
    measure_for_item,
    score,
    score_all,
    scored_items,
)

REPO = Path(__file__).resolve().parents[2]
DEFINITIONS = Path(surveys.__file__).parent / "definitions"

# Every standard measure item name in the evaluation package format, version 1.
PACKAGE_ITEMS = (
    [f"wai_{n}" for n in range(1, 13)]
    + [f"proqol_cs_{n}" for n in range(1, 11)]
    + [
        f"{prefix}_{tool}_{n}"
        for prefix in ("iam", "fim")
        for tool in ("ors", "srs")
        for n in range(1, 5)
    ]
)
PACKAGE_MEASURES = ("wai", "proqol_cs", "iam_ors", "iam_srs", "fim_ors", "fim_srs")


def answers(code, *values):
    return {f"{code}_{n}": value for n, value in enumerate(values, start=1)}


# A hand-worked working alliance answer set. Items 4 (2) and 10 (1) are reversed to 8 - 2 = 6
# and 8 - 1 = 7, so the items scored are 5 6 4 6 7 3 5 6 4 7 7 2:
#   total 62 (52 before reversal)
#   goal (4, 6, 8, 11)  6 + 3 + 6 + 7 = 22
#   task (1, 2, 10, 12) 5 + 6 + 7 + 2 = 20
#   bond (3, 5, 7, 9)   4 + 7 + 5 + 4 = 20
WAI_ANSWERS = answers("wai", 5, 6, 4, 2, 7, 3, 5, 6, 4, 1, 7, 2)


# Definitions


def test_the_package_measures_and_acceptability_are_defined():
    codes = {measure.code for measure in all_survey_measures()}
    assert codes == set(PACKAGE_MEASURES) | {"aim_ors", "aim_srs"}


def test_there_is_one_data_file_per_measure_named_after_its_code():
    for path in DEFINITIONS.glob("*.json"):
        assert json.loads(path.read_text())["code"] == path.stem
    assert len(list(DEFINITIONS.glob("*.json"))) == len(all_survey_measures())


@pytest.mark.parametrize(
    ("code", "count", "scale", "scoring", "possible"),
    [
        ("wai", 12, (1, 7), "sum", (12, 84)),
        ("proqol_cs", 10, (1, 5), "sum", (10, 50)),
        ("iam_ors", 4, (1, 5), "mean", (1, 5)),
        ("iam_srs", 4, (1, 5), "mean", (1, 5)),
        ("fim_ors", 4, (1, 5), "mean", (1, 5)),
        ("fim_srs", 4, (1, 5), "mean", (1, 5)),
        ("aim_ors", 4, (1, 5), "mean", (1, 5)),
        ("aim_srs", 4, (1, 5), "mean", (1, 5)),
    ],
)
def test_each_measure_has_its_items_scale_scoring_and_range(code, count, scale, scoring, possible):
    measure = get_survey_measure(code)
    assert measure.item_keys == tuple(f"{code}_{n}" for n in range(1, count + 1))
    assert [item.number for item in measure.items] == list(range(1, count + 1))
    assert all(item.label for item in measure.items)
    assert (measure.scale_min, measure.scale_max) == scale
    assert measure.scoring == scoring
    assert (measure.possible_min, measure.possible_max) == possible
    assert isinstance(measure.possible_min, float)


def test_only_working_alliance_items_4_and_10_are_reversed():
    assert get_survey_measure("wai").reversed_keys == ("wai_4", "wai_10")
    others = [m for m in all_survey_measures() if m.code != "wai"]
    assert all(m.reversed_keys == () for m in others)


def test_working_alliance_subscales_as_declared():
    measure = get_survey_measure("wai")
    declared = {s.code: s.items for s in measure.subscales}
    assert declared == {
        "goal": ("wai_4", "wai_6", "wai_8", "wai_11"),
        "task": ("wai_1", "wai_2", "wai_10", "wai_12"),
        "bond": ("wai_3", "wai_5", "wai_7", "wai_9"),
    }
    every = sorted(key for items in declared.values() for key in items)
    assert every == sorted(measure.item_keys)
    assert all((s.possible_min, s.possible_max) == (4, 28) for s in measure.subscales)
    assert "Hatcher & Gillaspy 2006" in measure.subscale_source


def test_proqol_compassion_satisfaction_items_are_the_published_ones():
    numbers = [item.source_number for item in get_survey_measure("proqol_cs").items]
    assert numbers == [3, 6, 12, 16, 18, 20, 22, 24, 27, 30]


def test_wording_ships_only_for_the_open_access_measures():
    shipped = {m.code for m in all_survey_measures() if m.licensed_wording_included}
    assert shipped == {"aim_ors", "aim_srs", "iam_ors", "iam_srs", "fim_ors", "fim_srs"}
    for measure in all_survey_measures():
        assert measure.licence and measure.source
        if measure.licensed_wording_included:
            assert "CC BY 4.0" in measure.licence
            assert measure.response_labels is not None
        else:
            assert "not shipped" in measure.licence.lower()
            assert measure.response_labels is None


@pytest.mark.parametrize("tool", ["ORS", "SRS"])
def test_weiner_measures_ask_about_the_tool_named_in_their_code(tool):
    for prefix in ("aim", "iam", "fim"):
        measure = get_survey_measure(f"{prefix}_{tool.lower()}")
        assert measure.about == tool
        assert all(tool in item.label for item in measure.items)


def test_an_unknown_measure_is_refused_in_plain_words():
    with pytest.raises(UnknownMeasure, match="no survey measure called 'phq9'"):
        get_survey_measure("phq9")


# Items to measures


@pytest.mark.parametrize("item", PACKAGE_ITEMS)
def test_every_package_item_maps_to_exactly_one_measure(item):
    owners = [m.code for m in all_survey_measures() if item in m.item_keys]
    assert len(owners) == 1
    assert measure_for_item(item).code == owners[0]
    assert item.startswith(owners[0] + "_")
    assert is_measure_item(item)


def test_the_package_measures_hold_exactly_the_package_items():
    held = [key for code in PACKAGE_MEASURES for key in get_survey_measure(code).item_keys]
    assert sorted(held) == sorted(PACKAGE_ITEMS)


@pytest.mark.parametrize("item", ["wai_13", "wai_0", "q_1", "proqol_bo_1", "WAI_1", ""])
def test_a_name_that_is_not_a_measure_item_maps_to_nothing(item):
    assert not is_measure_item(item)
    with pytest.raises(UnknownMeasure):
        measure_for_item(item)


# Scoring


def test_working_alliance_hand_worked_total_and_subscales():
    result = score("wai", WAI_ANSWERS)
    assert result == SurveyScore(62.0, {"goal": 22.0, "task": 20.0, "bond": 20.0}, None)


def test_items_4_and_10_are_reversed_before_summing():
    values = scored_items("wai", WAI_ANSWERS)
    assert values["wai_4"] == 6 and values["wai_10"] == 7
    assert values["wai_1"] == 5
    unreversed = sum(WAI_ANSWERS.values())
    assert unreversed == 52
    assert score("wai", WAI_ANSWERS).total_or_mean == 62


@pytest.mark.parametrize(("answer", "scored"), [(1, 7), (2, 6), (4, 4), (6, 2), (7, 1)])
def test_reversal_is_eight_minus_the_answer(answer, scored):
    assert scored_items("wai", {"wai_4": answer})["wai_4"] == scored


def test_the_lowest_and_highest_possible_working_alliance_totals():
    lowest = answers("wai", *[7 if n in (4, 10) else 1 for n in range(1, 13)])
    highest = answers("wai", *[1 if n in (4, 10) else 7 for n in range(1, 13)])
    assert score("wai", lowest).total_or_mean == 12
    assert score("wai", highest).total_or_mean == 84


def test_proqol_total_is_the_sum():
    entered = answers("proqol_cs", 1, 2, 3, 4, 5, 5, 4, 3, 2, 1)
    assert score("proqol_cs", entered).total_or_mean == 30


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ([1] * 10, 10, "low"),
        ([2] * 8 + [3] * 2, 22, "low"),
        ([2] * 7 + [3] * 3, 23, "average"),
        ([4] * 9 + [5], 41, "average"),
        ([4] * 8 + [5] * 2, 42, "high"),
        ([5] * 10, 50, "high"),
    ],
)
def test_proqol_bands_at_their_edges(values, total, band):
    result = score("proqol_cs", answers("proqol_cs", *values))
    assert (result.total_or_mean, result.band) == (total, band)


@pytest.mark.parametrize(
    ("score_value", "band"), [(22, "low"), (23, "average"), (41, "average"), (42, "high")]
)
def test_band_for_a_score(score_value, band):
    assert get_survey_measure("proqol_cs").band_for(score_value) == band


@pytest.mark.parametrize("code", ["iam_ors", "iam_srs", "fim_ors", "fim_srs", "aim_ors"])
def test_weiner_measures_are_the_mean_of_four_items(code):
    assert score(code, answers(code, 4, 5, 3, 4)).total_or_mean == 4.0
    assert score(code, answers(code, 4, 5, 4, 4)).total_or_mean == 4.25
    assert score(code, answers(code, 1, 1, 1, 2)).total_or_mean == 1.25


def test_measures_without_subscales_or_bands_give_none_for_them():
    result = score("iam_ors", answers("iam_ors", 4, 4, 4, 4))
    assert result.subscales == {} and result.band is None


def test_answers_given_as_text_decimals_and_whole_floats_are_accepted():
    result = score(
        "fim_srs",
        {"fim_srs_1": "4", "fim_srs_2": Decimal("5"), "fim_srs_3": 3.0, "fim_srs_4": " 4 "},
    )
    assert result.total_or_mean == 4.0


# Missing answers


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_one_unanswered_item_makes_the_score_missing(blank):
    entered = dict(WAI_ANSWERS, wai_5=blank)
    result = score("wai", entered)
    assert result.total_or_mean is None and result.missing
    assert result.band is None


def test_a_left_out_item_makes_the_score_missing():
    entered = {key: value for key, value in WAI_ANSWERS.items() if key != "wai_12"}
    assert score("wai", entered).total_or_mean is None


def test_a_subscale_is_missing_only_when_one_of_its_own_items_is():
    # wai_5 is a bond item: goal and task can still be scored, bond and the total cannot.
    result = score("wai", dict(WAI_ANSWERS, wai_5=None))
    assert result.subscales == {"goal": 22.0, "task": 20.0, "bond": None}


def test_a_missing_proqol_score_has_no_band():
    result = score("proqol_cs", answers("proqol_cs", *([5] * 9), None))
    assert (result.total_or_mean, result.band) == (None, None)


def test_a_mean_is_not_taken_over_the_answered_items_only():
    assert score("iam_srs", answers("iam_srs", 5, 5, 5, None)).total_or_mean is None


def test_nothing_answered_is_missing_not_an_error():
    assert score("wai", {}) == SurveyScore(None, {"goal": None, "task": None, "bond": None}, None)


# Out-of-range and malformed answers


@pytest.mark.parametrize("value", [0, 8, -1, 7.5, "8", "4.5", 100])
def test_an_answer_off_the_scale_is_refused_naming_the_item(value):
    with pytest.raises(
        ValueError,
        match=r"wai_4 \(item 4 of working alliance\) must be a whole "
        r"number from 1 to 7",
    ):
        score("wai", dict(WAI_ANSWERS, wai_4=value))


@pytest.mark.parametrize("value", ["four", "NaN", "Infinity", True, "4,0", [4]])
def test_an_answer_that_is_not_a_number_is_refused(value):
    with pytest.raises(ScoreError) as raised:
        score("proqol_cs", answers("proqol_cs", value, *([3] * 9)))
    assert set(raised.value.errors) == {"proqol_cs_1"}
    assert "must be a whole number from 1 to 5" in str(raised.value)


def test_a_proqol_answer_of_6_is_refused():
    with pytest.raises(ValueError, match="proqol_cs_10"):
        score("proqol_cs", answers("proqol_cs", *([3] * 9), 6))


def test_every_problem_is_reported_at_once():
    with pytest.raises(ScoreError) as raised:
        score("iam_ors", {"iam_ors_1": 0, "iam_ors_2": 6, "iam_ors_3": 3, "fim_ors_1": 3})
    assert set(raised.value.errors) == {"iam_ors_1", "iam_ors_2", "fim_ors_1"}
    assert "fim_ors_1 is not an item of" in raised.value.errors["fim_ors_1"]


def test_an_out_of_range_answer_is_refused_even_when_others_are_missing():
    with pytest.raises(ValueError, match="fim_srs_2"):
        score("fim_srs", {"fim_srs_2": 9})


# Scoring a whole respondent


def test_score_all_scores_every_measure_and_ignores_custom_questions():
    entered = {**WAI_ANSWERS, **answers("iam_ors", 4, 5, 3, 4), "q_confidence": "Agree"}
    scores = score_all(entered)
    assert set(scores) == {m.code for m in all_survey_measures()}
    assert scores["wai"].total_or_mean == 62
    assert scores["iam_ors"].total_or_mean == 4.0
    assert scores["proqol_cs"].total_or_mean is None


def test_score_all_still_refuses_an_out_of_range_answer():
    with pytest.raises(ValueError, match="wai_1"):
        score_all(dict(WAI_ANSWERS, wai_1=0))


# Properties

likert7 = st.integers(min_value=1, max_value=7)
likert5 = st.integers(min_value=1, max_value=5)


@given(st.lists(likert7, min_size=12, max_size=12))
def test_a_working_alliance_total_is_the_sum_of_its_subscales_and_in_range(values):
    result = score("wai", answers("wai", *values))
    assert 12 <= result.total_or_mean <= 84
    assert result.total_or_mean == sum(result.subscales.values())
    expected = sum(8 - v if n in (4, 10) else v for n, v in enumerate(values, start=1))
    assert result.total_or_mean == expected


@given(st.lists(likert5, min_size=10, max_size=10))
def test_every_proqol_total_falls_in_exactly_one_band(values):
    result = score("proqol_cs", answers("proqol_cs", *values))
    total = result.total_or_mean
    assert 10 <= total <= 50
    assert result.band == ("low" if total <= 22 else "average" if total <= 41 else "high")


@given(st.lists(likert5, min_size=4, max_size=4))
def test_a_weiner_mean_stays_between_1_and_5(values):
    result = score("fim_ors", answers("fim_ors", *values))
    assert 1 <= result.total_or_mean <= 5
    assert result.total_or_mean == sum(values) / 4


# Purity


def test_the_surveys_package_imports_nothing_from_django_or_the_rest_of_the_project():
    script = (
        "import sys, familyfeedback.measures.surveys\n"
        "ours = [m for m in sys.modules if m.startswith('familyfeedback.')"
        " and not m.startswith('familyfeedback.measures')]\n"
        "print([m for m in sys.modules if m.split('.')[0] == 'django'] + ours)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"
