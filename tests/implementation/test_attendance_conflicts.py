"""Two people marking one training register never overwrite each other's marks silently."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import Role
from familyfeedback.implementation.models import Attendance, TrainingEvent
from tests import factories
from tests.edit_pages import opened


def test_a_register_opened_before_a_colleagues_marks_does_not_overwrite_them(world):
    event = TrainingEvent.objects.create(kind="part_1",
                                         on=timezone.localdate() - timedelta(days=1))
    event.invited_teams.set([world.team])
    url = reverse("attendance", args=[event.pk])
    manager, data_team = Client(), Client()
    manager.force_login(world.manager)
    data_team.force_login(factories.user("dee@example.test", Role.DATA_TEAM))
    mine, theirs = opened(manager, url), opened(data_team, url)
    key = f"u{world.practitioner.pk}"
    assert data_team.post(url, {key: "no", f"{key}-reason": "On leave",
                                **theirs}).status_code == 302
    response = manager.post(url, {key: "yes", **mine})
    page = response.content.decode()
    row = Attendance.objects.get(event=event, user=world.practitioner)
    assert response.status_code == 200
    assert (row.attended, row.absence_reason) == (False, "On leave")
    assert "Changed by someone else since you opened this page" in page
    assert "On leave" in page
