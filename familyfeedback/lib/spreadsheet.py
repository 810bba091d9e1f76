"""Cells for every CSV and XLSX the product writes (the evaluation package, the dashboards'
downloads, `score_file --format csv`), so that what a person typed opens in Excel or LibreOffice
as text and is never run as a formula: `=HYPERLINK("http://x","y")` in a survey answer must not
become a link, nor `=cmd|...` a command. OWASP's advice for CSV injection is followed: text
starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote.

Numbers are data, not formulas. In XLSX they are written as numbers, which a spreadsheet never
evaluates, so only text cells are touched there. In CSV everything is text, so a cell that is a
plain number (`-1.5`, `+2`, `1e-3`) is left alone: a spreadsheet reads it as that number and
runs nothing, and the project's own importers read it back unchanged.

The quote is added, so the evaluation package's round trip must take it off again: the importers
read every cell through `read_csv_cell`, which removes a quote `csv_cell` added. To make that
exact, `csv_cell` also quotes text that already starts with a quote (`'Tis` is written `''Tis`),
so a leading quote is removed only where one was added, and a package from elsewhere keeps a
quote that is its own.

Hand-written: no library on our dependency list does this, and the rule is a few lines.
"""

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _runs_as_formula(text: str) -> bool:
    return text.startswith(TRIGGERS) and not _NUMBER.fullmatch(text)


def _needs_quote(text: str) -> bool:
    return _runs_as_formula(text) or text.startswith(QUOTE)


def csv_cell(value):
    """value as a CSV cell: text a spreadsheet would run, or that starts with a quote, gets a
    leading quote; anything else (numbers, plain text, None) is returned as it is."""
    if isinstance(value, str) and _needs_quote(value):
        return QUOTE + value
    return value


def read_csv_cell(text: str) -> str:
    """A cell as csv_cell was given it: the quote it added, and only that, is taken off."""
    if text.startswith(QUOTE) and _needs_quote(text[1:]):
        return text[1:]
    return text


def xlsx_append(sheet, values) -> None:
    """Add a row to an openpyxl sheet. openpyxl itself stores text starting with = as a formula;
    such text (and any other a spreadsheet would run) is stored as text with Excel's own quote
    prefix, the XLSX form of OWASP's leading quote: shown exactly as typed, never worked out.
    A control character XML cannot hold (openpyxl refuses a cell with one) becomes U+FFFD, so
    that a stray one in pasted text costs that character, not the whole download."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    sheet.append([ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v
                  for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and _runs_as_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
