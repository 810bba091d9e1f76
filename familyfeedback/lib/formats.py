"""How dates, times and scores are written on every page, in one place (GOV.UK style)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def date_long(value: date | None) -> str:
    return "" if value is None else f"{value.day} {value:%B %Y}"


def date_short(value: date | None) -> str:
    return "" if value is None else f"{value.day} {value:%b %Y}"


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
