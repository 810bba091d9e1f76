"""Cronbach's alpha, worked out by hand from its formula."""

import pytest

from familyfeedback.stats.reliability import cronbach_alpha

# 4 respondents × 3 items.
MATRIX = [[1, 2, 3], [2, 3, 3], [3, 3, 4], [4, 5, 5]]


def test_alpha_is_worked_out_by_hand_from_the_formula():
    # Item variances (n − 1): item 1 (1,2,3,4) 5/3; item 2 (2,3,3,5) 4.75/3; item 3 (3,3,4,5)
    # 2.75/3; their sum is 12.5/3. Totals 6, 8, 10, 14: mean 9.5, squared deviations
    # 12.25 + 2.25 + 0.25 + 20.25 = 35, variance 35/3.
    # alpha = (3/2) · (1 − (12.5/3) / (35/3)) = 1.5 · 22.5/35 = 27/28 = 0.964286.
    result = cronbach_alpha(MATRIX)
    assert result.alpha == pytest.approx(27 / 28)
    assert (result.n_respondents, result.n_items, result.n_dropped) == (4, 3, 0)


def test_respondents_with_a_missing_item_are_dropped_and_counted():
    result = cronbach_alpha([*MATRIX, [5, None, 4], [2, float("nan"), 1]])
    assert result.alpha == pytest.approx(27 / 28)
    assert (result.n_respondents, result.n_dropped) == (4, 2)


def test_alpha_can_be_negative_and_is_not_clipped():
    # Items that disagree: item variances 1 + 1 = 2; totals all 4, variance 0 -> undefined;
    # add one agreeing row so totals vary: rows (1,3) (3,1) (2,2) (3,3).
    # Item vars: (1,3,2,3) mean 2.25, SS 1.5625+.5625+.0625+.5625 = 2.75 -> 2.75/3 each, sum 5.5/3.
    # Totals 4,4,4,6: mean 4.5, SS .25·3 + 2.25 = 3 -> 1. alpha = 2 · (1 − 5.5/3) = -5/3.
    result = cronbach_alpha([[1, 3], [3, 1], [2, 2], [3, 3]])
    assert result.alpha == pytest.approx(-5 / 3)


def test_too_few_respondents_or_no_variance_gives_no_alpha():
    assert cronbach_alpha([[1, 2, 3]]).alpha is None
    assert cronbach_alpha([[1, 3], [3, 1]]).alpha is None  # totals do not vary
    assert cronbach_alpha([]).n_respondents == 0


def test_ragged_rows_and_single_items_are_errors():
    with pytest.raises(ValueError, match="same number"):
        cronbach_alpha([[1, 2], [1, 2, 3]])
    with pytest.raises(ValueError, match="two items"):
        cronbach_alpha([[1], [2]])
