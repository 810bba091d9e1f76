"""What the measures' and the survey measures' registries share: reading a package's folder of
JSON definitions, their numbers as exact decimals, and finding one definition by its code."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from importlib import resources
from typing import Any, TypeVar

from .errors import UnknownMeasure

Definition = TypeVar("Definition")


def decimal(value: Any) -> Decimal:
    # parse_float=Decimal already gives Decimals; integers in the files arrive as int.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def optional_decimal(value: Any) -> Decimal | None:
    return None if value is None else decimal(value)


def read_definitions(package: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each file of the package's definitions/ folder, by file name, and what it holds; in name
    order, so that the measures are listed the same way on every machine."""
    folder = resources.files(package).joinpath("definitions")
    for entry in sorted(folder.iterdir(), key=lambda path: path.name):
        if entry.name.endswith(".json"):
            yield entry.name, json.loads(entry.read_text(encoding="utf-8"), parse_float=Decimal)


def find(definitions: Mapping[str, Definition], code: str, kind: str) -> Definition:
    """The definition of this code; a code no definition has says which codes there are."""
    try:
        return definitions[code]
    except KeyError:
        known = ", ".join(definitions)
        raise UnknownMeasure(
            f"There is no {kind} called {code!r}. Known {kind}s: {known}."
        ) from None
