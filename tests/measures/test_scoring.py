from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from familyfeedback.measures import ScoreError, get, total, validate_face, validate_items

ORS = get("ORS")
KEYS = ("item_1", "item_2", "item_3", "item_4")


def items(*values):
    return dict(zip(KEYS, values, strict=True))


def problem_with(value, position=2):
    entered = ["5.0"] * 4
    entered[position - 1] = value
    with pytest.raises(ScoreError) as raised:
        validate_items(ORS, items(*entered))
    return raised.value


def test_good_scores_come_back_as_one_decimal_place_decimals():
    cleaned = validate_items(ORS, items("6.4", 7, 0.1, Decimal("10")))
    assert cleaned == items(Decimal("6.4"), Decimal("7.0"), Decimal("0.1"), Decimal("10.0"))
    assert [str(v) for v in cleaned.values()] == ["6.4", "7.0", "0.1", "10.0"]


def test_the_ends_of_the_line_are_accepted():
    assert validate_items(ORS, items("0.0", "10.0", "0", "10")) == items(
        Decimal("0.0"), Decimal("10.0"), Decimal("0.0"), Decimal("10.0")
    )


def test_a_trailing_zero_is_not_an_extra_decimal_place():
    assert validate_items(ORS, items("6.40", "1", "1", "1"))["item_1"] == Decimal("6.4")


def test_minus_zero_is_stored_as_zero():
    assert str(validate_items(ORS, items("-0.0", "1", "1", "1"))["item_1"]) == "0.0"


def test_ten_point_one_is_out_of_range():
    error = problem_with("10.1")
    assert str(error) == "Item 2 must be between 0.0 and 10.0"
    assert error.errors == {"item_2": "Item 2 must be between 0.0 and 10.0"}


def test_minus_zero_point_one_is_out_of_range():
    assert str(problem_with(-0.1)) == "Item 2 must be between 0.0 and 10.0"


def test_two_decimal_places_are_refused():
    assert str(problem_with("6.45", position=3)) == (
        "Item 3 must have at most one decimal place (for example 6.4)"
    )


def test_a_float_with_two_decimal_places_is_refused():
    assert "at most one decimal place" in str(problem_with(6.45))


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_item_is_missing(value):
    assert str(problem_with(value, position=1)) == "Item 1 is missing"


def test_a_left_out_item_is_missing():
    with pytest.raises(ScoreError) as raised:
        validate_items(ORS, {"item_1": "1", "item_2": "1", "item_3": "1"})
    assert raised.value.errors == {"item_4": "Item 4 is missing"}


@pytest.mark.parametrize("value", ["six", "NaN", "Infinity", True, "6,4"])
def test_something_that_is_not_a_number_is_refused(value):
    assert str(problem_with(value)) == "Item 2 must be a number, for example 6.4"


def test_every_problem_is_reported_at_once():
    with pytest.raises(ScoreError) as raised:
        validate_items(ORS, {"item_1": None, "item_2": "11", "item_3": "1", "item_9": "1"})
    assert set(raised.value.errors) == {"item_1", "item_2", "item_4", "item_9"}
    assert raised.value.errors["item_9"] == "ORS has no item called item_9"


def test_a_faces_measure_is_not_scored_by_items():
    with pytest.raises(ScoreError, match="choosing a face"):
        validate_items(get("YCORS"), items("1", "1", "1", "1"))


def test_total_is_the_sum_of_the_four_items():
    assert total(ORS, items("6.4", "7.1", "0.0", "10.0")) == Decimal("23.5")


def test_total_checks_the_items_first():
    with pytest.raises(ScoreError):
        total(ORS, items("6.4", "7.1", "0.0", "10.1"))


def test_a_faces_measure_has_no_total():
    assert total(get("YCORS"), {}) is None


tenths = st.integers(min_value=0, max_value=100)


@given(st.tuples(tenths, tenths, tenths, tenths))
def test_total_is_the_sum_and_stays_between_0_and_40(values):
    entered = items(*(f"{n // 10}.{n % 10}" for n in values))
    result = total(get("SRS"), entered)
    assert result == Decimal(sum(values)) / 10
    assert Decimal(0) <= result <= Decimal(40)


@given(st.integers(min_value=-1000, max_value=1100))
def test_an_item_is_accepted_exactly_when_it_is_on_the_line(n):
    value = Decimal(n) / 10
    entered = items(value, "1", "1", "1")
    if 0 <= n <= 100:
        assert validate_items(ORS, entered)["item_1"] == value
    else:
        with pytest.raises(ScoreError):
            validate_items(ORS, entered)


@pytest.mark.parametrize("choice", ["sad", "in_between", "happy"])
def test_each_face_can_be_chosen(choice):
    assert validate_face(get("YCSRS"), choice) == choice


@pytest.mark.parametrize("choice", [None, ""])
def test_a_face_must_be_chosen(choice):
    with pytest.raises(ScoreError, match="Choose a face"):
        validate_face(get("YCORS"), choice)


def test_an_unknown_face_is_refused():
    with pytest.raises(ScoreError) as raised:
        validate_face(get("YCORS"), "angry")
    assert raised.value.errors == {
        "face": "'angry' is not one of the faces (sad, in_between, happy)"
    }


def test_a_lines_measure_has_no_face():
    with pytest.raises(ScoreError, match="scored by items"):
        validate_face(ORS, "happy")
