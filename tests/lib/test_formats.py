"""Dates and scores as every page writes them (GOV.UK style: no leading zero on the day)."""

from datetime import date
from decimal import Decimal

import pytest

from familyfeedback.lib import formats


@pytest.mark.parametrize("month", range(1, 13))
def test_a_date_names_its_month_as_the_calendar_does(month):
    on = date(2026, month, 4)
    assert formats.date_long(on) == f"4 {on:%B} 2026"
    assert formats.date_short(on) == f"4 {on:%b} 2026"


def test_dates_and_scores_as_written():
    assert formats.date_long(date(2027, 1, 31)) == "31 January 2027"
    assert formats.date_short(date(2026, 9, 1)) == "1 Sep 2026"
    assert formats.date_short(None) == formats.date_long(None) == formats.score(None) == ""
    assert formats.score(Decimal("7")) == "7.0" and formats.score(12.3) == "12.3"
