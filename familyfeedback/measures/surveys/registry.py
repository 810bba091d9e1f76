"""Loading survey measure definitions from the JSON files shipped in definitions/."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from ..definition_files import decimal, find, optional_decimal, read_definitions
from ..errors import UnknownMeasure
from .model import SCORINGS, Band, Subscale, SurveyItem, SurveyMeasure


def _item_range(scoring: str, count: int, low: int, high: int) -> tuple[Decimal, Decimal]:
    if scoring == "sum":
        return Decimal(count * low), Decimal(count * high)
    return Decimal(low), Decimal(high)


def _build(raw: dict[str, Any]) -> SurveyMeasure:
    scale_min, scale_max = int(raw["scale"]["min"]), int(raw["scale"]["max"])
    reversed_keys = set(raw["reversed"])
    items = tuple(
        SurveyItem(
            key=item["key"],
            number=number,
            label=item["label"],
            reversed=item["key"] in reversed_keys,
            source_number=item.get("source_number"),
        )
        for number, item in enumerate(raw["items"], start=1)
    )
    scoring = raw["scoring"]
    subscales = []
    for subscale in raw["subscales"]:
        low, high = _item_range(scoring, len(subscale["items"]), scale_min, scale_max)
        subscales.append(
            Subscale(subscale["code"], subscale["name"], tuple(subscale["items"]), low, high)
        )
    labels = raw["response_labels"]
    measure = SurveyMeasure(
        code=raw["code"],
        name=raw["name"],
        short_name=raw["short_name"],
        about=raw["about"],
        items=items,
        scale_min=scale_min,
        scale_max=scale_max,
        response_labels=None if labels is None else tuple(labels),
        scoring=scoring,
        score_min=decimal(raw["score"]["min"]),
        score_max=decimal(raw["score"]["max"]),
        subscales=tuple(subscales),
        subscale_source=raw["subscale_source"],
        bands=tuple(
            Band(band["label"], optional_decimal(band["min"]), optional_decimal(band["max"]))
            for band in raw["bands"]
        ),
        band_source=raw["band_source"],
        source=raw["source"],
        licence=raw["licence"],
        licensed_wording_included=bool(raw["licensed_wording_included"]),
    )
    _check(measure, reversed_keys)
    return measure


def _check(measure: SurveyMeasure, reversed_keys: set[str]) -> None:
    # A broken data file should stop the app at start-up, not mis-score someone later.
    problems = []
    keys = measure.item_keys
    expected = tuple(f"{measure.code}_{n}" for n in range(1, len(keys) + 1))
    if not keys or keys != expected:
        problems.append(f"items must be named {measure.code}_1, {measure.code}_2, ... in order")
    if measure.scale_min >= measure.scale_max:
        problems.append("the scale's min must be below its max")
    if measure.scoring not in SCORINGS:
        problems.append(f"scoring must be one of {', '.join(SCORINGS)}")
    elif (measure.score_min, measure.score_max) != _item_range(
        measure.scoring, len(keys), measure.scale_min, measure.scale_max
    ):
        problems.append("the score range does not follow from the items, scale and scoring")
    if not reversed_keys <= set(keys):
        problems.append("a reversed item is not one of the items")
    in_subscales = [key for subscale in measure.subscales for key in subscale.items]
    if not set(in_subscales) <= set(keys):
        problems.append("a subscale names an item the measure does not have")
    if len(in_subscales) != len(set(in_subscales)):
        problems.append("an item is in more than one subscale")
    if measure.subscales and not measure.subscale_source:
        problems.append("subscales need a subscale_source")
    if measure.response_labels is not None and (
        len(measure.response_labels) != measure.scale_max - measure.scale_min + 1
    ):
        problems.append("response_labels needs one label per point of the scale")
    if measure.bands:
        problems.extend(_band_problems(measure))
    if problems:
        raise ValueError(
            f"Survey measure definition {measure.code} is invalid: {'; '.join(problems)}"
        )


def _band_problems(measure: SurveyMeasure) -> list[str]:
    """Bands must run from the bottom of the range to the top, in order, without gaps."""
    problems = []
    bands = measure.bands
    if not measure.band_source:
        problems.append("bands need a band_source")
    if bands[0].min is not None and bands[0].min > measure.score_min:
        problems.append("the first band must start at the lowest possible score")
    if bands[-1].max is not None and bands[-1].max < measure.score_max:
        problems.append("the last band must reach the highest possible score")
    # Sums of whole-number items are whole numbers, so the next band starts one higher.
    for lower, upper in zip(bands, bands[1:], strict=False):
        if lower.max is None or upper.min is None or upper.min != lower.max + 1:
            problems.append(f"band {upper.label} must start just after band {lower.label}")
    if measure.scoring != "sum":
        problems.append("bands are only defined for summed scores")
    return problems


@cache
def _registry() -> dict[str, SurveyMeasure]:
    measures = {}
    for name, raw in read_definitions(__package__):
        measure = _build(raw)
        if name != f"{measure.code}.json":
            raise ValueError(f"{name} must be called {measure.code}.json")
        measures[measure.code] = measure
    return measures


@cache
def _by_item() -> dict[str, SurveyMeasure]:
    by_item: dict[str, SurveyMeasure] = {}
    for measure in _registry().values():
        for key in measure.item_keys:
            if key in by_item:
                raise ValueError(f"{key} is an item of both {by_item[key].code} and {measure.code}")
            by_item[key] = measure
    return by_item


def get_survey_measure(code: str) -> SurveyMeasure:
    return find(_registry(), code, "survey measure")


def all_survey_measures() -> tuple[SurveyMeasure, ...]:
    return tuple(_registry().values())


def is_measure_item(item_key: str) -> bool:
    """Whether a package item name (wai_4) belongs to a standard measure, rather than being a
    custom question."""
    return item_key in _by_item()


def measure_for_item(item_key: str) -> SurveyMeasure:
    """The measure a package item name belongs to: wai_4 to the working alliance measure."""
    try:
        return _by_item()[item_key]
    except KeyError:
        raise UnknownMeasure(
            f"{item_key!r} is not an item of any standard survey measure."
        ) from None
