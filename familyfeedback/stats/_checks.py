"""Input checks shared by the stats modules (private)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def as_array(values: Sequence[float], name: str = "values") -> np.ndarray:
    """The values as a float array; missing values (None, NaN) are the caller's to remove, so that
    nothing is dropped silently and an n always means what the caller thinks it means."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be plain numbers; remove missing values first") from error
    if array.ndim != 1:
        raise ValueError(f"{name} must be a flat sequence of numbers")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains a missing or infinite value; remove it first")
    return array


def finite_or_none(x: float) -> float | None:
    """A float for JSON: None where the statistic does not exist (NaN or infinite)."""
    x = float(x)
    return x if math.isfinite(x) else None
