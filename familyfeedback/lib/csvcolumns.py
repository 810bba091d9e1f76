"""The council's own names for the columns of the files its case system exports, kept in one
small TOML file it edits (docs/formats/case-system-export.md), so that `import_families` and
`import_history` read the export as it comes, without anyone renaming a header by hand.

    [columns]
    case_reference = "Case ID"
    person_reference = "Person ID"

A column not named keeps its own name. One file serves both commands: a column means the same
in every export, so it is named once.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

from django.core.management.base import CommandError

from familyfeedback.lib.csvfiles import printable, read_for_command


def load(path: Path, known: Iterable[str]) -> dict[str, str]:
    """our column -> the export's header for it. Any mistake in the file stops the command
    with a message that says where: a name that is not one of ours (a typing slip would
    otherwise be ignored), a header that is not text, two columns given one header."""
    text = read_for_command(path, "a column mapping (TOML)")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CommandError(printable(f"{path} is not TOML: {error}")) from None
    columns = document.get("columns")
    if not isinstance(columns, dict):
        raise CommandError(printable(f"{path}: has no [columns] table naming the export's "
                                     "headers"))
    known = sorted(set(known))
    problems = []
    for ours, theirs in columns.items():
        if ours not in known:
            problems.append(f"{ours} is not a column the importers read (they read "
                            f"{', '.join(known)})")
        elif not isinstance(theirs, str) or not theirs.strip():
            problems.append(f"{ours} must be given the header's name, in quotes")
    given: dict[str, str] = {}
    for ours, theirs in columns.items():
        if isinstance(theirs, str) and theirs.strip() in given:
            problems.append(f"{ours} and {given[theirs.strip()]} are both given the header "
                            f"{theirs.strip()}")
        elif isinstance(theirs, str):
            given[theirs.strip()] = ours
    if problems:
        raise CommandError(printable("\n".join(f"{path}: columns: {p}" for p in problems)))
    return {ours: theirs.strip() for ours, theirs in columns.items()}
