"""The t-tests reproduce R's documented output on the sleep data, and the effect sizes behave."""

import math
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from familyfeedback.stats.ttests import hedges_j, independent_t, paired_t

# R's `sleep` data set (Cushny & Peebles, as printed in ?sleep): extra hours of sleep.
GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_the_paired_test_matches_rs_documented_sleep_example():
    # R's ?t.test example `t.test(extra ~ group, data = sleep, paired = TRUE)` (R >= 4.4 writes it
    # `t.test(Pair(extra.1, extra.2) ~ 1, data = sleep2)`; same output) prints:
    #   t = -4.0621, df = 9, p-value = 0.002833
    #   95 percent confidence interval: -2.4598858 -0.7001142
    #   mean difference -1.58
    # R reports group 1 − group 2; our mean_change is after − before, so group 2 is "before".
    result = paired_t(before=GROUP_2, after=GROUP_1)
    assert result.n_pairs == 10
    assert result.t == pytest.approx(-4.0621, abs=5e-5)
    assert result.df == 9
    assert result.p == pytest.approx(0.002833, abs=5e-7)
    assert result.ci_low == pytest.approx(-2.4598858, abs=5e-8)
    assert result.ci_high == pytest.approx(-0.7001142, abs=5e-8)
    assert result.mean_change == pytest.approx(-1.58)


def test_the_paired_sd_and_d_z_are_worked_out_by_hand():
    # Changes (group 1 − group 2): -1.2 -2.4 -1.3 -1.3 0 -1.0 -1.8 -0.8 -4.6 -1.4, mean -1.58.
    # Squared deviations from the mean sum to 13.616, so var = 13.616 / 9 = 1.512889,
    # sd = 1.229995 and d_z = -1.58 / 1.229995 = -1.28456; also t = d_z * sqrt(10) = -4.0621.
    result = paired_t(before=GROUP_2, after=GROUP_1)
    assert result.sd_change == pytest.approx(math.sqrt(13.616 / 9))
    assert result.sd_change == pytest.approx(1.229995, abs=5e-7)
    assert result.d_z == pytest.approx(-1.28456, abs=5e-6)
    assert result.d_z * math.sqrt(10) == pytest.approx(result.t)


def test_welchs_test_matches_rs_documented_sleep_example():
    # R's ?t.test: `t.test(extra ~ group, data = sleep)` (Welch is R's default) prints:
    #   t = -1.8608, df = 17.776, p-value = 0.07939
    #   95 percent confidence interval: -3.3654832 0.2054832
    #   mean in group 1 0.75, mean in group 2 2.33
    result = independent_t(GROUP_1, GROUP_2)
    assert result.welch_t == pytest.approx(-1.8608, abs=5e-5)
    assert result.welch_df == pytest.approx(17.776, abs=5e-4)
    assert result.welch_p == pytest.approx(0.07939, abs=5e-6)
    assert (result.mean_a, result.mean_b) == pytest.approx((0.75, 2.33))
    assert result.mean_difference == pytest.approx(-1.58)


def test_students_test_matches_r_with_equal_variances():
    # `t.test(extra ~ group, data = sleep, var.equal = TRUE)` prints:
    #   t = -1.8608, df = 18, p-value = 0.07919
    #   95 percent confidence interval: -3.363874 0.203874
    result = independent_t(GROUP_1, GROUP_2)
    assert (result.n_a, result.n_b) == (10, 10)
    assert result.t == pytest.approx(-1.8608, abs=5e-5)
    assert result.df == 18
    assert result.p == pytest.approx(0.07919, abs=5e-6)
    assert result.ci_low == pytest.approx(-3.363874, abs=5e-7)
    assert result.ci_high == pytest.approx(0.203874, abs=5e-7)


