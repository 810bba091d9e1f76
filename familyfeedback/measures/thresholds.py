"""Cut-offs and reliable-change values: configuration with named sources, not constants."""

from __future__ import annotations

from .model import Cutoff, Measure, ReliableChange

STANDARDS = ("common", "cyp_iapt_2015")


def cutoff_for(measure: Measure, age: int) -> Cutoff | None:
    """The clinical cut-off for someone of this age, or None where the measure has no norms."""
    for cutoff in measure.cutoffs:
        if cutoff.applies_to(age):
            return cutoff
    return None


def reliable_change_for(measure: Measure, standard: str = "common") -> ReliableChange | None:
    """The reliable-change value under a named standard, or None if the measure has none.

    "common" is the figure most often quoted by the measures' authors; "cyp_iapt_2015" is the
    stricter figure used in CYP IAPT returns.
    """
    if standard not in STANDARDS:
        raise ValueError(
            f"There is no reliable change standard called {standard!r}. "
            f"Known standards: {', '.join(STANDARDS)}."
        )
    for reliable_change in measure.reliable_change:
        if reliable_change.standard == standard:
            return reliable_change
    return None
