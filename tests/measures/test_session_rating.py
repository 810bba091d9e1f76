from decimal import Decimal as D

import pytest

from familyfeedback.measures import get, srs_concerns

SRS = get("SRS")


def items(*values):
    return dict(zip(("item_1", "item_2", "item_3", "item_4"), values, strict=True))


def test_a_good_session_rating_raises_no_concerns():
    assert srs_concerns(SRS, items("9.5", "9.5", "9.0", "9.0"), D("37.0"), D("36.5")) == []


def test_a_total_below_36_is_a_concern():
    concerns = srs_concerns(SRS, items("9.0", "9.0", "9.0", "8.9"), D("35.9"), None)
    assert concerns[0] == (
        "The session rating total was 35.9, below 36.0: the session may not have fitted."
    )


def test_a_total_of_exactly_36_is_not_below_the_cutoff():
    assert srs_concerns(SRS, items("9.0", "9.0", "9.0", "9.0"), D("36.0"), None) == []


def test_one_low_item_is_a_concern_even_when_the_total_is_high():
    concerns = srs_concerns(SRS, items("10.0", "8.9", "10.0", "10.0"), D("38.9"), None)
    assert concerns == ["Item 2 (what we talked about) was rated 8.9, below 9.0."]


def test_any_drop_from_last_time_is_a_concern():
    concerns = srs_concerns(SRS, items("9.5", "9.5", "9.5", "9.4"), D("37.9"), D("38.0"))
    assert concerns == ["The session rating fell from 38.0 last time to 37.9."]


def test_every_reason_is_listed():
    concerns = srs_concerns(SRS, items("5.0", "8.0", "9.0", "9.0"), D("31.0"), D("34.0"))
    assert len(concerns) == 4


def test_the_total_is_worked_out_when_not_given():
    concerns = srs_concerns(SRS, items("9.0", "9.0", "9.0", "8.0"), None, None)
    assert concerns[0].startswith("The session rating total was 35.0,")


def test_the_child_session_rating_uses_the_same_rules():
    assert len(srs_concerns(get("CSRS"), items("8", "9", "9", "9"), D("35.0"), None)) == 2


def test_a_faces_session_rating_has_no_scores_to_flag():
    assert srs_concerns(get("YCSRS"), {}, None, None) == []


def test_an_outcome_rating_is_not_a_session_rating():
    with pytest.raises(ValueError, match="not a session rating"):
        srs_concerns(get("ORS"), items("1", "1", "1", "1"), D("4"), None)


def test_the_same_total_as_last_time_is_not_a_drop():
    assert srs_concerns(SRS, items("9.5", "9.5", "9.5", "9.5"), D("38.0"), D("38.0")) == []
