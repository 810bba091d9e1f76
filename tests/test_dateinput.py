"""Date boxes given numbers too big for a date: a plain message on every page that has them."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse

from familyfeedback.lib.dateinput import DatePartsField
from tests.casework.forms_data import record_session_post

HUGE = "99999999999999999999"


class OneDate(forms.Form):
    on = DatePartsField(subject="The date")


@pytest.mark.parametrize("part", ["day", "month", "year"])
def test_a_huge_number_in_any_box_is_not_a_real_date(part):
    data = {"on-day": "1", "on-month": "2", "on-year": "2026", f"on-{part}": HUGE}
    form = OneDate(data)
    assert not form.is_valid()
    assert form.errors["on"] == ["The date must be a real date"]


def test_the_dashboards_say_the_period_is_wrong_and_show_the_default_period(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("dashboards"), {"start-day": "1", "start-month": "1",
                                                  "start-year": HUGE})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The start date must be a real date" in page
    assert f'value="{HUGE}"' in page  # what was typed stays in the box
    assert "Training by team" in page or "<table" in page  # the default period's figures


def test_a_training_event_with_a_huge_year_keeps_what_was_typed(world, client):
    client.force_login(world.manager)
    response = client.post(reverse("add_training_event"), {
        "kind": "part_1", "on-day": "3", "on-month": "4", "on-year": HUGE,
        "facilitators": "Sam", "teams": [world.team.pk]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The date of the event must be a real date" in page
    assert f'value="{HUGE}"' in page and 'value="Sam"' in page


def test_a_session_date_with_a_huge_day_is_refused_plainly(world, client):
    client.force_login(world.practitioner)
    data = record_session_post(world.family, date(2026, 3, 2), {"date-day": HUGE})
    response = client.post(reverse("record_session", args=[world.family.pk]), data)
    assert response.status_code == 200
    assert "The session date must be a real date" in response.content.decode()
