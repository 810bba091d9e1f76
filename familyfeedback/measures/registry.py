"""Loading measure definitions from the JSON files shipped in definitions/, and choosing one."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from .errors import UnknownMeasure
from .model import Cutoff, Face, Item, Measure, ReliableChange, Scale

TOOLS = ("ORS", "SRS")


def _decimal(value: Any) -> Decimal:
    # parse_float=Decimal already gives Decimals; integers in the files arrive as int.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _optional_decimal(value: Any) -> Decimal | None:
    return None if value is None else _decimal(value)


def _build(raw: dict[str, Any]) -> Measure:
    scale = raw.get("scale")
    total = raw.get("total") or {}
    reliable = raw.get("reliable_change") or {}
    measure = Measure(
        code=raw["code"],
        name=raw["name"],
        tool=raw["tool"],
        when=raw["when"],
        min_age=int(raw["min_age"]),
        max_age=None if raw["max_age"] is None else int(raw["max_age"]),
        kind=raw["kind"],
        items=tuple(
            Item(key=item["key"], label=item["label"], number=number)
            for number, item in enumerate(raw.get("items", []), start=1)
        ),
        faces=tuple(Face(key=face["key"], label=face["label"]) for face in raw.get("faces", [])),
        scale=None
        if scale is None
        else Scale(_decimal(scale["min"]), _decimal(scale["max"]), _decimal(scale["step"])),
        total_min=_optional_decimal(total.get("min")),
        total_max=_optional_decimal(total.get("max")),
        cutoffs=tuple(
            Cutoff(
                value=_decimal(cutoff["value"]),
                source=cutoff["source"],
                min_age=int(cutoff["min_age"]),
                max_age=None if cutoff["max_age"] is None else int(cutoff["max_age"]),
                meaning=cutoff.get("meaning", ""),
            )
            for cutoff in raw["cutoffs"]
        ),
        reliable_change=tuple(
            ReliableChange(_decimal(rc["value"]), rc["source"], standard)
            for standard, rc in reliable.items()
        ),
        srs_item_flag_below=_optional_decimal(raw.get("srs_item_flag_below")),
        snomed=raw["snomed"],
        licence=raw["licence"],
        licensed_wording_included=bool(raw["licensed_wording_included"]),
    )
    _check(measure)
    return measure


def _check(measure: Measure) -> None:
    # A broken data file should stop the app at start-up, not mis-score someone later.
    problems = []
    if measure.tool not in TOOLS:
        problems.append(f"tool must be one of {', '.join(TOOLS)}")
    if measure.kind == "lines" and (len(measure.items) != 4 or measure.scale is None):
        problems.append("a lines measure needs four items and a scale")
    if measure.kind == "faces" and not measure.faces:
        problems.append("a faces measure needs faces")
    if measure.tool == "SRS" and measure.kind == "lines" and len(measure.cutoffs) != 1:
        # srs_concerns relies on one cut-off covering the whole age range of the measure.
        problems.append("a session rating measure needs exactly one cut-off")
    if problems:
        raise ValueError(f"Measure definition {measure.code} is invalid: {'; '.join(problems)}")


@cache
def _registry() -> dict[str, Measure]:
    folder = resources.files(__package__).joinpath("definitions")
    measures = {}
    for entry in sorted(folder.iterdir(), key=lambda path: path.name):
        if entry.name.endswith(".json"):
            measure = _build(json.loads(entry.read_text(encoding="utf-8"), parse_float=Decimal))
            measures[measure.code] = measure
    return measures


def get(code: str) -> Measure:
    try:
        return _registry()[code]
    except KeyError:
        known = ", ".join(_registry())
        raise UnknownMeasure(
            f"There is no measure called {code!r}. Known measures: {known}."
        ) from None


def all_measures() -> tuple[Measure, ...]:
    return tuple(_registry().values())


def measure_for(tool: str, age: int) -> Measure:
    """The version of a tool meant for someone of this age: CORS for a nine-year-old, say."""
    if tool not in TOOLS:
        raise UnknownMeasure(f"There is no tool called {tool!r}. Known tools: {', '.join(TOOLS)}.")
    if age < 0:
        raise ValueError("Age cannot be negative.")
    for measure in all_measures():
        if measure.tool == tool and measure.covers_age(age):
            return measure
    raise UnknownMeasure(f"No {tool} measure covers age {age}.")
