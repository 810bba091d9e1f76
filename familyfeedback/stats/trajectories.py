"""Expected treatment response, done openly (Finch, Lambert & Schaalje 2001).

People are grouped by their intake score. Within each group a linear mixed model is fitted to the
totals of people whose support has finished:

    total[i, n] = (b0 + u0[i]) + (b1 + u1[i]) * log(n) + e[i, n]

where n is the rating's number in the episode (1 at intake), (u0, u1) are each person's random
intercept and slope with covariance G, and e is residual noise with variance s2. The expected
total at rating n is b0 + b1 log n; the tolerance interval around it covers the given share of
people starting in that band:

    b0 + b1 log n  ±  z * sqrt([1, log n] G [1, log n]' + s2)

A latest total below the lower edge is "below the expected range". Vendors do not publish their
curves; this module is the whole of ours.
"""

from __future__ import annotations

import math
import statistics
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.stats import norm

# Below this many finished trajectories in a band, random slopes are not estimable with any
# confidence, and the band is not drawn (the page says so).
MIN_TRAJECTORIES = 20
# Each trajectory needs at least this many ratings to say anything about a slope.
MIN_RATINGS = 3
# The tolerance interval covers the middle 80% of people starting in the band; the alert is for
# the lowest 10%.
COVERAGE = 0.8


@dataclass(frozen=True)
class Observation:
    trajectory: str  # one person in one episode
    number: int  # 1 for the intake rating, 2 for the next, ...
    total: float


@dataclass(frozen=True)
class Curve:
    """The fitted expected trajectory of one intake band."""

    band_low: float
    band_high: float
    intercept: float
    slope: float
    re_cov: tuple[tuple[float, float], tuple[float, float]]
    residual_var: float
    trajectories: int
    observations: int

    def expected(self, number: int) -> float:
        return self.intercept + self.slope * math.log(number)

    def tolerance(self, number: int, coverage: float = COVERAGE) -> tuple[float, float]:
        x = np.array([1.0, math.log(number)])
        spread = math.sqrt(float(x @ np.array(self.re_cov) @ x) + self.residual_var)
        z = _z(coverage)
        centre = self.expected(number)
        return centre - z * spread, centre + z * spread

    def covers(self, intake: float) -> bool:
        return self.band_low <= intake < self.band_high


@cache
def _z(coverage: float) -> float:
    # norm.ppf costs tens of microseconds; a caseload asks for it thousands of times.
    return float(norm.ppf(0.5 + coverage / 2))


def band_edges(intakes: Sequence[float], bands: int = 3) -> list[tuple[float, float]]:
    """Bands of intake score with equal numbers of people (tertiles by default), so every band
    has as much data as the service can give it. The outer edges are open (0 and 40 inclusive)."""
    if len(intakes) < bands:
        raise ValueError("Too few intake scores to make bands")
    cuts = statistics.quantiles(intakes, n=bands, method="inclusive")
    edges = [0.0, *cuts, 40.0 + 1e-9]
    return [(edges[i], edges[i + 1]) for i in range(bands)]


def usable(observations: Sequence[Observation]) -> list[Observation]:
    """The observations of trajectories with at least MIN_RATINGS ratings."""
    counts: dict[str, int] = {}
    for o in observations:
        counts[o.trajectory] = counts.get(o.trajectory, 0) + 1
    return [o for o in observations if counts[o.trajectory] >= MIN_RATINGS]


def fit_curve(observations: Sequence[Observation], band: tuple[float, float]) -> Curve:
    """Fit the mixed model to one band's observations (already filtered with `usable`)."""
    trajectories = {o.trajectory for o in observations}
    if len(trajectories) < MIN_TRAJECTORIES:
        raise ValueError(f"{len(trajectories)} finished trajectories; at least "
                         f"{MIN_TRAJECTORIES} are needed")
    endog = np.array([o.total for o in observations])
    log_n = np.array([math.log(o.number) for o in observations])
    exog = np.column_stack([np.ones_like(log_n), log_n])
    groups = np.array([o.trajectory for o in observations])
    # Imported here: statsmodels takes a quarter of a second to load, and only this monthly fit
    # needs it, not every web worker and command that imports this module.
    from statsmodels.regression.mixed_linear_model import MixedLM

    model = MixedLM(endog, exog, groups=groups, exog_re=exog)
    with warnings.catch_warnings():
        # statsmodels warns when a variance sits on its boundary; the fit is still the maximum
        # likelihood one, and the tolerance interval uses what it found.
        warnings.simplefilter("ignore")
        result = model.fit(reml=True, method=["lbfgs", "powell"])
    cov = np.asarray(result.cov_re)
    return Curve(
        band_low=band[0], band_high=band[1],
        intercept=float(result.fe_params[0]), slope=float(result.fe_params[1]),
        re_cov=((float(cov[0, 0]), float(cov[0, 1])), (float(cov[1, 0]), float(cov[1, 1]))),
        residual_var=float(result.scale),
        trajectories=len(trajectories), observations=len(observations),
    )
