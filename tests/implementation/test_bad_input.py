"""What a manager can type into the implementation pages that cannot be stored: a plain message,
what was typed kept, nothing saved; the same on SQLite and PostgreSQL."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from familyfeedback.implementation.models import Attendance, SupervisionNote, TrainingEvent


def test_a_supervision_note_with_a_nul_is_refused_and_kept(world, client):
    client.force_login(world.manager)
    response = client.post(reverse("supervision", args=[world.practitioner.pk]),
                           {"note": "Talk about\x00 the SRS"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Null characters are not allowed" in page
    assert "Talk about" in page
    assert not SupervisionNote.objects.exists()


def test_an_absence_reason_with_a_nul_is_refused_and_kept(world, client):
    event = TrainingEvent.objects.create(kind="part_1",
                                         on=timezone.localdate() - timedelta(days=1))
    event.invited_teams.set([world.team])
    client.force_login(world.manager)
    key = f"u{world.practitioner.pk}"
    response = client.post(reverse("attendance", args=[event.pk]),
                           {key: "no", f"{key}-reason": "Ill\x00ness"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Null characters are not allowed" in page
    assert "Ill" in page and 'value="no" checked' in page
    assert not Attendance.objects.exists()


def test_an_absence_reason_longer_than_the_register_holds_is_refused_not_cut(world, client):
    event = TrainingEvent.objects.create(kind="part_1",
                                         on=timezone.localdate() - timedelta(days=1))
    event.invited_teams.set([world.team])
    client.force_login(world.manager)
    key = f"u{world.practitioner.pk}"
    reason = "r" * 201
    response = client.post(reverse("attendance", args=[event.pk]),
                           {key: "no", f"{key}-reason": reason})
    assert response.status_code == 200
    assert "200 characters or fewer" in response.content.decode()
    assert not Attendance.objects.exists()


def test_an_attendance_mark_that_is_not_a_choice_is_refused(world, client):
    event = TrainingEvent.objects.create(kind="part_1",
                                         on=timezone.localdate() - timedelta(days=1))
    event.invited_teams.set([world.team])
    client.force_login(world.manager)
    response = client.post(reverse("attendance", args=[event.pk]),
                           {f"u{world.practitioner.pk}": "maybe"})
    assert response.status_code == 200
    assert "Choose attended or absent" in response.content.decode()
    assert not Attendance.objects.exists()
