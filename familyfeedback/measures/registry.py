"""Loading measure definitions from the JSON files shipped in definitions/, and choosing one."""

from __future__ import annotations

from functools import cache
from typing import Any

from .definition_files import decimal, find, optional_decimal, read_definitions
from .errors import UnknownMeasure
from .model import Cutoff, Face, Item, Measure, ReliableChange, Scale

TOOLS = ("ORS", "SRS")


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
        else Scale(decimal(scale["min"]), decimal(scale["max"]), decimal(scale["step"])),
        total_min=optional_decimal(total.get("min")),
        total_max=optional_decimal(total.get("max")),
        cutoffs=tuple(
            Cutoff(
                value=decimal(cutoff["value"]),
                source=cutoff["source"],
                min_age=int(cutoff["min_age"]),
                max_age=None if cutoff["max_age"] is None else int(cutoff["max_age"]),
                meaning=cutoff.get("meaning", ""),
            )
            for cutoff in raw["cutoffs"]
        ),
        reliable_change=tuple(
            ReliableChange(decimal(rc["value"]), rc["source"], standard)
            for standard, rc in reliable.items()
        ),
        srs_item_flag_below=optional_decimal(raw.get("srs_item_flag_below")),
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
    measures = (_build(raw) for _, raw in read_definitions(__package__))
    return {measure.code: measure for measure in measures}


def get(code: str) -> Measure:
    return find(_registry(), code, "measure")


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
