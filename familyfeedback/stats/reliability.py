"""Internal consistency of a multi-item measure: Cronbach's alpha."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CronbachAlpha:
    alpha: float | None  # None with fewer than 2 complete respondents or no variance in totals
    n_respondents: int  # complete rows used
    n_items: int
    n_dropped: int  # rows dropped because an item was missing


def cronbach_alpha(item_matrix: Sequence[Sequence[float | None]]) -> CronbachAlpha:
    """Cronbach's alpha, (k / (k − 1)) · (1 − Σ var(item) / var(total)), of a respondents × items
    matrix (items already reversed where the measure says so).

    Listwise deletion: a respondent (row) with any item missing (None or NaN) is dropped, and
    counted in n_dropped — alpha compares item variances with the variance of the total, so every
    row must have every item. Alpha is not clipped: a negative value is reported as it is.

    Computed here from the formula: neither scipy nor statsmodels provides it, and the one-line
    formula is not worth a new dependency (pingouin)."""
    rows = [list(row) for row in item_matrix]
    if not rows:
        return CronbachAlpha(alpha=None, n_respondents=0, n_items=0, n_dropped=0)
    k = len(rows[0])
    if any(len(row) != k for row in rows):
        raise ValueError("every respondent must have the same number of items")
    if k < 2:
        raise ValueError("Cronbach's alpha needs at least two items")
    complete = [row for row in rows
                if all(v is not None and not (isinstance(v, float) and math.isnan(v))
                       for v in row)]
    dropped = len(rows) - len(complete)
    if len(complete) < 2:
        return CronbachAlpha(alpha=None, n_respondents=len(complete), n_items=k,
                             n_dropped=dropped)
    x = np.asarray(complete, dtype=float)
    total_var = float(np.var(x.sum(axis=1), ddof=1))
    if total_var == 0:
        alpha = None
    else:
        item_var = float(np.var(x, axis=0, ddof=1).sum())
        alpha = (k / (k - 1)) * (1 - item_var / total_var)
    return CronbachAlpha(alpha=alpha, n_respondents=len(complete), n_items=k, n_dropped=dropped)
