"""The one-way ANOVA ICC and Searle's interval: a small example worked by hand, the mean squares
checked against statsmodels' ANOVA table, and the properties an ICC must have."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import f
from statsmodels.stats.anova import anova_lm

from familyfeedback.stats.icc import anova_icc

# Three clusters of unequal size. Means 2, 6, 8; grand mean 54 / 9 = 6.
CLUSTERS = [[1, 3], [4, 6, 8], [5, 7, 9, 11]]


def f_quantile_2_6(p: float) -> float:
    """The F(2, 6) quantile in closed form: with 2 numerator df, P(F <= x) = 1 − (1 + 2x/6)^−3,
    so x = 3 · ((1 − p)^(−1/3) − 1). F(0.975; 2, 6) = 7.2599, as printed in F tables."""
    return 3 * ((1 - p) ** (-1 / 3) - 1)


def test_the_icc_of_unequal_clusters_is_worked_out_by_hand():
    # SSB = 2·(2 − 6)² + 3·0² + 4·(8 − 6)² = 48, MSB = 48 / 2 = 24.
    # SSW = (1 + 1) + (4 + 0 + 4) + (9 + 1 + 1 + 9) = 30, MSW = 30 / (9 − 3) = 5; F = 4.8.
    # n0 = (9 − (4 + 9 + 16) / 9) / 2 = 26/9.
    # ICC = (24 − 5) / (24 + (26/9 − 1) · 5) = 19 / (301/9) = 171/301 = 0.568106.
    result = anova_icc(CLUSTERS)
    assert (result.clusters, result.people) == (3, 9)
    assert result.n0 == pytest.approx(26 / 9, rel=1e-12)
    assert result.icc == pytest.approx(171 / 301, rel=1e-12)
    assert result.anova == result.icc and not result.truncated and result.reason is None


def test_searles_interval_is_worked_out_by_hand():
    # F_L = 4.8 / F(0.975; 2, 6) = 4.8 / 7.259856 = 0.661170: (F_L − 1) / (F_L + n0 − 1) < 0,
    # so the lower end is truncated to 0. F_U = 4.8 / F(0.025; 2, 6) = 4.8 / 0.025425 = 188.79,
    # upper end (188.79 − 1) / (188.79 + 26/9 − 1) = 0.98485.
    assert f_quantile_2_6(0.975) == pytest.approx(7.2599, abs=5e-5)
    f_high = 4.8 / f_quantile_2_6(0.025)
    n0 = 26 / 9
    result = anova_icc(CLUSTERS)
    assert result.ci_low == 0
    assert (4.8 / f_quantile_2_6(0.975) - 1) < 0
    assert result.ci_high == pytest.approx((f_high - 1) / (f_high + n0 - 1), rel=1e-9)
    assert result.ci_high == pytest.approx(0.98485, abs=5e-5)


def test_a_negative_estimate_is_reported_as_zero_and_says_so():
    # Both means 3: MSB = 0, F = 0, n0 = (4 − 8/4) / 1 = 2, so the ANOVA estimate is
    # (0 − 1) / (0 + 2 − 1) = −1.
    result = anova_icc([[1, 5], [2, 4]])
    assert result.anova == pytest.approx(-1)
    assert result.icc == 0 and result.truncated
    assert (result.ci_low, result.ci_high) == (0, 0)


def test_the_mean_squares_agree_with_statsmodels_anova_table():
    rng = np.random.default_rng(12)
    clusters = [list(rng.normal(loc, 1, size)) for loc, size in
                [(0, 3), (0.5, 7), (1.5, 4), (0.2, 12), (-1, 5)]]
    frame = pd.DataFrame([{"cluster": f"c{i}", "y": y} for i, c in enumerate(clusters)
                          for y in c])
    table = anova_lm(smf.ols("y ~ C(cluster)", data=frame).fit())
    msb, msw = table["mean_sq"].iloc[0], table["mean_sq"].iloc[1]
    sizes = [len(c) for c in clusters]
    n = sum(sizes)
    n0 = (n - sum(s * s for s in sizes) / n) / (len(sizes) - 1)
    expected = (msb - msw) / (msb + (n0 - 1) * msw)
    assert expected > 0
    assert anova_icc(clusters).icc == pytest.approx(expected, rel=1e-10)


def test_with_equal_clusters_the_interval_ends_are_where_the_f_pivot_says():
    # Equal sizes n: F · (1 − ρ) / (1 + (n − 1) ρ) follows F(k − 1, k(n − 1)), so at the lower
    # end the pivot is the upper quantile. Four clusters of three: F(3, 8) quantiles from scipy.
    clusters = [[1, 2, 3], [3, 4, 6], [6, 7, 8], [2, 2, 5]]
    result = anova_icc(clusters)
    assert result.n0 == 3
    means = [np.mean(c) for c in clusters]
    grand = np.mean(sum(clusters, []))
    msb = 3 * sum((m - grand) ** 2 for m in means) / 3
    msw = sum(((np.array(c) - np.mean(c)) ** 2).sum() for c in clusters) / 8
    big_f = msb / msw
    low = result.ci_low
    assert low > 0
    assert big_f * (1 - low) / (1 + 2 * low) == pytest.approx(f.ppf(0.975, 3, 8), rel=1e-9)


@pytest.mark.parametrize(("clusters", "reason"), [
    ([[1, 2, 3]], "at least two clusters"),
    ([[1], [2], [], [4]], "two or more people"),
    ([[2, 2], [5, 5, 5]], "same score"),
    ([[4, 4], [4, 4]], "same score"),
    ([], "at least two clusters"),
])
def test_data_that_cannot_give_an_icc_give_none_with_a_reason(clusters, reason):
    result = anova_icc(clusters)
    assert result.icc is None and result.ci_low is None and result.ci_high is None
    assert reason in result.reason


def test_nonsense_is_refused():
    with pytest.raises(ValueError):
        anova_icc([[1, 2], [3, float("nan")]])
    with pytest.raises(ValueError):
        anova_icc([[1, 2], [3, 4]], confidence=1)


cluster = st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12)


@given(st.lists(cluster, min_size=2, max_size=10))
def test_the_icc_and_its_interval_lie_in_zero_to_one_in_order(clusters):
    result = anova_icc(clusters)
    if result.icc is None:
        assert result.reason
        return
    assert 0 <= result.ci_low <= result.icc <= result.ci_high < 1
    assert result.truncated == (result.anova < 0)
    assert result.anova >= -1 / (result.n0 - 1) - 1e-12  # F >= 0
    assert not any(math.isnan(x) for x in (result.icc, result.ci_low, result.ci_high))


@given(st.lists(cluster, min_size=2, max_size=8), st.floats(min_value=0.1, max_value=10),
       st.floats(min_value=-100, max_value=100))
def test_the_icc_does_not_depend_on_the_scores_units(clusters, scale, shift):
    before = anova_icc(clusters)
    after = anova_icc([[scale * y + shift for y in c] for c in clusters])
    if before.icc is None:
        return
    assert after.icc == pytest.approx(before.icc, abs=1e-9)
    assert after.ci_high == pytest.approx(before.ci_high, abs=1e-9)
