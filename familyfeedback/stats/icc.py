"""The intracluster correlation (ICC) of a continuous outcome measured on people in clusters
(practitioners in teams), for planning the next cluster trial (the seed report's 3.6).

The one-way random-effects ANOVA estimator (Fisher; reviewed by Donner 1986, International
Statistical Review 54: 67-82), for k clusters of sizes n_i, N = Σ n_i people:

    MSB = Σ n_i (ȳ_i − ȳ)² / (k − 1)          between-cluster mean square
    MSW = Σ_i Σ_j (y_ij − ȳ_i)² / (N − k)     within-cluster mean square
    n0  = (N − Σ n_i² / N) / (k − 1)          the cluster size to use when sizes differ
    ICC = (MSB − MSW) / (MSB + (n0 − 1) MSW) = (F − 1) / (F + n0 − 1),   F = MSB / MSW

With equal sizes n0 is the size. The estimate is negative when clusters differ less than chance
would make them (F < 1); an ICC is a proportion of variance, so it is reported as 0 and
`truncated` says so (the untruncated value is kept in `anova`).

The confidence interval is Searle's (1971, Linear Models, Wiley, ch. 9), from the F
distribution on (k − 1, N − k) degrees of freedom:

    F_L = F / F(1 − α/2; k − 1, N − k),   F_U = F / F(α/2; k − 1, N − k)
    low = (F_L − 1) / (F_L + n0 − 1),     high = (F_U − 1) / (F_U + n0 − 1)

both ends truncated at 0 like the estimate. Why this one and not Smith's (1956) or Donner's
large-sample intervals (estimate ± z · SE): a pilot has a handful of teams, and the
large-sample standard error is a normal approximation that needs many clusters — with few it
gives symmetric intervals that run below 0 and whose coverage falls short (Donner & Wells 1986,
Biometrics 42: 401-412; Ukoumunne 2002, Statistics in Medicine 21: 3757-3774). Searle's is
exact for equal cluster sizes under normality and, with n0, close for moderately unequal ones
(the same comparisons), and its interval is asymmetric as an ICC's should be.

F is scipy's one-way ANOVA (scipy.stats.f_oneway) and the quantiles scipy's F distribution;
statsmodels has no one-way ICC with a confidence interval (its anova_lm gives the same mean
squares, which the tests use as an independent check).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import f, f_oneway

from familyfeedback.stats._checks import as_array


@dataclass(frozen=True)
class Icc:
    """The ICC over the clusters with at least one value. `icc`, `ci_low` and `ci_high` are
    None, with `reason` a sentence, where the data cannot give them."""

    clusters: int
    people: int
    n0: float | None
    anova: float | None  # the ANOVA estimate before truncation at 0
    icc: float | None
    ci_low: float | None
    ci_high: float | None
    truncated: bool
    reason: str | None


def _from_f(f_value: float, n0: float) -> float:
    return (f_value - 1) / (f_value + n0 - 1)


def anova_icc(clusters: Sequence[Sequence[float]], confidence: float = 0.95) -> Icc:
    """The one-way ANOVA ICC of values grouped by cluster, with Searle's interval (see the
    module docstring). Empty clusters are left out: they hold no information about the ICC."""
    if not 0 < confidence < 1:
        raise ValueError("the confidence level must be between 0 and 1")
    groups = [as_array(c, "each cluster's values") for c in clusters]
    groups = [g for g in groups if g.size]
    k, people = len(groups), sum(g.size for g in groups)

    def missing(reason: str, n0: float | None = None) -> Icc:
        return Icc(k, people, n0, None, None, None, None, False, reason)

    if k < 2:
        return missing("The ICC needs at least two clusters with a score.")
    if people - k < 1:
        return missing("The ICC needs at least one cluster with two or more people scored.")
    sizes = np.array([g.size for g in groups], dtype=float)
    n0 = float((people - (sizes ** 2).sum() / people) / (k - 1))
    within = sum(float(((g - g.mean()) ** 2).sum()) for g in groups)
    if within == 0:
        # F is infinite (or 0/0): every cluster's members scored alike, so there is no
        # within-cluster variance to compare the clusters with.
        return missing("Everyone in each cluster has the same score, so the ICC cannot be "
                       "estimated.", n0)
    f_value = float(f_oneway(*groups).statistic)
    df_between, df_within = k - 1, people - k
    tail = (1 - confidence) / 2
    f_low = f_value / float(f.ppf(1 - tail, df_between, df_within))
    f_high = f_value / float(f.ppf(tail, df_between, df_within))
    anova = _from_f(f_value, n0)
    return Icc(k, people, n0, anova, max(anova, 0.0), max(_from_f(f_low, n0), 0.0),
               max(_from_f(f_high, n0), 0.0), anova < 0, None)
