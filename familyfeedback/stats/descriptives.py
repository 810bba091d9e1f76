"""Descriptive statistics of a scale score, and its floor and ceiling effects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from familyfeedback.stats._checks import as_array

# Terwee et al. (2007): a floor or ceiling effect is present when MORE than 15% of respondents
# have the lowest or highest possible score.
FLOOR_CEILING_PCT = 15
# Scores that are means of items (1-5 scales) are compared with the scale's ends with this
# tolerance, so that a mean computed in floating point still counts as the extreme.
_AT_END_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Descriptives:
    n: int
    mean: float | None  # None when n = 0
    sd: float | None  # sample SD (n - 1 denominator); None when n < 2
    min: float | None
    max: float | None


def descriptives(values: Sequence[float]) -> Descriptives:
    """n, mean, SD (n − 1), min and max of plain numbers (no missing values)."""
    x = as_array(values)
    n = len(x)
    if n == 0:
        return Descriptives(n=0, mean=None, sd=None, min=None, max=None)
    return Descriptives(
        n=n,
        mean=float(np.mean(x)),
        sd=float(np.std(x, ddof=1)) if n >= 2 else None,
        min=float(np.min(x)),
        max=float(np.max(x)),
    )


@dataclass(frozen=True)
class FloorCeiling:
    n: int
    pct_at_min: float | None  # 0-100; None when n = 0
    pct_at_max: float | None
    floor_effect: bool  # more than 15% at the lowest possible score
    ceiling_effect: bool  # more than 15% at the highest possible score
    flagged: bool  # either of the two


def floor_ceiling(values: Sequence[float], lowest: float, highest: float) -> FloorCeiling:
    """Percentages of respondents at the lowest and highest POSSIBLE scores of the scale (not the
    observed extremes), and whether either exceeds 15%.

    Criterion: Terwee CB, Bot SDM, de Boer MR, et al. Quality criteria were proposed for
    measurement properties of health status questionnaires. J Clin Epidemiol 2007;60:34-42 —
    "floor or ceiling effects are considered to be present if more than 15% of respondents
    achieved the lowest or highest possible score". Exactly 15% is not flagged.

    A value outside [lowest, highest] is an error (it means the wrong scale was given).
    """
    if not lowest < highest:
        raise ValueError(f"lowest ({lowest}) must be below highest ({highest})")
    x = as_array(values)
    tol = _AT_END_TOLERANCE
    if np.any(x < lowest - tol) or np.any(x > highest + tol):
        raise ValueError(f"a value lies outside the scale {lowest}-{highest}")
    n = len(x)
    if n == 0:
        return FloorCeiling(n=0, pct_at_min=None, pct_at_max=None, floor_effect=False,
                            ceiling_effect=False, flagged=False)
    at_min = int(np.count_nonzero(np.abs(x - lowest) <= tol))
    at_max = int(np.count_nonzero(np.abs(x - highest) <= tol))
    # Compare counts in integers, so that exactly 15% is never flagged by a rounding error.
    floor_effect = 100 * at_min > FLOOR_CEILING_PCT * n
    ceiling_effect = 100 * at_max > FLOOR_CEILING_PCT * n
    return FloorCeiling(
        n=n,
        pct_at_min=100 * at_min / n,
        pct_at_max=100 * at_max / n,
        floor_effect=floor_effect,
        ceiling_effect=ceiling_effect,
        flagged=floor_effect or ceiling_effect,
    )
