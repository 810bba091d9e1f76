"""Fitting recovers the parameters that simulated data was made with."""

import math
import random

import numpy as np
import pytest
from scipy.stats import norm

from familyfeedback.stats.trajectories import (
    MIN_TRAJECTORIES,
    Curve,
    Observation,
    band_edges,
    fit_curve,
    usable,
)

TRUE = {"intercept": 15.0, "slope": 4.0, "sd_u0": 2.0, "sd_u1": 1.0, "sd_e": 1.5}


def simulate(trajectories: int, ratings: int, seed: int, prefix="t") -> list[Observation]:
    rng = random.Random(seed)
    observations = []
    for i in range(trajectories):
        u0, u1 = rng.gauss(0, TRUE["sd_u0"]), rng.gauss(0, TRUE["sd_u1"])
        for n in range(1, ratings + 1):
            total = (TRUE["intercept"] + u0 + (TRUE["slope"] + u1) * math.log(n)
                     + rng.gauss(0, TRUE["sd_e"]))
            observations.append(Observation(f"{prefix}{i}", n, total))
    return observations


def test_fitting_recovers_known_parameters():
    curve = fit_curve(simulate(300, 8, seed=7), (0, 40))
    assert curve.intercept == pytest.approx(TRUE["intercept"], abs=0.4)
    assert curve.slope == pytest.approx(TRUE["slope"], abs=0.25)
    assert curve.residual_var == pytest.approx(TRUE["sd_e"] ** 2, rel=0.1)
    assert curve.re_cov[0][0] == pytest.approx(TRUE["sd_u0"] ** 2, rel=0.3)
    assert curve.re_cov[1][1] == pytest.approx(TRUE["sd_u1"] ** 2, rel=0.3)
    assert abs(curve.re_cov[0][1]) < 0.5  # simulated independent
    assert (curve.trajectories, curve.observations) == (300, 2400)


def test_the_tolerance_interval_is_worked_out_as_documented():
    curve = Curve(band_low=0, band_high=40, intercept=15, slope=4,
                  re_cov=((4.0, 0.5), (0.5, 1.0)), residual_var=2.25, trajectories=50,
                  observations=400)
    n = 5
    x = np.array([1, math.log(n)])
    spread = math.sqrt(x @ np.array([[4.0, 0.5], [0.5, 1.0]]) @ x + 2.25)
    z = norm.ppf(0.9)
    low, high = curve.tolerance(n)
    assert curve.expected(n) == pytest.approx(15 + 4 * math.log(5))
    assert (low, high) == pytest.approx((curve.expected(n) - z * spread,
                                         curve.expected(n) + z * spread))


def test_a_simulated_band_holds_about_80_percent_of_new_people():
    curve = fit_curve(simulate(300, 8, seed=3), (0, 40))
    fresh = simulate(2000, 8, seed=99)
    at_six = [o.total for o in fresh if o.number == 6]
    low, high = curve.tolerance(6)
    inside = sum(low <= t <= high for t in at_six) / len(at_six)
    assert inside == pytest.approx(0.8, abs=0.04)


def test_too_few_trajectories_are_refused_with_the_numbers():
    with pytest.raises(ValueError, match=f"5 finished trajectories; at least {MIN_TRAJECTORIES}"):
        fit_curve(simulate(5, 6, seed=1), (0, 40))


def test_short_trajectories_are_left_out():
    observations = simulate(2, 2, seed=1, prefix="short") + simulate(1, 3, seed=2, prefix="ok")
    assert {o.trajectory for o in usable(observations)} == {"ok0"}
    assert len(usable(observations)) == 3


def test_bands_split_intakes_into_equal_thirds():
    intakes = list(range(1, 31))  # 1..30
    bands = band_edges(intakes)
    assert len(bands) == 3
    counts = [sum(low <= x < high for x in intakes) for low, high in bands]
    assert counts == [10, 10, 10]
    assert bands[0][0] == 0 and bands[-1][1] > 40
