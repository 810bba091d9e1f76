"""Power for a two-arm cluster-randomised trial (the seed report's recommendation 3.6).

Clusters are teams (or randomisation units); m practitioners per cluster; ICC the intracluster
correlation of the outcome. The design effect inflates the variance of an individually randomised
trial:

    DE = 1 + (m − 1) · ICC

and the minimum detectable standardised effect (difference in means over the outcome's SD) with
k clusters per arm is

    MDES = M · sqrt(2 · DE / (k · m))

where the multiplier M is

- "normal" (the default): z(1 − α/2) + z(power). This is the textbook formula (e.g. Hayes &
  Moulton, Cluster Randomised Trials; Eldridge & Kerry, A Practical Guide to Cluster Randomised
  Trials in Health Services Research), so an evaluator can check any figure by hand and it agrees
  with other calculators built on it.
- "t": t(1 − α/2; df) + t(power; df) with df = 2k − 2, the degrees of freedom of a cluster-level
  analysis (Bloom 1995, 2005). It is larger, so the MDES is larger and more clusters are needed;
  with few clusters per arm — a council's pilot has a handful of teams — the normal figure is
  optimistic (3 clusters per arm: M = 3.72 against 2.80), and this is the one to plan with. Show
  both.

Adjusting for the baseline (ANCOVA). When the next trial's analysis adjusts the endline
outcome for the same people's baseline score, pass `correlation`, the baseline–endline
correlation r: the variance of the estimated effect is multiplied by 1 − r², so

    MDES = M · sqrt(2 · DE · (1 − r²) / (k · m))

This is the ANCOVA design effect of Teerenstra, Eldridge, Graff, de Hoop & Borm (2012, "A
simple sample size formula for analysis of covariance in cluster randomized trials",
Statistics in Medicine 31: 2169-2178) with the cluster and the individual autocorrelation
taken equal (then their combined r is that r), and the same as the MDES formula the EEF's
guidance uses (Dong & Maynard 2013, PowerUp!, model CRA2_2, with R² = r² at both levels). A
negative r reduces the variance as much as a positive one. With the t multiplier the covariate
costs a degree of freedom: df = 2k − 3 (Bloom 2005; Dong & Maynard). Without `correlation`
nothing changes (no adjustment, df = 2k − 2); correlation 0 means "adjusted, but it did not
help", the ANCOVA with its lost df.

Assumes equal cluster sizes (unequal sizes raise the design effect further; pass the mean size and
treat the result as a lower bound).

Not statsmodels' NormalIndPower / TTestIndPower: they solve the exact power equation (both tails,
noncentral t with the individual-level df n1 + n2 − 2), which is neither the documented closed
formula nor the cluster-level df; the quantiles come from scipy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from scipy.stats import norm, t

Method = Literal["normal", "t"]
MIN_CLUSTERS_PER_ARM = 2  # the smallest trial with a cluster-level df (2k − 2 = 2)


def design_effect(per_cluster: float, icc: float) -> float:
    """DE = 1 + (m − 1) · ICC for clusters of m people."""
    if per_cluster < 1:
        raise ValueError("a cluster needs at least one person")
    if not 0 <= icc <= 1:
        raise ValueError("the ICC must be between 0 and 1")
    return 1 + (per_cluster - 1) * icc


def ancova_factor(correlation: float | None) -> float:
    """1 − r²: how much adjusting for a baseline correlated r with the outcome shrinks the
    variance (1 without adjustment)."""
    if correlation is None:
        return 1.0
    if not -1 < correlation < 1:
        raise ValueError("the baseline-endline correlation must be between -1 and 1, "
                         "not at either end")
    return 1 - correlation * correlation


def _multiplier(clusters_per_arm: int, alpha: float, power: float, method: Method,
                covariates: int = 0) -> float:
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    if not 0.5 <= power < 1:
        raise ValueError("power must be at least 0.5 and below 1")
    if method == "normal":
        return float(norm.ppf(1 - alpha / 2) + norm.ppf(power))
    if method == "t":
        df = 2 * clusters_per_arm - 2 - covariates
        return float(t.ppf(1 - alpha / 2, df) + t.ppf(power, df))
    raise ValueError(f"method must be 'normal' or 't', not {method!r}")


def mdes(clusters_per_arm: int, per_cluster: float, icc: float, alpha: float = 0.05,
         power: float = 0.8, *, method: Method = "normal",
         correlation: float | None = None) -> float:
    """The minimum detectable standardised effect of a two-arm cluster trial with equal arms,
    two-sided test at `alpha`. Normal multiplier by default (the textbook formula); pass
    method="t" for the more conservative cluster-level t multiplier, and `correlation` for an
    analysis adjusted for the baseline (see the module docstring)."""
    if clusters_per_arm < MIN_CLUSTERS_PER_ARM:
        raise ValueError(f"at least {MIN_CLUSTERS_PER_ARM} clusters per arm are needed")
    variance = design_effect(per_cluster, icc) * ancova_factor(correlation)
    m = _multiplier(clusters_per_arm, alpha, power, method,
                    int(correlation is not None))
    return m * math.sqrt(2 * variance / (clusters_per_arm * per_cluster))


def clusters_needed(effect: float, per_cluster: float, icc: float, alpha: float = 0.05,
                    power: float = 0.8, *, method: Method = "normal",
                    correlation: float | None = None) -> int:
    """The fewest clusters per arm (at least 2) whose MDES is at most `effect` — by definition
    consistent with `mdes`: mdes(clusters_needed(e)) <= e < mdes(clusters_needed(e) − 1).

    Starts from the closed-form normal answer, ceil(M² · 2 · DE · (1 − r²) / (m · e²)), then
    steps to the
    exact integer with `mdes` itself (a few steps; floating point cannot put it off by one, and
    the t multiplier, whose df depends on k, needs the search anyway)."""
    if not effect > 0:
        raise ValueError("the target effect must be positive")
    variance = design_effect(per_cluster, icc) * ancova_factor(correlation)
    z = _multiplier(MIN_CLUSTERS_PER_ARM, alpha, power, "normal")
    k = max(MIN_CLUSTERS_PER_ARM,
            math.ceil(z * z * 2 * variance / (per_cluster * effect * effect)))
    options = {"method": method, "correlation": correlation}
    while mdes(k, per_cluster, icc, alpha, power, **options) > effect:
        k += 1
    while (k > MIN_CLUSTERS_PER_ARM
           and mdes(k - 1, per_cluster, icc, alpha, power, **options) <= effect):
        k -= 1
    return k


@dataclass(frozen=True)
class Scenario:
    """The next trial's figures at one ICC and one baseline-endline correlation."""

    icc_at: str  # which ICC: a key of the `iccs` given, e.g. "low", "estimate", "high"
    correlation_at: str | None  # likewise for the correlation; None: no baseline adjustment
    icc: float
    correlation: float | None
    clusters_needed: int  # per arm, to detect the effect
    mdes: float  # with the clusters per arm given


