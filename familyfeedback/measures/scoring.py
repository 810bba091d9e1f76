"""Checking entered scores and totalling them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .errors import ScoreError
from .model import Measure, Scale
from .numbers import as_number, is_missing

ItemValue = Decimal | str | float | int | None


def _check_item(value: ItemValue, scale: Scale, name: str) -> tuple[Decimal | None, str]:
    if is_missing(value):
        return None, f"{name} is missing"
    number = as_number(value)
    if number is None:
        return None, f"{name} must be a number, for example 6.4"
    if not scale.min <= number <= scale.max:
        return None, f"{name} must be between {scale.min} and {scale.max}"
    stepped = number.quantize(scale.step)
    if stepped != number:
        return None, f"{name} must have at most one decimal place (for example 6.4)"
    # -0.0 is a valid entry but should be stored and shown as 0.0.
    return (stepped.copy_abs() if stepped.is_zero() else stepped), ""


def validate_items(measure: Measure, items: Mapping[str, ItemValue],
                   names: Mapping[str, str] | None = None) -> dict[str, Decimal]:
    """Every item of a lines measure, checked and quantised to one decimal place.

    All problems are collected, not just the first, so a form can mark every wrong field at once.
    names: item key -> the line's label as the page shows it, so a message names the line; a
    file's rows have no labels, so their messages say "Item 2".
    """
    if measure.is_faces or measure.scale is None:
        raise ScoreError({"face": f"{measure.code} is recorded by choosing a face, not by items"})
    errors: dict[str, str] = {}
    for key in items:
        if key not in measure.item_keys:
            errors[key] = f"{measure.code} has no item called {key}"
    cleaned: dict[str, Decimal] = {}
    for item in measure.items:
        name = (names or {}).get(item.key) or f"Item {item.number}"
        number, error = _check_item(items.get(item.key), measure.scale, name)
        if number is None:
            errors[item.key] = error
        else:
            cleaned[item.key] = number
    if errors:
        raise ScoreError(errors)
    return cleaned


def validate_face(measure: Measure, value: str | None) -> str:
    if not measure.is_faces:
        raise ScoreError({"face": f"{measure.code} is scored by items, not by choosing a face"})
    choice = value.strip() if isinstance(value, str) else ""
    if not choice:
        raise ScoreError({"face": "Choose a face"})
    if choice not in measure.face_keys:
        choices = ", ".join(measure.face_keys)
        raise ScoreError({"face": f"{choice!r} is not one of the faces ({choices})"})
    return choice


def total(measure: Measure, items: Mapping[str, ItemValue]) -> Decimal | None:
    """The sum of the four items, or None for a faces measure, which has no total."""
    if measure.is_faces:
        return None
    return sum(validate_items(measure, items).values(), Decimal("0.0"))
