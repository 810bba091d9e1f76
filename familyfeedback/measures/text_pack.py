"""Text packs: the licensed wording and translations a deployment loads for its measures.

The format is described in TEXT_PACK.md. Parsing checks the whole pack and reports every problem
at once, because the person fixing a pack is usually editing a file by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import langcodes

from .errors import UnknownMeasure
from .model import Measure
from .registry import get
from .surveys import SurveyMeasure, get_survey_measure

FORMAT = "family-feedback-text-pack"
VERSION = 1
FALLBACK_LANGUAGE = "en"



class TextPackError(ValueError):
    """A text pack that cannot be used; `problems` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"- {problem}" for problem in self.problems)
        super().__init__(f"The text pack has {len(self.problems)} problem(s):\n{lines}")


@dataclass(frozen=True)
class ItemText:
    label: str
    low: str
    high: str


@dataclass(frozen=True)
class MeasureText:
    title: str
    instructions: str
    items: Mapping[str, ItemText]
    faces: Mapping[str, str]
    # Survey measures: the words for each point of the scale, lowest first.
    response_labels: tuple[str, ...] = ()
    # The BCP 47 code of the language this wording is in, so that a page shown in another
    # language than the one asked for can say so and set its lang and dir.
    language: str = FALLBACK_LANGUAGE


@dataclass(frozen=True)
class TextPack:
    holder: str
    reference: str
    languages: Mapping[str, Mapping[str, MeasureText]]

    def measure_text(self, measure_code: str, language: str) -> MeasureText | None:
        """The wording of a measure in a language, falling back to the same language of
        another region (pt-BR for pt-PT) and then English, since a partial translation is better
        than neutral labels. Its `language` says which it is."""
        base = language.split("-")[0]
        regional = sorted(code for code in self.languages if code.split("-")[0] == base)
        for candidate in (language, base, *regional, FALLBACK_LANGUAGE):
            text = self.languages.get(candidate, {}).get(measure_code)
            if text is not None:
                return text
        return None

    def label(self, measure_code: str, item_key: str, language: str) -> str | None:
        text = self.measure_text(measure_code, language)
        if text is None:
            return None
        if item_key in text.items:
            return text.items[item_key].label
        return text.faces.get(item_key)

    def item(self, measure_code: str, item_key: str, language: str) -> ItemText | None:
        text = self.measure_text(measure_code, language)
        return None if text is None else text.items.get(item_key)


