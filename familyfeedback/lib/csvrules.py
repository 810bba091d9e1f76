"""The rules a CSV row's cells must keep, declared one column at a time, for every importer
(`history_csv`, `administrations_csv`, the evaluation package): each rule reads one cell, notes
what is wrong with it as a Problem at the row's line and the cell's column, and gives the value
on, so a file's every problem is listed and none stops the reading.

Hand-written rather than a schema library's: the messages are the importers' own, worded for a
data team and never repeating a value that may identify a person, and the rules that matter
most (a reference to another file, a person's age on a date) are each importer's own code.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from familyfeedback.lib.csvfiles import Problem


class Cells:
    """One row's cells (as csvfiles.records gives them) and the problems found in them."""

    def __init__(self, line: int, values: dict[str, str]) -> None:
        self.line = line
        self.values = values
        self.problems: list[Problem] = []

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.line, column, message))

    def filled(self, column: str) -> str:
        """The cell, which must not be blank."""
        if not self.values[column]:
            self.problem(column, "is blank")
        return self.values[column]

    def one_of(self, column: str, allowed: tuple[str, ...], *, blank: bool = False,
               fold: Callable[[str], str] | None = None, message: str | None = None) -> str:
        """The cell (folded, e.g. to lower case, before it is compared), which must be one of
        allowed, or blank when blank is allowed. The message says so, or lists the choices."""
        value = fold(self.values[column]) if fold else self.values[column]
        if value not in allowed and not (blank and not value):
            if message is None:
                choices = ", ".join(allowed[:-1]) + (", " if blank else " or ") + allowed[-1]
                message = (f"{self.values[column] or 'blank'} is not one of {choices}"
                           + (" or blank" if blank else ""))
            self.problem(column, message)
        return value

    def date(self, column: str) -> date | None:
        """The cell as a date written as ISO 8601 (2022-11-03), or None when it is not one."""
        try:
            return date.fromisoformat(self.values[column])
        except ValueError:
            self.problem(column, f"{self.values[column] or 'blank'} is not a date like "
                                 "2022-11-03")
            return None
