"""Pearson's correlation with its Fisher-z confidence interval: here the correlation between
the same people's baseline and endline scores, which an ANCOVA-analysed trial turns into
power (cluster_power, `correlation`).

    z = atanh(r),   SE = 1 / √(n − 3),   CI = tanh(z ± z(1 − α/2) · SE)

(Fisher 1921; e.g. Altman et al., Statistics with Confidence, 2nd ed., ch. 8). scipy computes
both: scipy.stats.pearsonr and its confidence_interval, whose default method is this one.

The interval treats people as independent. Practitioners are clustered in teams, so with a
positive ICC it is somewhat too narrow; for planning it shows the order of the uncertainty, and
the callers say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import pearsonr

from familyfeedback.stats._checks import as_array

MIN_PAIRS = 3  # r of two points is ±1 by construction
MIN_PAIRS_FOR_CI = 4  # the Fisher-z SE 1/√(n − 3) needs n > 3


@dataclass(frozen=True)
class Correlation:
    """r over n pairs; None, with `reason` a sentence, where the data cannot give it."""

    n: int
    r: float | None
    ci_low: float | None
    ci_high: float | None
    reason: str | None


def pearson(x: Sequence[float], y: Sequence[float], confidence: float = 0.95) -> Correlation:
    """Pearson's r of paired values, with the Fisher-z interval from four pairs on."""
    if not 0 < confidence < 1:
        raise ValueError("the confidence level must be between 0 and 1")
    a, b = as_array(x, "x"), as_array(y, "y")
    if a.size != b.size:
        raise ValueError("x and y must be paired: the same number of values")
    n = int(a.size)
    if n < MIN_PAIRS:
        return Correlation(n, None, None, None,
                           f"A correlation needs at least {MIN_PAIRS} people scored at both.")
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return Correlation(n, None, None, None,
                           "Everyone has the same score at one of the two times, so there is "
                           "no correlation to estimate.")
    result = pearsonr(a, b)
    r = float(result.statistic)
    if n < MIN_PAIRS_FOR_CI:
        return Correlation(n, r, None, None,
                           f"A confidence interval needs at least {MIN_PAIRS_FOR_CI} people "
                           "scored at both.")
    ci = result.confidence_interval(confidence_level=confidence)
    return Correlation(n, r, float(ci.low), float(ci.high), None)