class _Checker:
    """Collects problems while walking a pack, each named by its path in the file."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)

    def mapping(self, value: Any, path: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(path, "must be an object")
            return None
        return value

    def text(self, parent: dict[str, Any], key: str, path: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{path}.{key}", "must be text that is not empty")
            return ""
        return value

    def only(self, value: dict[str, Any], allowed: tuple[str, ...], path: str) -> None:
        for key in value:
            if key not in allowed:
                self.problem(f"{path}.{key}" if path else key, "is not part of the format")


def _measure_text(check: _Checker, measure: Measure, raw: Any, path: str,
                  language: str) -> MeasureText:
    given = check.mapping(raw, path) or {}
    parts = "faces" if measure.is_faces else "items"
    check.only(given, ("title", "instructions", parts), path)
    title = check.text(given, "title", path)
    instructions = check.text(given, "instructions", path)
    entries = check.mapping(given.get(parts), f"{path}.{parts}")
    if entries is None:
        # Already reported; listing each missing entry as well would only add noise.
        entries = {}
        expected: tuple[str, ...] = ()
    else:
        expected = measure.face_keys if measure.is_faces else measure.item_keys
    for key in entries:
        if key not in expected:
            check.problem(f"{path}.{parts}.{key}", f"{measure.code} has no such {parts[:-1]}")
    items: dict[str, ItemText] = {}
    faces: dict[str, str] = {}
    for key in expected:
        entry_path = f"{path}.{parts}.{key}"
        if key not in entries:
            check.problem(entry_path, "is missing")
            continue
        entry = check.mapping(entries[key], entry_path) or {}
        if measure.is_faces:
            check.only(entry, ("label",), entry_path)
            faces[key] = check.text(entry, "label", entry_path)
        else:
            check.only(entry, ("label", "low", "high"), entry_path)
            items[key] = ItemText(
                label=check.text(entry, "label", entry_path),
                low=check.text(entry, "low", entry_path),
                high=check.text(entry, "high", entry_path),
            )
    return MeasureText(title, instructions, MappingProxyType(items), MappingProxyType(faces),
                       language=language)


def _survey_text(check: _Checker, measure: SurveyMeasure, raw: Any, path: str,
                 language: str) -> MeasureText:
    """A survey measure's wording: a title, instructions, each item's statement and, optionally,
    the words for each point of the scale."""
    given = check.mapping(raw, path) or {}
    check.only(given, ("title", "instructions", "items", "response_labels"), path)
    title = check.text(given, "title", path)
    instructions = check.text(given, "instructions", path)
    entries = check.mapping(given.get("items"), f"{path}.items") or {}
    for key in entries:
        if key not in measure.item_keys:
            check.problem(f"{path}.items.{key}", f"{measure.code} has no such item")
    items: dict[str, ItemText] = {}
    for key in measure.item_keys:
        entry_path = f"{path}.items.{key}"
        if key not in entries:
            check.problem(entry_path, "is missing")
            continue
        entry = check.mapping(entries[key], entry_path) or {}
        check.only(entry, ("label",), entry_path)
        items[key] = ItemText(label=check.text(entry, "label", entry_path), low="", high="")
    labels = given.get("response_labels", [])
    points = measure.scale_max - measure.scale_min + 1
    if labels and (not isinstance(labels, list) or len(labels) != points
                   or not all(isinstance(x, str) and x.strip() for x in labels)):
        check.problem(f"{path}.response_labels", f"must be {points} words, lowest first")
        labels = []
    return MeasureText(title, instructions, MappingProxyType(items), MappingProxyType({}),
                       tuple(labels), language)


def _language_code(check: _Checker, given: str, path: str) -> str:
    """The standard form of a BCP 47 code (pt-br is pt-BR, iw is he), so that a person's
    language finds its wording however the pack's author wrote the code."""
    if not langcodes.tag_is_valid(given):
        check.problem(path, "is not a language code such as 'en', 'cy' or 'pt-BR'")
        return given
    return langcodes.standardize_tag(given)


def parse_text_pack(data: dict[str, Any]) -> TextPack:
    """Check a text pack (already read from JSON) and return it, or raise TextPackError."""
    check = _Checker()
    root = check.mapping(data, "the pack") or {}
    check.only(root, ("format", "version", "licence", "languages"), "")
    if root.get("format") != FORMAT:
        check.problem("format", f"must be {FORMAT!r}")
    version = root.get("version")
    if version != VERSION or isinstance(version, bool):
        check.problem("version", f"must be {VERSION}")
    licence = check.mapping(root.get("licence"), "licence") or {}
    check.only(licence, ("holder", "reference"), "licence")
    holder = check.text(licence, "holder", "licence")
    reference = check.text(licence, "reference", "licence")
    languages: dict[str, Mapping[str, MeasureText]] = {}
    raw_languages = check.mapping(root.get("languages"), "languages") or {}
    if not raw_languages:
        check.problem("languages", "must give at least one language")
    for given, raw_measures in raw_languages.items():
        path = f"languages.{given}"
        language = _language_code(check, given, path)
        if language in languages:
            check.problem(path, f"is the same language as {language!r}, given already")
        measures: dict[str, MeasureText] = {}
        for code, raw in (check.mapping(raw_measures, path) or {}).items():
            try:
                measures[code] = _measure_text(check, get(code), raw, f"{path}.{code}", language)
                continue
            except UnknownMeasure:
                pass
            try:
                survey = get_survey_measure(code)
            except UnknownMeasure:
                check.problem(f"{path}.{code}", "is not a measure we know")
                continue
            measures[code] = _survey_text(check, survey, raw, f"{path}.{code}", language)
        languages[language] = MappingProxyType(measures)
    if check.problems:
        raise TextPackError(check.problems)
    return TextPack(holder, reference, MappingProxyType(languages))
