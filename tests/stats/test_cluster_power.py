"""Cluster-trial power: the design effect, the MDES and the clusters needed, by hand."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from familyfeedback.stats.cluster_power import clusters_needed, design_effect, mdes


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
