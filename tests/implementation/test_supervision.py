from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.implementation.models import SupervisionNote
from tests import factories


def test_a_manager_sees_a_practitioners_families_alerts_and_use_this_month(world, client):
    adult = world.family.people.get(first_name="Person1")
    today = timezone.localdate()
    for days_ago, marks in ((20, (5, 5, 5, 5)), (0, (3.5, 3.5, 3.5, 3.5))):
        on = today - timedelta(days=days_ago)
        if on.month == today.month:
            factories.session(world.practitioner, world.family, on,
                              {adult.pk: (marks, (9, 9, 9, 9))})
    client.force_login(world.manager)
    page = client.get(reverse("supervision", args=[world.practitioner.pk])).content.decode()
    assert "Ashdown family" in page
    assert "This month" in page


def test_a_supervision_note_is_saved_and_audited(world, client):
    client.force_login(world.manager)
    response = client.post(reverse("supervision", args=[world.practitioner.pk]),
                           {"note": "Talk about using the SRS with teenagers"})
    assert response.status_code == 302
    note = SupervisionNote.objects.get()
    assert (note.practitioner, note.written_by) == (world.practitioner, world.manager)
    assert AuditEntry.objects.filter(action="supervision.note").exists()


def test_an_empty_note_is_refused(world, client):
    client.force_login(world.manager)
    page = client.post(reverse("supervision", args=[world.practitioner.pk]),
                       {"note": "  "}).content.decode()
    assert "Write the note" in page and not SupervisionNote.objects.exists()


def test_only_the_practitioners_manager_opens_supervision(world, client):
    url = reverse("supervision", args=[world.practitioner.pk])
    for persona, user in world.everyone().items():
        client.force_login(user)
        assert client.get(url).status_code == (200 if persona == "manager" else 404), persona
    client.force_login(world.manager)
    other = reverse("supervision", args=[world.colleague_other_team.pk])
    assert client.get(other).status_code == 404
