"""The neutral labels we wrote ourselves, shown when no licensed text pack is loaded."""

from __future__ import annotations

from .model import Measure

# The ORS family's own wording is licensed to each deployment and never shipped with the code.
LICENSED_WORDING_INCLUDED = False

NEUTRAL_WORDING_NOTICE = (
    "The licensed wording for this measure is not loaded. "
    "These are neutral labels written for Family Feedback."
)


def neutral_label(measure: Measure, item_key: str) -> str:
    """Our own short label for an item (item_1 to item_4) or a face (sad, in_between, happy)."""
    for item in measure.items:
        if item.key == item_key:
            return item.label
    for face in measure.faces:
        if face.key == item_key:
            return face.label
    raise KeyError(f"{measure.code} has no item or face called {item_key}")
