"""Subject access: an administrator downloads everything held about one family member, as a
PDF to read, JSON to process and the pictures they drew; nothing of anyone else's; and every
model linked to a person or a family is either in the export or said to be left out."""

import io
import json
import re
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework.models import (
    Administration,
    AlertAcknowledgement,
    Episode,
    FeedbackLink,
    Person,
    Session,
)
from familyfeedback.evaluation.models import Trial, TrialPerson
from familyfeedback.privacy import subject_access
from tests import factories

DOC = Path(__file__).resolve().parents[2] / "docs" / "formats" / "subject-access.md"

pytestmark = pytest.mark.usefixtures("media_root")


def seed(world) -> tuple[Person, dict[str, tuple[str, str]]]:
    """One row of every covered model for one person, each carrying a value found nowhere else;
    and their sibling's own records, which must stay out. Returns the person and, for each
    covered model, what shows it in the JSON and in the PDF's text."""
    today = timezone.localdate()
    family = world.family
    family.name, family.case_reference = "Zephyrine family", "SAR-7731"
    family.save()
    subject, sibling = family.people.order_by("date_of_birth", "id")[:2]
    subject.last_name, subject.reference = "Quillfeather", "CS-55501"
    subject.save()
    sibling.last_name = "Siblington"
    sibling.save()
    # An earlier period of support, with a session in it, closed; then the current one.
    family.episodes.update(opened_on=today - timedelta(days=600))
    factories.session(world.practitioner, family, today - timedelta(days=500),
                      {subject.pk: ((3, 3, 3, 3), (9, 9, 9, 9))})
    family.episodes.update(closed_on=today - timedelta(days=400),
                           closing_note="Moved to Wrexham for a while")
    Episode.objects.create(family=family, opened_on=today - timedelta(days=200))
    session = factories.session(world.practitioner, family, today - timedelta(days=30),
                                {subject.pk: ((2, 2, 2, 2), (9, 9, 9, 4))})
    Session.objects.filter(pk=session.pk).update(notes="Talked about the allotment")
    rating = Administration.objects.get(session=session, person=subject, tool="ORS")
    rating.notes = "Drew a sunflower"
    rating.picture.save("face.png", ContentFile(factories.PNG))
    Administration.objects.filter(session=session, person=sibling, tool="ORS").update(
        notes="Sibling's private worry")
    AlertAcknowledgement.objects.create(person=subject, code="low_session_total",
                                        fired_on=session.date, note="Rang the school nurse",
                                        by=world.practitioner)
    AlertAcknowledgement.objects.create(person=sibling, code="low_session_total",
                                        fired_on=session.date, note="Only about the sibling",
                                        by=world.practitioner)
    FeedbackLink.objects.create(session=session, person=subject, tool="SRS",
                                token_hash=FeedbackLink.hash("a-token"),
                                created_by=world.practitioner, created_at=timezone.now(),
                                expires_at=datetime(2026, 3, 14, 15, 9, tzinfo=UTC))
    TrialPerson.objects.create(trial=Trial.objects.create(name="Ripple pilot"), person=subject,
                               code="P-ZX81")
    return subject, {
        "casework.Family": ("SAR-7731", "SAR-7731"),
        "casework.Person": ("Quillfeather", "Quillfeather"),
        "casework.Episode": ("Moved to Wrexham for a while", "Wrexham"),
        "casework.Session": ("Talked about the allotment", "allotment"),
        "casework.Administration": ("Drew a sunflower", "sunflower"),
        "casework.AlertAcknowledgement": ("Rang the school nurse", "nurse"),
        "casework.FeedbackLink": ("2026-03-14T15:09:00+00:00", "3:09pm"),
        "evaluation.TrialPerson": ("P-ZX81", "P-ZX81"),
    }


