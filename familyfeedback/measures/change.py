"""Classifying change in a total over time, in the Jacobson-Truax way."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Literal


class ChangeClass(Enum):
    IMPROVED = "reliable improvement"
    NO_CHANGE = "no reliable change"
    DETERIORATED = "reliable deterioration"


def classify_change(first: Decimal, latest: Decimal, rci: Decimal) -> ChangeClass:
    """Compare the latest total with the first one against the reliable change value.

    A change exactly equal to the reliable change value counts as reliable. The published
    thresholds are stated as "a change of 5 or more points", and totals move in steps of 0.1, so
    a change of exactly 5.0 is common and must be treated as the source intended.
    """
    if rci <= 0:
        raise ValueError("The reliable change value must be more than zero.")
    change = latest - first
    if change >= rci:
        return ChangeClass.IMPROVED
    if change <= -rci:
        return ChangeClass.DETERIORATED
    return ChangeClass.NO_CHANGE


def clinically_significant(first: Decimal, latest: Decimal, rci: Decimal, cutoff: Decimal) -> bool:
    """Reliable improvement that starts below the cut-off and ends at or above it.

    "Below the cut-off" is strict: the cut-off marks the lowest score in the non-clinical range,
    so a first score equal to it is already outside the clinical range and cannot cross it, and a
    latest score equal to it has crossed.
    """
    return classify_change(first, latest, rci) is ChangeClass.IMPROVED and first < cutoff <= latest


def direction(previous: Decimal, latest: Decimal) -> Literal["up", "down", "same"]:
    """Which way the arrow on the caseload points, from the previous total to the latest."""
    if latest > previous:
        return "up"
    if latest < previous:
        return "down"
    return "same"
