"""Removing families whole (privacy.erasure): every row of theirs goes, the values in the audit
entries about them are emptied, their pictures go once the removal commits, tombstones say what
went, and a family under a legal hold is refused with nothing removed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework import actions
from familyfeedback.casework.models import Administration, Family, Person, Session
from familyfeedback.evaluation.models import Trial, TrialPerson
from familyfeedback.privacy.erasure import AUDIT_VALUES, ERASURE, PICTURES, erase_families, removal
from familyfeedback.privacy.models import Tombstone
from tests import factories

pytestmark = pytest.mark.usefixtures("media_root")


def rated_with_picture(world, family) -> Administration:
    session = factories.session(world.practitioner, family,
                                timezone.localdate() - timedelta(days=10))
    rating = Administration.objects.filter(session=session, tool="ORS").first()
    rating.picture.save("face.png", ContentFile(factories.PNG))
    actions.log_view(world.practitioner, "family.view", family)
    return rating


def test_a_family_and_everything_of_theirs_goes_with_tombstones_that_name_no_one(
        world, settings, django_capture_on_commit_callbacks):
    rating = rated_with_picture(world, world.family)
    TrialPerson.objects.create(trial=Trial.objects.create(name="Ripple"),
                               person=world.family.people.first(), code="P-1")
    picture = settings.MEDIA_ROOT / rating.picture.name
    people = list(world.family.people.values_list("pk", flat=True))
    planned = removal([world.family.pk])
    assert planned.counts()["casework.Person"] == 4
    assert planned.counts()["evaluation.TrialPerson"] == 1
    assert planned.pictures == {rating.pk: rating.picture.name}
    trail = set(planned.audit_entries)
    assert AuditEntry.objects.filter(pk__in=trail, object_type="session").exists()

    with django_capture_on_commit_callbacks(execute=True):
        tombstones = erase_families([world.family], rule=ERASURE, actor=world.administrator,
                                    reason="SAR 2026/14")
        assert picture.exists(), "the file stays until the removal has committed"

    assert not picture.exists()
    assert not Family.objects.filter(pk=world.family.pk).exists()
    assert not Person.objects.filter(pk__in=people).exists()
    assert not TrialPerson.objects.exists()
    assert Family.objects.filter(pk=world.other_family.pk).exists()
    found = {t.record_type: t for t in Tombstone.objects.all()}
    assert found.keys() == {t.record_type for t in tombstones} == set(planned.counts())
    assert found["casework.Person"].removed_ids == sorted(people)
    assert found[PICTURES].removed_ids == [rating.pk] and found[PICTURES].count == 1
    assert sorted(found[AUDIT_VALUES].removed_ids) == sorted(trail)
    assert {(t.rule, t.reason, t.by) for t in tombstones} == {
        (ERASURE, "SAR 2026/14", world.administrator)}
    # The entries remain, who and when, with their values emptied.
    emptied = AuditEntry.objects.filter(pk__in=trail)
    assert emptied.count() == len(trail)
    assert all(e.changes == {} and e.redacted_at for e in emptied)
    assert AuditEntry.objects.filter(action="family.erase", object_id=world.family.pk,
                                     actor=world.administrator).exists()


def test_a_family_under_legal_hold_is_refused_and_nothing_goes(world, settings):
    rating = rated_with_picture(world, world.family)
    Family.objects.filter(pk__in=[world.family.pk]).update(legal_hold_reason="Court order")
    with pytest.raises(ValidationError) as refused:
        erase_families([world.family, world.other_family], rule="closed_family")
    assert refused.value.code == "legal_hold"
    assert Family.objects.count() == 2 and Session.objects.count() == 1
    assert (settings.MEDIA_ROOT / rating.picture.name).exists()
    assert not Tombstone.objects.exists()
    assert not AuditEntry.objects.filter(redacted_at__isnull=False).exists()


def test_a_removal_rolled_back_keeps_the_rows_and_the_files(
        world, settings, django_capture_on_commit_callbacks):
    rating = rated_with_picture(world, world.family)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, \
            pytest.raises(RuntimeError), transaction.atomic():
        erase_families([world.family], rule="closed_family")
        raise RuntimeError("the power went")
    assert callbacks == []
    assert Family.objects.filter(pk=world.family.pk).exists()
    assert (settings.MEDIA_ROOT / rating.picture.name).exists()
    assert not AuditEntry.objects.filter(redacted_at__isnull=False).exists()
    assert not Tombstone.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_picture_file_that_cannot_be_removed_leaves_the_others_going_and_is_counted(
        world, settings, caplog):
    first = rated_with_picture(world, world.family)
    second = Administration.objects.filter(session=first.session, pk__gt=first.pk).first()
    second.picture.save("face.png", ContentFile(factories.PNG))
    stuck = settings.MEDIA_ROOT / first.picture.name
    stuck.unlink()  # a directory with something in it where the file was: it cannot be deleted
    stuck.mkdir()
    (stuck / "inside").write_bytes(b"x")
    going = settings.MEDIA_ROOT / second.picture.name
    assert first.pk < second.pk and going.exists()

    erase_families([world.family], rule="closed_family")

    assert not Family.objects.filter(pk=world.family.pk).exists()
    assert not going.exists()
    assert stuck.exists()
    assert "1 picture file(s) of removed records could not be deleted" in caplog.text
    assert first.picture.name not in caplog.text and "Traceback" not in caplog.text