def scenarios(effect: float, clusters_per_arm: int, per_cluster: float,
              iccs: Mapping[str, float], correlations: Mapping[str, float] | None = None,
              alpha: float = 0.05, power: float = 0.8, *,
              method: Method = "t") -> list[Scenario]:
    """Clusters needed and MDES at every pairing of the ICCs and correlations given (typically a
    pilot's estimates and the ends of their confidence intervals), in the order given, so that
    the uncertainty in the pilot's estimates shows in the plan. No correlations: unadjusted."""
    pairs = correlations.items() if correlations is not None else [(None, None)]
    return [Scenario(icc_at, r_at, icc, r,
                     clusters_needed(effect, per_cluster, icc, alpha, power, method=method,
                                     correlation=r),
                     mdes(clusters_per_arm, per_cluster, icc, alpha, power, method=method,
                          correlation=r))
            for icc_at, icc in iccs.items() for r_at, r in pairs]


def correlation_range(estimate: float, low: float, high: float) -> dict[str, float]:
    """A correlation's estimate and the ends of its interval as they matter to power, which
    depends on r² only: "weakest" is the value in the interval nearest 0 (0 itself when the
    interval spans it), "strongest" the end farthest from 0."""
    weakest = 0.0 if low <= 0 <= high else min(low, high, key=abs)
    return {"weakest": weakest, "estimate": estimate, "strongest": max(low, high, key=abs)}
