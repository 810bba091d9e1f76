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

Assumes equal cluster sizes (unequal sizes raise the design effect further; pass the mean size and
treat the result as a lower bound).

Not statsmodels' NormalIndPower / TTestIndPower: they solve the exact power equation (both tails,
noncentral t with the individual-level df n1 + n2 − 2), which is neither the documented closed
formula nor the cluster-level df; the quantiles come from scipy.
"""

from __future__ import annotations

import math
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


def _multiplier(clusters_per_arm: int, alpha: float, power: float, method: Method) -> float:
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    if not 0.5 <= power < 1:
        raise ValueError("power must be at least 0.5 and below 1")
    if method == "normal":
        return float(norm.ppf(1 - alpha / 2) + norm.ppf(power))
    if method == "t":
        df = 2 * clusters_per_arm - 2
        return float(t.ppf(1 - alpha / 2, df) + t.ppf(power, df))
    raise ValueError(f"method must be 'normal' or 't', not {method!r}")


def mdes(clusters_per_arm: int, per_cluster: float, icc: float, alpha: float = 0.05,
         power: float = 0.8, *, method: Method = "normal") -> float:
    """The minimum detectable standardised effect of a two-arm cluster trial with equal arms,
    two-sided test at `alpha`. Normal multiplier by default (the textbook formula); pass
    method="t" for the more conservative cluster-level t multiplier (see the module docstring)."""
    if clusters_per_arm < MIN_CLUSTERS_PER_ARM:
        raise ValueError(f"at least {MIN_CLUSTERS_PER_ARM} clusters per arm are needed")
    de = design_effect(per_cluster, icc)
    m = _multiplier(clusters_per_arm, alpha, power, method)
    return m * math.sqrt(2 * de / (clusters_per_arm * per_cluster))


def clusters_needed(effect: float, per_cluster: float, icc: float, alpha: float = 0.05,
                    power: float = 0.8, *, method: Method = "normal") -> int:
    """The fewest clusters per arm (at least 2) whose MDES is at most `effect` — by definition
    consistent with `mdes`: mdes(clusters_needed(e)) <= e < mdes(clusters_needed(e) − 1).

    Starts from the closed-form normal answer, ceil(M² · 2 · DE / (m · e²)), then steps to the
    exact integer with `mdes` itself (a few steps; floating point cannot put it off by one, and
    the t multiplier, whose df depends on k, needs the search anyway)."""
    if not effect > 0:
        raise ValueError("the target effect must be positive")
    de = design_effect(per_cluster, icc)
    z = _multiplier(MIN_CLUSTERS_PER_ARM, alpha, power, "normal")
    k = max(MIN_CLUSTERS_PER_ARM, math.ceil(z * z * 2 * de / (per_cluster * effect * effect)))
    while mdes(k, per_cluster, icc, alpha, power, method=method) > effect:
        k += 1
    while (k > MIN_CLUSTERS_PER_ARM
           and mdes(k - 1, per_cluster, icc, alpha, power, method=method) <= effect):
        k -= 1
    return k
