"""The shape of a practitioner survey measure, as loaded from definitions/*.json."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Scoring = Literal["sum", "mean"]
SCORINGS: tuple[Scoring, ...] = ("sum", "mean")


@dataclass(frozen=True)
class SurveyItem:
    """One item: its package name (wai_4), position, neutral or shipped label, and direction.

    source_number is the item's number in the published instrument when that differs from its
    position here (ProQOL's compassion satisfaction items are 3, 6, 12, ... of 30).
    """

    key: str
    number: int
    label: str
    reversed: bool
    source_number: int | None = None


@dataclass(frozen=True)
class Subscale:
    code: str
    name: str
    items: tuple[str, ...]
    possible_min: Decimal
    possible_max: Decimal


@dataclass(frozen=True)
class Band:
    """A named range of scores, inclusive at both ends; None means open-ended."""

    label: str
    min: Decimal | None
    max: Decimal | None

    def contains(self, score: Decimal) -> bool:
        return (self.min is None or score >= self.min) and (self.max is None or score <= self.max)


@dataclass(frozen=True)
class SurveyMeasure:
    code: str
    name: str
    short_name: str
    # The tool a measure asks about (the appropriateness of the ORS, say); None for the others.
    about: str | None
    items: tuple[SurveyItem, ...]
    scale_min: int
    scale_max: int
    # The words for each point of the scale, lowest first, where they may ship; else None.
    response_labels: tuple[str, ...] | None
    scoring: Scoring
    score_min: Decimal
    score_max: Decimal
    subscales: tuple[Subscale, ...]
    subscale_source: str | None
    bands: tuple[Band, ...]
    band_source: str | None
    source: str
    licence: str
    licensed_wording_included: bool

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    @property
    def reversed_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items if item.reversed)

    @property
    def possible_min(self) -> float:
        """The lowest score anyone can get, for floor percentages."""
        return float(self.score_min)

    @property
    def possible_max(self) -> float:
        """The highest score anyone can get, for ceiling percentages."""
        return float(self.score_max)

    def item(self, key: str) -> SurveyItem:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(f"{self.code} has no item called {key}")

    def subscale(self, code: str) -> Subscale:
        for subscale in self.subscales:
            if subscale.code == code:
                return subscale
        raise KeyError(f"{self.code} has no subscale called {code}")

    def band_for(self, score: float | Decimal | None) -> str | None:
        """The label of the band a score falls in, or None (no score, or no bands)."""
        if score is None:
            return None
        value = Decimal(str(score)) if isinstance(score, float) else Decimal(score)
        for band in self.bands:
            if band.contains(value):
                return band.label
        return None
