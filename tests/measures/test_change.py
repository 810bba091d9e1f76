from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from familyfeedback.measures import ChangeClass, classify_change, clinically_significant, direction

IMPROVED, NO_CHANGE, DETERIORATED = (
    ChangeClass.IMPROVED,
    ChangeClass.NO_CHANGE,
    ChangeClass.DETERIORATED,
)


def test_the_classes_read_as_plain_english():
    assert [c.value for c in ChangeClass] == [
        "reliable improvement",
        "no reliable change",
        "reliable deterioration",
    ]


@pytest.mark.parametrize(
    ("first", "latest", "expected"),
    [
        ("20.0", "25.1", IMPROVED),
        ("20.0", "25.0", IMPROVED),
        ("20.0", "24.9", NO_CHANGE),
        ("20.0", "20.0", NO_CHANGE),
        ("20.0", "15.1", NO_CHANGE),
        ("20.0", "15.0", DETERIORATED),
        ("20.0", "14.9", DETERIORATED),
    ],
)
def test_change_is_measured_against_the_reliable_change_value(first, latest, expected):
    assert classify_change(D(first), D(latest), D("5")) is expected


def test_a_change_exactly_equal_to_the_reliable_change_value_counts_as_reliable():
    assert classify_change(D("10.0"), D("16.6"), D("6.6")) is IMPROVED
    assert classify_change(D("16.6"), D("10.0"), D("6.6")) is DETERIORATED


def test_the_reliable_change_value_must_be_positive():
    with pytest.raises(ValueError):
        classify_change(D("10"), D("20"), D("0"))


@pytest.mark.parametrize(
    ("first", "latest", "expected"),
    [
        ("18.0", "25.0", True),  # reliable and ends exactly on the cut-off
        ("18.0", "30.0", True),
        ("24.9", "29.9", True),  # starts just below
        ("25.0", "32.0", False),  # already at the cut-off: nothing to cross
        ("18.0", "24.9", False),  # reliable but still below
        ("21.0", "25.5", False),  # crosses but 4.5 is not reliable
        ("30.0", "20.0", False),
    ],
)
def test_clinically_significant_change_is_reliable_and_crosses_the_cutoff(first, latest, expected):
    assert clinically_significant(D(first), D(latest), D("5"), D("25")) is expected


@pytest.mark.parametrize(
    ("previous", "latest", "arrow"),
    [("20.0", "20.1", "up"), ("20.1", "20.0", "down"), ("20.0", "20", "same")],
)
def test_the_caseload_arrow_follows_the_last_change(previous, latest, arrow):
    assert direction(D(previous), D(latest)) == arrow


totals = st.integers(min_value=0, max_value=400).map(lambda n: D(n) / 10)
rcis = st.integers(min_value=1, max_value=150).map(lambda n: D(n) / 10)
ORDER = {DETERIORATED: 0, NO_CHANGE: 1, IMPROVED: 2}
MIRROR = {IMPROVED: DETERIORATED, DETERIORATED: IMPROVED, NO_CHANGE: NO_CHANGE}


@given(totals, totals, rcis)
def test_swapping_first_and_latest_swaps_improved_and_deteriorated(first, latest, rci):
    assert classify_change(latest, first, rci) is MIRROR[classify_change(first, latest, rci)]


@given(totals, totals, totals, rcis)
def test_a_higher_latest_score_never_gives_a_worse_class(first, a, b, rci):
    low, high = sorted((a, b))
    assert ORDER[classify_change(first, low, rci)] <= ORDER[classify_change(first, high, rci)]


@given(totals, totals, rcis)
def test_the_class_matches_the_size_of_the_change(first, latest, rci):
    # Worked in whole tenths so the check does not share the code's arithmetic.
    change_tenths = int(latest * 10) - int(first * 10)
    rci_tenths = int(rci * 10)
    expected = (
        IMPROVED
        if change_tenths >= rci_tenths
        else DETERIORATED
        if -change_tenths >= rci_tenths
        else NO_CHANGE
    )
    assert classify_change(first, latest, rci) is expected


@given(totals, totals, rcis, totals)
def test_clinically_significant_change_is_always_reliable_improvement(first, latest, rci, cut):
    if clinically_significant(first, latest, rci, cut):
        assert classify_change(first, latest, rci) is IMPROVED
        assert first < cut <= latest
