"""Cluster-trial power: the design effect, the MDES and the clusters needed, by hand."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from familyfeedback.stats.cluster_power import (
    clusters_needed,
    correlation_range,
    design_effect,
    mdes,
    scenarios,
)


def test_the_design_effect_is_one_plus_m_minus_one_times_the_icc():
    assert design_effect(10, 0.05) == pytest.approx(1.45)
    assert design_effect(1, 0.3) == 1  # individuals: no inflation
    assert design_effect(8, 1.0) == 8  # everyone in a cluster alike: one person's worth


def test_the_mdes_is_worked_out_by_hand():
    # 10 clusters per arm, 10 per cluster, ICC 0.05: DE = 1.45.
    # z(0.975) + z(0.8) = 1.959964 + 0.841621 = 2.801585; sqrt(2 · 1.45 / 100) = 0.170294;
    # MDES = 2.801585 · 0.170294 = 0.477093.
    assert mdes(10, 10, 0.05) == pytest.approx(0.477093, abs=5e-7)


def test_the_t_multiplier_gives_the_larger_mdes():
    # df = 2 · 10 − 2 = 18: t(0.975; 18) + t(0.8; 18) = 2.100922 + 0.862049 = 2.962971;
    # MDES = 2.962971 · 0.170294 = 0.504576.
    assert mdes(10, 10, 0.05, method="t") == pytest.approx(0.504576, abs=5e-7)


def test_the_clusters_needed_are_worked_out_by_hand():
    # Effect 0.5, m = 10, ICC 0.05: k = 2.801585² · 2 · 1.45 / (10 · 0.5²) = 9.1047 -> 10.
    assert clusters_needed(0.5, 10, 0.05) == 10
    # t multiplier: 10 per arm gives 0.5046 (too big); 11 per arm (df 20) gives
    # (2.085963 + 0.859964) · sqrt(2.9 / 110) = 0.478327.
    assert clusters_needed(0.5, 10, 0.05, method="t") == 11


def test_a_large_effect_still_needs_two_clusters_per_arm():
    assert clusters_needed(5.0, 20, 0.01) == 2


def test_nonsense_inputs_are_refused():
    with pytest.raises(ValueError):
        design_effect(10, 1.5)
    with pytest.raises(ValueError):
        mdes(1, 10, 0.05)
    with pytest.raises(ValueError):
        mdes(10, 10, 0.05, power=0.3)
    with pytest.raises(ValueError):
        clusters_needed(0, 10, 0.05)
    with pytest.raises(ValueError):
        mdes(10, 10, 0.05, method="exact")


methods = st.sampled_from(["normal", "t"])
sizes = st.integers(min_value=1, max_value=60)
iccs = st.floats(min_value=0, max_value=0.5)
alphas = st.sampled_from([0.01, 0.05, 0.1])
powers = st.sampled_from([0.8, 0.9])


@given(st.integers(min_value=2, max_value=500), sizes, iccs, alphas, powers, methods)
def test_the_clusters_needed_for_a_trials_mdes_are_that_trials_clusters(k, m, icc, alpha, power,
                                                                         method):
    effect = mdes(k, m, icc, alpha, power, method=method)
    assert clusters_needed(effect, m, icc, alpha, power, method=method) == k


@given(st.floats(min_value=0.05, max_value=2), sizes, iccs, alphas, powers, methods)
def test_the_clusters_needed_are_the_fewest_that_detect_the_effect(effect, m, icc, alpha, power,
                                                                   method):
    k = clusters_needed(effect, m, icc, alpha, power, method=method)
    assert mdes(k, m, icc, alpha, power, method=method) <= effect
    assert k == 2 or mdes(k - 1, m, icc, alpha, power, method=method) > effect


@given(st.integers(min_value=2, max_value=500), sizes, iccs)
def test_the_t_based_mdes_is_never_below_the_normal_one(k, m, icc):
    normal = mdes(k, m, icc)
    assert mdes(k, m, icc, method="t") >= normal
    assert normal == pytest.approx(2.801585 * math.sqrt(2 * (1 + (m - 1) * icc) / (k * m)),
                                   rel=1e-6)


# --- adjusting for the baseline (ANCOVA) --------------------------------------------------------

def powerup_mdes(multiplier, clusters_total, m, icc, r):
    """Dong & Maynard's (2013) PowerUp! MDES for a two-level cluster trial (CRA2_2), P = 0.5 and
    R² = r² at both levels, written out independently of cluster_power."""
    p = 0.5
    return multiplier * math.sqrt(icc * (1 - r * r) / (p * (1 - p) * clusters_total)
                                  + (1 - icc) * (1 - r * r) / (p * (1 - p) * clusters_total * m))


def test_the_adjusted_mdes_is_worked_out_by_hand():
    # r = 0.6: the variance shrinks by 1 − 0.36 = 0.64, the MDES by 0.8:
    # 0.477093 · 0.8 = 0.381674. PowerUp!'s form: 0.05 · 0.64 / 5 + 0.95 · 0.64 / 50 = 0.01856,
    # √0.01856 = 0.136235, times 2.801585.
    assert mdes(10, 10, 0.05, correlation=0.6) == pytest.approx(0.381674, abs=5e-7)
    assert mdes(10, 10, 0.05, correlation=0.6) == pytest.approx(
        powerup_mdes(2.801585, 20, 10, 0.05, 0.6), rel=1e-6)
    assert mdes(10, 10, 0.05, correlation=-0.6) == mdes(10, 10, 0.05, correlation=0.6)


def test_the_adjusted_t_multiplier_loses_a_degree_of_freedom():
    # df = 2 · 10 − 3 = 17: t(0.975; 17) + t(0.8; 17) = 2.109816 + 0.863279 = 2.973095 (tables:
    # 2.110 and 0.863), MDES = 2.973095 · 0.136235 = 0.405040.
    assert mdes(10, 10, 0.05, method="t", correlation=0.6) == pytest.approx(0.405040, abs=2e-6)
    # Adjusted for a baseline that does not predict the outcome: only the df is lost.
    assert mdes(10, 10, 0.05, method="t", correlation=0) > mdes(10, 10, 0.05, method="t")
    assert mdes(10, 10, 0.05, correlation=0) == mdes(10, 10, 0.05)


def test_adjusting_lets_the_same_clusters_detect_a_smaller_effect():
    # 2.801585² · 2 · 1.45 · 0.64 / (10 · 0.4²) = 9.1047, as unadjusted for 0.5: 10 per arm.
    assert clusters_needed(0.4, 10, 0.05, correlation=0.6) == 10
    assert clusters_needed(0.4, 10, 0.05) == 15  # 7.84888 · 2.9 / 1.6 = 14.226 -> 15


def test_a_correlation_of_one_is_refused():
    with pytest.raises(ValueError):
        mdes(10, 10, 0.05, correlation=1)
    with pytest.raises(ValueError):
        clusters_needed(0.3, 10, 0.05, correlation=-1.2)


def test_the_scenarios_pair_every_icc_with_every_correlation():
    rows = scenarios(0.4, 3, 10, {"low": 0, "estimate": 0.05, "high": 0.2},
                     {"weakest": 0, "estimate": 0.6, "strongest": 0.8})
    assert [(s.icc_at, s.correlation_at) for s in rows][:4] == [
        ("low", "weakest"), ("low", "estimate"), ("low", "strongest"), ("estimate", "weakest")]
    middle = rows[4]
    assert (middle.icc, middle.correlation) == (0.05, 0.6)
    assert middle.clusters_needed == clusters_needed(0.4, 10, 0.05, method="t", correlation=0.6)
    assert middle.mdes == mdes(3, 10, 0.05, method="t", correlation=0.6)
    worst, best = rows[6], rows[2]
    assert worst.clusters_needed > middle.clusters_needed > best.clusters_needed
    unadjusted = scenarios(0.4, 3, 10, {"estimate": 0.05}, method="normal")
    assert [(s.correlation_at, s.clusters_needed) for s in unadjusted] == [(None, 15)]


def test_the_correlations_range_runs_from_nearest_zero_to_farthest():
    assert correlation_range(0.6, 0.2, 0.85) == {"weakest": 0.2, "estimate": 0.6,
                                                 "strongest": 0.85}
    assert correlation_range(0.3, -0.4, 0.8) == {"weakest": 0, "estimate": 0.3,
                                                 "strongest": 0.8}
    assert correlation_range(-0.7, -0.9, -0.3) == {"weakest": -0.3, "estimate": -0.7,
                                                   "strongest": -0.9}


correlations = st.floats(min_value=-0.95, max_value=0.95)


@given(st.integers(min_value=2, max_value=300), sizes, iccs, correlations, methods)
def test_more_clusters_give_a_smaller_adjusted_mdes(k, m, icc, r, method):
    assert (mdes(k + 1, m, icc, correlation=r, method=method)
            < mdes(k, m, icc, correlation=r, method=method))


@given(st.integers(min_value=2, max_value=300), sizes, iccs, correlations, correlations, methods)
def test_a_stronger_baseline_correlation_never_raises_the_mdes(k, m, icc, r1, r2, method):
    weak, strong = sorted((r1, r2), key=abs)
    assert (mdes(k, m, icc, correlation=strong, method=method)
            <= mdes(k, m, icc, correlation=weak, method=method))


@given(st.floats(min_value=0.05, max_value=2), sizes, iccs, correlations, methods)
def test_the_adjusted_clusters_needed_are_the_fewest(effect, m, icc, r, method):
    k = clusters_needed(effect, m, icc, correlation=r, method=method)
    assert mdes(k, m, icc, correlation=r, method=method) <= effect
    assert k == 2 or mdes(k - 1, m, icc, correlation=r, method=method) > effect
