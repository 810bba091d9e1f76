"""Small-count suppression for aggregate tables released as research data (statistical
disclosure control): a count of one to `below - 1` people could single someone out, so a row
holding one is not shown. Zero identifies nobody and is shown."""

from __future__ import annotations

from collections.abc import Iterable


def is_disclosive(counts: Iterable[int], below: int) -> bool:
    """Whether a row with these counts must be suppressed. Give every count the row lets a
    reader work out, not only those printed: with 9 asked and 7 answering, the 2 who did not
    answer are a count too, and would single them out."""
    return any(0 < count < below for count in counts)
