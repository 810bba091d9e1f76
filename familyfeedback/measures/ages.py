"""Age in completed years, which decides the version of a measure a person is offered, and the
one rule that a form given must be that version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Measure
from .registry import all_measures, measure_for


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years of age on a date.

    Someone born on 29 February turns a year older on 1 March in years without a 29 February,
    as under the law of England and Wales: comparing (month, day) pairs gives exactly that,
    since (2, 28) is before (2, 29) and (3, 1) is after it.
    """
    if on < date_of_birth:
        raise ValueError("The date is before the date of birth.")
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def turns(born: date, age: int) -> date:
    """The day someone born on `born` turns `age` (1 March for 29 February, as age_on has it)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return date(born.year + age, 3, 1)


@dataclass(frozen=True)
class WrongForm:
    """A form given that is not the version of its tool for the person's age on the day: each
    caller words it for its own page or file from these facts."""

    age: int
    right: Measure
    given: str


def wrong_form(tool: str, given: str, date_of_birth: date, on: date) -> WrongForm | None:
    """None when `given` (a measure's code) is the version of `tool` meant for someone born on
    date_of_birth, on the date `on`; otherwise the age and the version that was right. A code
    that names no measure at all is simply not the right one."""
    age = age_on(date_of_birth, on)
    right = measure_for(tool, age)
    return None if right.code == given else WrongForm(age, right, given)


def age_bands() -> tuple[tuple[int, int | None], ...]:
    """The age bands research data reports instead of a date of birth: the ages at which the
    ORS offered changes version (YCORS, CORS, ORS) or its cut-off changes (13-17 and adults),
    read from the measure definitions so that the bands follow them: ((0, 5), (6, 12), (13, 17),
    (18, None)) for the definitions shipped."""
    starts = set()
    for measure in all_measures():
        if measure.tool == "ORS":
            starts.add(measure.min_age)
            starts.update(cutoff.min_age for cutoff in measure.cutoffs)
    ordered = sorted(starts)
    return tuple((low, high - 1) for low, high in zip(ordered, ordered[1:], strict=False)) + (
        (ordered[-1], None),)


def band_label(band: tuple[int, int | None]) -> str:
    low, high = band
    if high is None:
        return f"{low}+"
    return f"under {high + 1}" if low == 0 else f"{low}-{high}"


def age_band(age: int) -> tuple[int, int | None]:
    """The band of age_bands() that holds this age in completed years."""
    if age < 0:
        raise ValueError("Age cannot be negative.")
    return next(band for band in age_bands() if band[1] is None or age <= band[1])
