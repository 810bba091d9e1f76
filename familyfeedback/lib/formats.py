"""How dates, times and scores are written on every page, in one place (GOV.UK style)."""

import calendar
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


# The months' names looked up rather than formatted with strftime, which took a twelfth of the
# time of a family page with a long history (a date on every row of every chart's table).
MONTHS = tuple(calendar.month_name)
MONTHS_SHORT = tuple(calendar.month_abbr)


def date_long(value: date | None) -> str:
    return "" if value is None else f"{value.day} {MONTHS[value.month]} {value.year}"


def date_short(value: date | None) -> str:
    return "" if value is None else f"{value.day} {MONTHS_SHORT[value.month]} {value.year}"


def datetime_local(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    hour = local.strftime("%I").lstrip("0")
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{local:%p}".replace("AM", "am").replace(
        "PM", "pm"
    )


def score(value: Decimal | float | None) -> str:
    return "" if value is None else f"{Decimal(value):.1f}"
