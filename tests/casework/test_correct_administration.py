from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework import actions
from familyfeedback.lib import versions
from tests import factories
from tests.edit_pages import opened


def recorded(world):
    session = factories.session(world.practitioner, world.family,
                                timezone.localdate() - timedelta(days=2))
    adult_ors = session.administrations.get(person__first_name="Person1", tool="ORS")
    child_faces = session.administrations.get(person__first_name="Person4", tool="ORS")
    return adult_ors, child_faces


def test_a_correction_changes_the_score_and_keeps_the_old_one_in_the_audit(world, signed_in):
    record, _ = recorded(world)
    client = signed_in(world.practitioner)
    url = reverse("correct_administration", args=[record.pk])
    response = client.post(url, {
        "item_1": "5.0", "item_2": "7.2", "item_3": "5.0", "item_4": "5.0",
        "reason": "Typed 5.0 for 7.2 from the paper form", **opened(client, url),
    })
    record.refresh_from_db()
    assert response.status_code == 302
    assert record.item_2 == Decimal("7.2")
    assert record.total == Decimal("22.2")
    entry = AuditEntry.objects.get(action="administration.correct")
    assert entry.actor == world.practitioner
    assert entry.changes == {"item_2": ["5.0", "7.2"],
                             "reason": "Typed 5.0 for 7.2 from the paper form"}


def test_a_correction_needs_a_reason_and_keeps_what_was_typed(world, signed_in):
    record, _ = recorded(world)
    client = signed_in(world.practitioner)
    response = client.post(reverse("correct_administration", args=[record.pk]), {
        "item_1": "5.0", "item_2": "7.2", "item_3": "5.0", "item_4": "5.0", "reason": "",
    })
    page = response.content.decode()
    record.refresh_from_db()
    assert "Give the reason for the correction" in page
    assert 'value="7.2"' in page
    assert record.item_2 == Decimal("5.0")


def test_a_corrected_score_out_of_range_is_refused(world, signed_in):
    record, _ = recorded(world)
    client = signed_in(world.practitioner)
    page = client.post(reverse("correct_administration", args=[record.pk]), {
        "item_1": "11", "item_2": "5.0", "item_3": "5.0", "item_4": "5.0", "reason": "x",
    }).content.decode()
    assert "How I am doing in myself must be between 0.0 and 10.0" in page
    assert not AuditEntry.objects.filter(action="administration.correct").exists()


def test_a_young_childs_face_can_be_corrected(world, signed_in):
    _, faces = recorded(world)
    client = signed_in(world.practitioner)
    url = reverse("correct_administration", args=[faces.pk])
    client.post(url, {"face": "in_between", "reason": "Picked the wrong face on the tablet",
                      **opened(client, url)})
    faces.refresh_from_db()
    assert faces.face == "in_between"
    assert AuditEntry.objects.get(action="administration.correct").changes["face"] == [
        "happy", "in_between"]


def test_a_correction_sent_twice_is_logged_once(world, signed_in):
    record, _ = recorded(world)
    client = signed_in(world.practitioner)
    url = reverse("correct_administration", args=[record.pk])
    data = {"item_1": "5.0", "item_2": "7.2", "item_3": "5.0", "item_4": "5.0",
            "reason": "Typed 5.0 for 7.2", **opened(client, url)}
    client.post(url, data)
    client.post(url, data)
    assert AuditEntry.objects.filter(action="administration.correct").count() == 1


def test_a_correction_from_a_stale_page_is_refused_naming_what_changed(world, signed_in):
    record, _ = recorded(world)
    client = signed_in(world.practitioner)
    url = reverse("correct_administration", args=[record.pk])
    stale = versions.plain({**record.items(), "face": record.face})  # the colleague's page
    client.post(url, {"item_1": "5.0", "item_2": "7.0", "item_3": "5.0", "item_4": "5.0",
                      "reason": "first", **opened(client, url)})
    with pytest.raises(versions.EditConflict) as conflict:
        actions.correct_administration(world.manager, record, items={
            "item_1": Decimal("5.0"), "item_2": Decimal("8.0"), "item_3": Decimal("5.0"),
            "item_4": Decimal("5.0")}, face="", reason="second", opened=stale)
    assert conflict.value.changes == {"item_2": ("5.0", "7.0")}
    record.refresh_from_db()
    assert record.item_2 == Decimal("7.0")
    assert AuditEntry.objects.filter(action="administration.correct").count() == 1
