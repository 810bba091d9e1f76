"""Descriptives and floor/ceiling percentages, worked out by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from familyfeedback.stats.descriptives import descriptives, floor_ceiling


def test_descriptives_are_worked_out_by_hand():
    # 2, 4, 4, 4, 5, 5, 7, 9: mean 40 / 8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32;
    # sample variance 32 / 7, so sd = sqrt(32 / 7) = 2.13809.
    result = descriptives([2, 4, 4, 4, 5, 5, 7, 9])
    assert (result.n, result.mean, result.min, result.max) == (8, 5.0, 2.0, 9.0)
    assert result.sd == pytest.approx((32 / 7) ** 0.5)


def test_descriptives_of_one_or_no_values_leave_what_cannot_be_known_as_none():
    one = descriptives([3.5])
    assert (one.n, one.mean, one.sd, one.min, one.max) == (1, 3.5, None, 3.5, 3.5)
    none = descriptives([])
    assert (none.n, none.mean, none.sd, none.min, none.max) == (0, None, None, None, None)


def test_missing_values_are_refused_not_dropped_silently():
    with pytest.raises(ValueError, match="missing"):
        descriptives([1, None, 3])


def test_a_ceiling_effect_is_flagged_above_15_percent():
    # ProQOL compassion satisfaction, 10-50: 4 of 20 at 50 (20%), 1 of 20 at 10 (5%).
    values = [50] * 4 + [10] + [30] * 15
    result = floor_ceiling(values, lowest=10, highest=50)
    assert (result.pct_at_max, result.pct_at_min) == (20.0, 5.0)
    assert result.ceiling_effect and not result.floor_effect and result.flagged


def test_exactly_15_percent_is_not_a_ceiling_effect():
    # Terwee et al. 2007 say "more than 15%": 3 of 20 is exactly 15%.
    result = floor_ceiling([7] * 3 + [4] * 17, lowest=1, highest=7)
    assert result.pct_at_max == 15.0
    assert not result.ceiling_effect and not result.flagged


def test_a_floor_effect_counts_the_scales_lowest_score_not_the_observed_lowest():
    # Mean scores on a 1-5 scale: 1.0 is the floor; 1.25 is not, even though it is observed.
    result = floor_ceiling([1.0, 1.0, 1.25, 3.5, 5.0], lowest=1, highest=5)
    assert (result.pct_at_min, result.pct_at_max) == (40.0, 20.0)
    assert result.floor_effect and result.ceiling_effect


def test_a_value_off_the_scale_is_an_error():
    with pytest.raises(ValueError, match="outside"):
        floor_ceiling([0, 3], lowest=1, highest=7)
    with pytest.raises(ValueError, match="below"):
        floor_ceiling([3], lowest=7, highest=1)


def test_no_values_give_no_percentages_and_no_flag():
    result = floor_ceiling([], lowest=1, highest=7)
    assert (result.n, result.pct_at_min, result.pct_at_max) == (0, None, None)
    assert not result.flagged


@given(st.lists(st.integers(min_value=12, max_value=84), min_size=1, max_size=60))
def test_floor_and_ceiling_percentages_lie_between_0_and_100(values):
    result = floor_ceiling(values, lowest=12, highest=84)
    assert 0 <= result.pct_at_min <= 100
    assert 0 <= result.pct_at_max <= 100
    assert result.pct_at_min + result.pct_at_max <= 100
    assert result.flagged == (result.pct_at_min > 15 or result.pct_at_max > 15)