def download(client, world, person) -> zipfile.ZipFile:
    client.force_login(world.administrator)
    response = client.post(reverse("subject_access", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-{timezone.localdate().isoformat()}.zip"')
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def pdf_text(archive: zipfile.ZipFile, tmp_path) -> str:
    pdf = tmp_path / "subject-access.pdf"
    pdf.write_bytes(archive.read("subject-access.pdf"))
    text = subprocess.run(["/usr/bin/pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(text.split())


def test_every_model_linked_to_a_person_or_family_is_covered_or_said_to_be_left_out():
    assert subject_access.uncovered() == []
    # Each name is of a model that exists, and none is both in and left out.
    named = set(subject_access.COVERED) | set(subject_access.LEFT_OUT) | set(
        subject_access.UNLINKED)
    assert named <= {m._meta.label for m in apps.get_models()}
    assert not set(subject_access.COVERED) & set(subject_access.LEFT_OUT)


def test_a_new_model_linked_to_a_person_directly_or_through_a_session_is_reported():
    with isolate_apps("familyfeedback.privacy"):
        class PersonNote(models.Model):
            person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

            class Meta:
                app_label = "privacy"

        class SessionRoom(models.Model):
            sessions = models.ManyToManyField(Session, related_name="+")

            class Meta:
                app_label = "privacy"

        class NoteReply(models.Model):
            note = models.OneToOneField(PersonNote, on_delete=models.CASCADE, related_name="+")

            class Meta:
                app_label = "privacy"

        class Unrelated(models.Model):
            words = models.TextField()

            class Meta:
                app_label = "privacy"

        found = subject_access.uncovered(
            [*apps.get_models(), PersonNote, SessionRoom, NoteReply, Unrelated])
    assert found == ["privacy.NoteReply", "privacy.PersonNote", "privacy.SessionRoom"]


def test_every_covered_model_appears_in_the_json_and_the_pdf(world, client, tmp_path):
    subject, shown_by = seed(world)
    assert set(shown_by) == set(subject_access.COVERED), "seed a row of every covered model"
    archive = download(client, world, subject)
    raw = archive.read("subject-access.json").decode()
    text = pdf_text(archive, tmp_path)
    missing = [f"{label} (JSON)" for label, (in_json, _) in shown_by.items() if in_json not in raw]
    missing += [f"{label} (PDF)" for label, (_, in_pdf) in shown_by.items() if in_pdf not in text]
    assert missing == []


def test_the_download_holds_the_pdf_the_json_and_the_picture_itself(world, client, tmp_path):
    subject, _ = seed(world)
    archive = download(client, world, subject)
    rating = Administration.objects.exclude(picture="").get()
    picture = f"pictures/rating-{rating.pk}.png"
    assert sorted(archive.namelist()) == sorted(
        ["subject-access.pdf", "subject-access.json", picture])
    assert archive.read(picture) == factories.PNG
    data = json.loads(archive.read("subject-access.json"))
    assert data["format"] == "family-feedback-subject-access" and data["version"] == 1
    ors = next(r for r in data["ratings"] if r["id"] == rating.pk)
    assert ors["picture"] == picture
    assert [i["mark"] for i in ors["marks"]] == [2.0, 2.0, 2.0, 2.0] and ors["total"] == 8.0
    assert ors["given"] == "Entered by the practitioner" and ors["language"] == "en"
    # The picture is drawn in the PDF, not only named.
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(archive.read("subject-access.pdf"))
    images = subprocess.run(["/usr/bin/pdfimages", "-list", str(pdf)], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    # One image (its transparency is a second, "smask", row of the same picture).
    assert [line.split()[2] for line in images] == ["image", "smask"]


def test_the_alerts_are_those_the_family_page_works_out_with_the_notes_made(world, client):
    subject, _ = seed(world)
    data = json.loads(download(client, world, subject).read("subject-access.json"))
    # Their last session rating was 9, 9, 9 and 4: 31 in all, under 36, and one part low.
    raised = {a["alert"]: a for a in data["alerts"]}
    assert {"low_session_total", "low_session_item"} <= set(raised)
    assert raised["low_session_total"]["note_made"] is True
    assert raised["low_session_item"]["note_made"] is False
    assert [n["note"] for n in data["alert_notes"]] == ["Rang the school nurse"]
    closed = next(p for p in data["periods_of_support"] if p["closed_on"])
    assert closed["closing_note"] == "Moved to Wrexham for a while"
    assert closed["closing_summary"]["first_rating"] == 12.0
    assert closed["closing_summary"]["sessions_attended"] == 1


def test_nothing_of_another_family_member_is_in_it_beyond_their_first_name(world, client,
                                                                            tmp_path):
    subject, _ = seed(world)
    sibling = Person.objects.get(last_name="Siblington")
    archive = download(client, world, subject)
    raw = archive.read("subject-access.json").decode()
    text = pdf_text(archive, tmp_path)
    for held in ("Siblington", "Sibling's private worry", "Only about the sibling",
                 sibling.date_of_birth.isoformat(), FeedbackLink.hash("a-token")):
        assert held not in raw and held not in text
    data = json.loads(raw)
    assert {"first_name": sibling.first_name} in data["family_members"]
    assert all(r["id"] in set(subject.administrations.values_list("pk", flat=True))
               for r in data["ratings"])


def test_the_trail_names_who_looked_at_their_records_and_not_at_a_sibling(world, client,
                                                                         tmp_path):
    subject, _ = seed(world)
    sibling = Person.objects.get(last_name="Siblington")
    client.force_login(world.practitioner)
    for person in (subject, sibling):
        assert client.get(reverse("edit_person", args=[person.pk])).status_code == 200
    assert client.get(reverse("family", args=[world.family.pk])).status_code == 200
    archive = download(client, world, subject)
    data = json.loads(archive.read("subject-access.json"))
    views = [e for e in data["audit_trail"] if e["action"] == "person.view"]
    assert [(e["who"], e["role"], e["record_id"]) for e in views] == [
        (world.practitioner.full_name, "Practitioner", subject.pk)]
    # The sessions they were at, and the family's page, are in it too.
    assert {"Session", "The family"} <= {e["record"] for e in data["audit_trail"]}
    text = pdf_text(archive, tmp_path)
    assert re.search(rf"{world.practitioner.full_name} Practitioner Looked at \(person\.view\)",
                     text)


def test_the_export_is_audited_with_counts_and_nothing_personal(world, client):
    subject, _ = seed(world)
    download(client, world, subject)
    entry = AuditEntry.objects.get(action="person.subject_access")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        world.administrator, "person", subject.pk)
    assert entry.changes == {"ratings": 4, "pictures": 1,
                             "audit_entries": entry.changes["audit_entries"]}
    assert all(isinstance(value, int) for value in entry.changes.values())


def test_the_page_says_what_will_be_downloaded_and_making_it_needs_the_button(world, client):
    subject, _ = seed(world)
    client.force_login(world.administrator)
    page = client.get(reverse("subject_access", args=[subject.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Everything we hold about Person1 Quillfeather" in body
    assert "subject-access.pdf" in body and "Download everything we hold" in body
    # Opening the page names the person, so it is a look; only the button makes an export.
    assert AuditEntry.objects.filter(action="person.view", actor=world.administrator).exists()
    assert not AuditEntry.objects.filter(action="person.subject_access").exists()


def test_the_familys_own_practitioner_is_refused_as_for_a_page_that_does_not_exist(world,
                                                                                  client):
    subject, _ = seed(world)
    client.force_login(world.practitioner)
    url = reverse("subject_access", args=[subject.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(world.administrator)
    assert client.post(reverse("subject_access", args=[999999])).status_code == 404
    assert not AuditEntry.objects.filter(action="person.subject_access").exists()


def test_every_key_of_the_json_is_documented(world):
    subject, _ = seed(world)
    data = json.loads(subject_access.as_json(subject_access.collect(subject)))
    keys = set(data)
    for value in data.values():
        rows = value if isinstance(value, list) else [value]
        for row in rows:
            if isinstance(row, dict):
                keys |= set(row)
                # An audit entry's changes are keyed by the fields of the record it is about.
                for inner in (v for k, v in row.items() if k != "changes"):
                    if isinstance(inner, dict):
                        keys |= set(inner)
                    elif isinstance(inner, list) and inner and isinstance(inner[0], dict):
                        keys |= set(inner[0])
    documented = set(re.findall(r"`([a-z_0-9]+)`", DOC.read_text()))
    assert sorted(keys - documented) == []