def test_cohens_d_and_hedges_g_are_worked_out_by_hand():
    # R: sd(group 1) = 1.789010, sd(group 2) = 2.002249, so the pooled variance is
    # (1.789010² + 2.002249²) / 2 = (3.200557 + 4.009001) / 2 = 3.604779, pooled SD 1.898625,
    # d = -1.58 / 1.898625 = -0.83218. Cross-check with R's Student t: with equal groups of 10,
    # t = d * sqrt(10 * 10 / 20), so d = -1.8608 / sqrt(5) = -0.8322.
    # J(18) = Γ(9) / (3 · Γ(8.5)) = 40320 / (3 · 14034.407) = 0.957646, so g = -0.79693.
    result = independent_t(GROUP_1, GROUP_2)
    assert result.d == pytest.approx(-0.83218, abs=5e-6)
    assert result.d == pytest.approx(-1.8608 / math.sqrt(5), abs=5e-5)
    assert result.g == pytest.approx(-0.83218 * 0.957646, abs=5e-6)


def test_hedges_j_is_the_exact_gamma_ratio_close_to_the_usual_approximation():
    assert hedges_j(18) == pytest.approx(40320 / (3 * math.gamma(8.5)))
    assert hedges_j(2) == pytest.approx(1 / math.sqrt(math.pi))  # Γ(1) / (1 · Γ(1/2))
    for df in (5, 18, 50, 400):  # the approximation's error shrinks like 1/df²
        assert hedges_j(df) == pytest.approx(1 - 3 / (4 * df - 1), abs=0.05 / df**2)
    assert hedges_j(1e7) == pytest.approx(1)  # log-gamma: no overflow for large df


def test_too_few_values_give_none_rather_than_an_error_or_nan():
    one = paired_t([3], [5])
    assert (one.n_pairs, one.mean_change, one.sd_change, one.t, one.p) == (1, 2.0, None, None, None)
    assert paired_t([], []).mean_change is None
    small = independent_t([1.0], [2.0, 3.0])
    assert (small.n_a, small.n_b, small.mean_difference) == (1, 2, -1.5)
    assert small.t is small.welch_t is small.d is small.g is small.ci_low is None


def test_no_spread_at_all_gives_no_test_statistic():
    same_change = paired_t([1, 2, 3], [2, 3, 4])
    assert (same_change.mean_change, same_change.sd_change, same_change.df) == (1.0, 0.0, 2)
    assert same_change.t is same_change.p is same_change.d_z is None
    constant = independent_t([2, 2, 2], [3, 3])
    assert constant.mean_difference == -1.0
    assert constant.t is constant.welch_t is constant.d is None


def test_one_constant_group_still_has_a_test():
    result = independent_t([2, 2, 2], [1, 3, 5])
    assert result.t is not None and result.welch_t is not None and result.d is not None


def test_pairs_must_match_and_missing_values_are_refused():
    with pytest.raises(ValueError, match="pair up"):
        paired_t([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="missing"):
        independent_t([1, None, 3], [1, 2])
    with pytest.raises(ValueError, match="missing"):
        paired_t([1, float("nan")], [1, 2])


scores = st.lists(st.integers(min_value=0, max_value=84), min_size=2, max_size=30)


@given(scores, scores)
def test_d_and_g_take_the_sign_of_the_difference_and_g_is_smaller(a, b):
    result = independent_t(a, b)
    assume(result.d is not None)  # at least one group varies
    assert result.g is not None
    # The sign of the true difference, in exact arithmetic.
    difference = Fraction(sum(a), len(a)) - Fraction(sum(b), len(b))
    sign = (difference > 0) - (difference < 0)
    assert (result.d > 0) - (result.d < 0) == sign
    assert (result.g > 0) - (result.g < 0) == sign
    if sign:
        assert abs(result.g) < abs(result.d)
    else:
        assert result.g == result.d == 0


@given(scores, scores)
def test_the_student_ci_contains_the_difference_and_t_agrees_with_d(a, b):
    result = independent_t(a, b)
    assume(result.t is not None)
    assert result.ci_low <= result.mean_difference <= result.ci_high
    scale = math.sqrt(len(a) * len(b) / (len(a) + len(b)))
    assert result.t == pytest.approx(result.d * scale, rel=1e-9, abs=1e-9)
