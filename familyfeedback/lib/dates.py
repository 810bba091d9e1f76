"""Date arithmetic the rules share."""

from datetime import date


def years_after(day: date, years: int) -> date:
    """The same day `years` later; 28 February for a 29 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
