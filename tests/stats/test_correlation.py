"""Pearson's r and its Fisher-z interval, worked out by hand."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from familyfeedback.stats.correlation import pearson

Z975 = 1.959963984540054  # the normal 97.5th percentile


def test_r_and_its_interval_are_worked_out_by_hand():
    # x − 3: −2 −1 0 1 2; y − 4: −2 0 1 0 1. Sxy = 4 + 2 = 6, Sxx = 10, Syy = 6:
    # r = 6 / √60 = √0.6 = 0.774597. z = atanh(r) = 1.031719, SE = 1/√(5 − 3);
    # CI = tanh(1.031719 ± 1.959964 / √2) = tanh(−0.354185), tanh(2.417622)
    # = (−0.340082, 0.984236).
    result = pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    assert result.n == 5
    assert result.r == pytest.approx(math.sqrt(0.6), rel=1e-12)
    z, half = math.atanh(math.sqrt(0.6)), Z975 / math.sqrt(2)
    assert result.ci_low == pytest.approx(math.tanh(z - half), rel=1e-9)
    assert result.ci_high == pytest.approx(math.tanh(z + half), rel=1e-9)
    assert (result.ci_low, result.ci_high) == pytest.approx((-0.340082, 0.984236), abs=5e-6)


def test_a_90_percent_interval_is_narrower():
    wide, narrow = pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]), pearson(
        [1, 2, 3, 4, 5], [2, 4, 5, 4, 5], confidence=0.9)
    assert wide.ci_low < narrow.ci_low < narrow.ci_high < wide.ci_high


def test_three_pairs_give_r_but_no_interval():
    result = pearson([1, 2, 3], [1, 3, 2])
    assert result.r == pytest.approx(0.5)  # Sxy = 1, Sxx = Syy = 2
    assert result.ci_low is None and "at least 4" in result.reason


@pytest.mark.parametrize(("x", "y", "reason"), [
    ([1, 2], [2, 1], "at least 3"),
    ([], [], "at least 3"),
    ([1, 2, 3, 4], [5, 5, 5, 5], "same score"),
])
def test_data_that_cannot_give_r_give_none_with_a_reason(x, y, reason):
    result = pearson(x, y)
    assert result.r is None and result.ci_low is None
    assert reason in result.reason


def test_unpaired_values_are_refused():
    with pytest.raises(ValueError):
        pearson([1, 2, 3], [1, 2])


pairs = st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=4, max_size=40)


@given(pairs)
def test_r_lies_inside_its_interval_inside_minus_one_to_one(data):
    result = pearson([a for a, _ in data], [b for _, b in data])
    if result.r is None:
        assert result.reason
        return
    assert -1 <= result.ci_low <= result.r + 1e-12
    assert result.r - 1e-12 <= result.ci_high <= 1
