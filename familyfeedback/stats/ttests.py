"""Paired and independent-samples t-tests with 95% CIs and standardised effect sizes.

Thin over scipy.stats.ttest_rel / ttest_ind (statistic, p, df and confidence_interval()). Cohen's
d, d_z and Hedges' g are not in scipy or statsmodels, so they are computed here from their
definitions.

Fields a sample cannot give are None rather than NaN (the analysis is served as JSON): the test
statistics need at least two observations per group and some variance.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.special import gammaln

from familyfeedback.stats._checks import as_array, finite_or_none

CONFIDENCE = 0.95


@dataclass(frozen=True)
class PairedT:
    n_pairs: int
    mean_change: float | None  # mean of (after − before); None when there are no pairs
    sd_change: float | None  # SD (n − 1) of the changes; None when n_pairs < 2
    t: float | None
    df: int | None  # n_pairs − 1
    p: float | None  # two-sided
    ci_low: float | None  # 95% CI of the mean change
    ci_high: float | None
    d_z: float | None  # mean_change / sd_change


def paired_t(before: Sequence[float], after: Sequence[float]) -> PairedT:
    """Paired t-test of after − before (two-sided), its 95% CI and d_z (Cohen's d for paired
    data: mean change over the SD of the changes). before[i] and after[i] are one respondent."""
    x0, x1 = as_array(before, "before"), as_array(after, "after")
    if len(x0) != len(x1):
        raise ValueError(f"before has {len(x0)} values and after {len(x1)}; they must pair up")
    change = x1 - x0
    n = len(change)
    mean = float(np.mean(change)) if n else None
    if n < 2:
        return PairedT(n_pairs=n, mean_change=mean, sd_change=None, t=None, df=None, p=None,
                       ci_low=None, ci_high=None, d_z=None)
    sd = float(np.std(change, ddof=1))
    if np.ptp(change) == 0:
        # Every change is the same: no spread, so t and d_z do not exist (scipy would warn and
        # return NaN or infinity).
        return PairedT(n_pairs=n, mean_change=mean, sd_change=sd, t=None, df=n - 1, p=None,
                       ci_low=None, ci_high=None, d_z=None)
    result = stats.ttest_rel(x1, x0)
    ci = result.confidence_interval(confidence_level=CONFIDENCE)
    return PairedT(
        n_pairs=n, mean_change=mean, sd_change=sd,
        t=float(result.statistic), df=int(result.df), p=float(result.pvalue),
        ci_low=float(ci.low), ci_high=float(ci.high),
        d_z=mean / sd,
    )


@dataclass(frozen=True)
class IndependentT:
    n_a: int
    n_b: int
    mean_a: float | None
    mean_b: float | None
    mean_difference: float | None  # mean(a) − mean(b)
    t: float | None  # Student, pooled variance
    df: float | None  # n_a + n_b − 2
    p: float | None  # two-sided
    ci_low: float | None  # 95% CI of mean(a) − mean(b), Student
    ci_high: float | None
    welch_t: float | None
    welch_df: float | None  # Welch-Satterthwaite
    welch_p: float | None
    d: float | None  # Cohen's d: difference over the pooled SD
    g: float | None  # Hedges' g: d times the exact small-sample correction J(df)


def hedges_j(df: float) -> float:
    """Hedges' small-sample correction, exactly: J = Γ(df/2) / (sqrt(df/2) · Γ((df − 1)/2))
    (Hedges 1981; Hedges & Olkin 1985, eq. 5.4.2). Needs df > 1.

    The exact form, not the common approximation 1 − 3/(4·df − 1): it costs nothing through
    log-gamma (which does not overflow for large df), and the approximation is worst exactly where
    it would matter to us — small arms of a pilot (df = 2: exact 0.5642, approximation 0.5714)."""
    if not df > 1:
        raise ValueError("Hedges' J needs df > 1")
    return math.exp(gammaln(df / 2) - 0.5 * math.log(df / 2) - gammaln((df - 1) / 2))


def independent_t(a: Sequence[float], b: Sequence[float]) -> IndependentT:
    """Student's (pooled-variance) and Welch's two-sample t-tests of mean(a) − mean(b), both
    two-sided; the 95% CI of the difference (Student's); Cohen's d with the pooled SD and Hedges'
    g. The tests need at least two values in each group and some variance in at least one."""
    xa, xb = as_array(a, "a"), as_array(b, "b")
    n_a, n_b = len(xa), len(xb)
    mean_a = float(np.mean(xa)) if n_a else None
    mean_b = float(np.mean(xb)) if n_b else None
    difference = mean_a - mean_b if mean_a is not None and mean_b is not None else None
    empty = IndependentT(n_a=n_a, n_b=n_b, mean_a=mean_a, mean_b=mean_b,
                         mean_difference=difference, t=None, df=None, p=None, ci_low=None,
                         ci_high=None, welch_t=None, welch_df=None, welch_p=None, d=None, g=None)
    if n_a < 2 or n_b < 2 or (np.ptp(xa) == 0 and np.ptp(xb) == 0):
        return empty
    assert difference is not None
    with warnings.catch_warnings():
        if np.ptp(xa) == 0 or np.ptp(xb) == 0:
            # One group is constant (every score the same, e.g. all at the ceiling): its variance
            # is exactly 0 and the tests are sound, but scipy warns of "precision loss".
            warnings.filterwarnings("ignore", "Precision loss", RuntimeWarning)
        student = stats.ttest_ind(xa, xb, equal_var=True)
        welch = stats.ttest_ind(xa, xb, equal_var=False)
    ci = student.confidence_interval(confidence_level=CONFIDENCE)
    df = n_a + n_b - 2
    pooled_sd = math.sqrt(((n_a - 1) * np.var(xa, ddof=1) + (n_b - 1) * np.var(xb, ddof=1)) / df)
    d = difference / pooled_sd
    return IndependentT(
        n_a=n_a, n_b=n_b, mean_a=mean_a, mean_b=mean_b, mean_difference=difference,
        t=finite_or_none(student.statistic), df=float(student.df),
        p=finite_or_none(student.pvalue),
        ci_low=finite_or_none(ci.low), ci_high=finite_or_none(ci.high),
        welch_t=finite_or_none(welch.statistic), welch_df=finite_or_none(welch.df),
        welch_p=finite_or_none(welch.pvalue),
        d=d, g=d * hedges_j(df),
    )
