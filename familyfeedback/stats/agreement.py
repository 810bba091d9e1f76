"""Agreement between two coders of one document: Cohen's kappa over paragraphs.

Each paragraph is a unit, and for each theme each coder either applied it to the paragraph (any
of their codings under the theme overlaps it) or did not. Kappa per theme compares the two
coders' yes/no over the paragraphs; overall it pools every paragraph × theme decision."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from statsmodels.stats.inter_rater import cohens_kappa

Span = tuple[int, int]  # characters [start, end) of the text
Coded = tuple[Hashable, int, int]  # (theme, start, end)

NO_UNITS = "there are no paragraphs to compare"
NO_VARIANCE = ("both coders gave every paragraph the same answer, so agreement by chance is "
               "certain and kappa cannot be computed")


@dataclass(frozen=True)
class Kappa:
    kappa: float | None  # None when it cannot be computed: then `why` says so
    agreed: int  # units on which the coders agree
    units: int
    both: int  # units both coders marked
    first_only: int
    second_only: int
    why: str = ""

    @property
    def observed(self) -> float | None:
        """The share of units the coders agree on."""
        return self.agreed / self.units if self.units else None


def kappa(first: Sequence[bool], second: Sequence[bool]) -> Kappa:
    """Cohen's kappa of two coders' yes/no over the same units, from statsmodels; None (with the
    reason) rather than NaN when chance agreement is certain or there are no units."""
    if len(first) != len(second):
        raise ValueError("both coders must judge the same units")
    pairs = list(zip((bool(a) for a in first), (bool(b) for b in second), strict=True))
    table = np.array([[sum(1 for p in pairs if p == (a, b)) for b in (True, False)]
                      for a in (True, False)])
    both, first_only, second_only, neither = (int(n) for n in table.ravel())
    counts = {"agreed": both + neither, "units": len(pairs), "both": both,
              "first_only": first_only, "second_only": second_only}
    if not pairs:
        return Kappa(None, **counts, why=NO_UNITS)
    # Expected agreement is 1 exactly when each coder gave one answer throughout, and the same
    # one: kappa's denominator is then 0 (statsmodels would give NaN).
    if len({a for a, _ in pairs} | {b for _, b in pairs}) == 1:
        return Kappa(None, **counts, why=NO_VARIANCE)
    # Only kappa is used: its standard error, undefined for a table like perfect disagreement's,
    # would warn of a division by zero that does not matter here.
    with np.errstate(divide="ignore", invalid="ignore"):
        return Kappa(float(cohens_kappa(table).kappa), **counts)


def applied(paragraphs: Sequence[Span], codings: Sequence[Coded], theme: Hashable) -> list[bool]:
    """For each paragraph, whether any of these codings under `theme` overlaps it."""
    spans = [(start, end) for t, start, end in codings if t == theme]
    return [any(start < p_end and end > p_start for start, end in spans)
            for p_start, p_end in paragraphs]


@dataclass(frozen=True)
class Agreement:
    by_theme: dict[Hashable, Kappa]
    overall: Kappa


def paragraph_agreement(paragraphs: Sequence[Span], themes: Sequence[Hashable],
                        first: Sequence[Coded], second: Sequence[Coded]) -> Agreement:
    """Kappa for each theme over the paragraphs, and overall over every paragraph × theme."""
    marks = {theme: (applied(paragraphs, first, theme), applied(paragraphs, second, theme))
             for theme in themes}
    return Agreement(
        by_theme={theme: kappa(a, b) for theme, (a, b) in marks.items()},
        overall=kappa([m for a, _ in marks.values() for m in a],
                      [m for _, b in marks.values() for m in b]))
