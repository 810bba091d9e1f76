"""The shape of a measure definition, as loaded from definitions/*.json."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Tool = Literal["ORS", "SRS"]
When = Literal["start", "end"]
Kind = Literal["lines", "faces"]


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    number: int  # its place on the form, from 1 ("Item 2" in messages about a file's rows)


@dataclass(frozen=True)
class Face:
    key: str
    label: str


@dataclass(frozen=True)
class Scale:
    min: Decimal
    max: Decimal
    step: Decimal  # the finest mark: 0.1, a millimetre of a 10 cm line


@dataclass(frozen=True)
class Cutoff:
    """A clinical cut-off and where the number comes from.

    Sources disagree, so the source travels with the value and can be shown next to it.
    """

    value: Decimal
    source: str
    min_age: int = 0
    max_age: int | None = None
    meaning: str = ""

    def applies_to(self, age: int) -> bool:
        return age >= self.min_age and (self.max_age is None or age <= self.max_age)


@dataclass(frozen=True)
class ReliableChange:
    """The smallest change in total that is unlikely to be measurement error alone."""

    value: Decimal
    source: str
    standard: str = "common"


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    tool: Tool
    when: When
    min_age: int
    max_age: int | None
    kind: Kind
    items: tuple[Item, ...]
    faces: tuple[Face, ...]
    scale: Scale | None
    total_min: Decimal | None
    total_max: Decimal | None
    # Tuples rather than dicts keep a Measure hashable, so it can key a cache or a set.
    cutoffs: tuple[Cutoff, ...]
    reliable_change: tuple[ReliableChange, ...]
    srs_item_flag_below: Decimal | None
    snomed: str | None
    licence: str
    licensed_wording_included: bool

    @property
    def is_faces(self) -> bool:
        return self.kind == "faces"

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    @property
    def face_keys(self) -> tuple[str, ...]:
        return tuple(face.key for face in self.faces)

    def covers_age(self, age: int) -> bool:
        return age >= self.min_age and (self.max_age is None or age <= self.max_age)

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(f"{self.code} has no item called {key}")
