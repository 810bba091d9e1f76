"""Reasons to look again at a session rating (SRS or CSRS)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .model import Measure
from .scoring import ItemValue, validate_items


def srs_concerns(
    measure: Measure,
    items: Mapping[str, ItemValue],
    total: Decimal | None,
    previous_total: Decimal | None,
) -> list[str]:
    """Plain-English reasons the session may not have fitted; empty when there are none.

    Three things are flagged: a total below the cut-off, any single item below the item flag
    (one low item can hide behind a high total), and any drop from the previous session's total.
    A faces measure has no scores to flag, so it gives no reasons.
    """
    if measure.tool != "SRS":
        raise ValueError(f"{measure.code} is not a session rating measure.")
    if measure.is_faces:
        return []
    cleaned = validate_items(measure, items)
    if total is None:
        total = sum(cleaned.values(), Decimal("0.0"))
    reasons = []
    # The loader guarantees one cut-off spanning the measure's ages, so age is not needed here.
    cutoff = measure.cutoffs[0].value
    if total < cutoff:
        reasons.append(
            f"The session rating total was {total}, below {cutoff}: "
            "the session may not have fitted."
        )
    flag_below = measure.srs_item_flag_below
    if flag_below is not None:
        for item in measure.items:
            score = cleaned[item.key]
            if score < flag_below:
                reasons.append(
                    f"Item {item.number} ({item.label.lower()}) was rated {score}, "
                    f"below {flag_below}."
                )
    if previous_total is not None and total < previous_total:
        reasons.append(f"The session rating fell from {previous_total} last time to {total}.")
    return reasons
