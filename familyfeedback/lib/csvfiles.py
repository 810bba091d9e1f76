"""Reading the CSV files people hand to the importers (`score_file`, `import_history`,
`import_evaluation`), so that every file no one meant to give them is refused the same way: as a
problem `file:line: column: what is wrong`, never a traceback.

Python's csv module does the parsing; what is written here is only what it leaves to us: a row
shorter than its header (it fills the gap with None), a cell over its field limit (it raises
csv.Error and cannot carry on), a path that is a folder or cannot be read, and the quote
lib.spreadsheet puts before a cell that would run as a formula.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import CommandError

from familyfeedback.lib.spreadsheet import read_csv_cell

# Unicode's control, format (bidirectional overrides, zero-width), separator and surrogate
# categories: printed raw they can rewrite a terminal or reverse the text a person reads.
_UNPRINTABLE = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def printable(text: str) -> str:
    """text with every control character escaped as Python writes it in a literal (\\x1b,
    \\u202e), for a message that quotes what a file or a command line held."""
    return "".join(repr(c)[1:-1] if unicodedata.category(c) in _UNPRINTABLE else c
                   for c in text)


def locate(file: str, line: int, column: str, message: str) -> str:
    return printable(f"{file}:{line}: {column}: {message}")


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def located(self, file: str, names: dict[str, str] | None = None) -> str:
        """The problem as a person fixes it: the column by the file's own name for it (names:
        our column -> the file's header, from a column mapping)."""
        return locate(file, self.line, (names or {}).get(self.column, self.column),
                      self.message)


class Unreadable(Exception):
    """The path is not a file that can be read as UTF-8 text; the message says why."""


def read_text(path: Path, what: str = "a CSV file") -> str:
    """The file's text. utf-8-sig: spreadsheet programs often start a UTF-8 CSV with a
    byte-order mark."""
    if path.is_dir():
        raise Unreadable(f"is a folder, not {what}")
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise Unreadable("is missing") from None
    except UnicodeDecodeError:
        raise Unreadable("is not UTF-8 text") from None
    except OSError as error:
        raise Unreadable(f"cannot be read: {error.strerror}") from None


def read_for_command(path: Path, what: str = "a CSV file") -> str:
    """The text of the file a command was given, or the command stops saying why it cannot."""
    if not path.exists():
        raise CommandError(printable(f"No file at {path}"))
    try:
        return read_text(path, what)
    except Unreadable as error:
        raise CommandError(printable(f"{path} {error}")) from None


def records(lines: Iterable[str], columns: Iterable[str], problems: list[Problem], *,
            optional: Iterable[str] = (),
            names: dict[str, str] | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: stripped text}) for each row of a CSV with a header row naming
    columns (in any order; optional ones may be left out, and read as blank). names maps our
    column names to the header's own (lib/csvcolumns.py), for a file exported by another system;
    the rows are given under our names all the same. Problems go to problems: a column missing
    from the header (then no row is read), a row without a cell for a column read (that row is
    not given), a cell over the csv module's limit (the rest of the file is not read: the reader
    cannot tell where the next row starts)."""
    reader = csv.DictReader(lines)
    try:
        header = reader.fieldnames or []
    except csv.Error:
        problems.append(_too_long(reader.reader.line_num))
        return
    if names:
        ours = {theirs: our for our, theirs in names.items()}
        # A header cell that happens to carry one of our names, mapped to another, is not it.
        header = [ours.get(cell, f"{cell} (not read)" if cell in names else cell)
                  for cell in header]
        reader.fieldnames = header
    columns = list(columns)
    missing = [c for c in columns if c not in header and c not in optional]
    problems.extend(Problem(1, c, "column is missing from the header") for c in missing)
    if missing:
        return
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # DictReader's own line_num still names the last row read; its reader's, this one.
            problems.append(_too_long(reader.reader.line_num))
            return
        # A row may leave out the cells of columns no one reads (a note column at the end), but
        # not those of the columns read: a cut-off row is refused, not read as blanks.
        short = [c for c in header if record.get(c) is None and c in columns]
        if short:
            cells = sum(record.get(c) is not None for c in header)
            problems.append(Problem(
                reader.line_num, short[0],
                f"is missing: the row has {cells} cells and the header {len(header)}"))
            continue
        # Cells past the header are kept by csv under the key None, and ignored here.
        # The quote our own exports put before text a spreadsheet would run comes off here.
        yield reader.line_num, {c: read_csv_cell((record.get(c) or "").strip())
                                for c in columns}


def _too_long(line: int) -> Problem:
    return Problem(line, "(row)", f"a cell is longer than {csv.field_size_limit()} characters, "
                                  "the most a cell may hold; the file was read no further")
