"""Date arithmetic the rules share."""

import calendar
from datetime import date


def months_after(day: date, months: int) -> date:
    """The same day `months` later (earlier if negative; a year is 12), or that month's last
    day where it has no such day: a year after 29 February is 28 February."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def years_after(day: date, years: int) -> date:
    return months_after(day, 12 * years)
