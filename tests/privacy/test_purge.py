"""manage.py purge_expired: the report first, then the removal, with the dry run's counts the
real run's and a second run removing nothing; and the proof that nothing of a purged family is
left in any column of any table, in the media folder or (on SQLite) in the database's bytes,
while a family under a legal hold is untouched and the audit log keeps who did what and when.

Real commits throughout (transaction=True): the pictures go only after a commit, and
PostgreSQL's VACUUM runs only outside a transaction."""

import io
import sqlite3
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.sessions.models import Session as SignInSession
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import AuditEntry, RateCount
from familyfeedback.casework import actions
from familyfeedback.casework.models import (
    Administration,
    AlertAcknowledgement,
    Episode,
    Family,
    FeedbackLink,
    Person,
    Session,
)
from familyfeedback.casework.queries import family_records, trail_filter
from familyfeedback.evaluation.models import Trial, TrialPerson
from familyfeedback.lib import versions
from familyfeedback.lib.dates import months_after
from familyfeedback.privacy import purge
from familyfeedback.privacy.models import Tombstone
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]


def run(*args) -> str:
    out = io.StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def years_ago(years: int, days: int = 0):
    return months_after(timezone.localdate(), -12 * years) - timedelta(days=days)


def seed_family(world, *, name: str, words: dict[str, str], closed_years_ago: int) -> Family:
    """A family as the service builds one, through its own writes: opened, two people with
    their details, a session with ratings, a child's drawn face, a correction with its reason,
    an alert note, a self-completion link, a trial pseudonym, then support closed with a note.
    Each of `words` is put in one place, to be looked for after."""
    today = timezone.localdate()
    family = actions.open_family(
        world.practitioner, name=name, case_reference=words["case_reference"],
        team=world.team, key_worker=world.practitioner, opened_on=today - timedelta(days=90),
        people=[{"first_name": words["first_name"], "last_name": words["last_name"],
                 "date_of_birth": factories.born(34), "preferred_language": "en",
                 "reference": words["reference"]},
                {"first_name": "Sam", "last_name": words["last_name"],
                 "date_of_birth": factories.born(4), "preferred_language": "en"}])
    adult, child = family.people.order_by("date_of_birth")
    session = factories.session(world.practitioner, family, today - timedelta(days=60))
    Session.objects.filter(pk=session.pk).update(notes=words["session_notes"])
    rating = Administration.objects.get(session=session, person=adult, tool="ORS")
    actions.correct_administration(
        world.practitioner, rating, items=factories.lines(7, 5, 5, 5), face="",
        reason=words["correction_reason"], opened=versions.plain(
            {**rating.items(), "face": rating.face}))
    drawn = Administration.objects.get(session=session, person=child, tool="ORS")
    drawn.notes = words["rating_notes"]
    drawn.picture.save("face.png", ContentFile(factories.PNG + words["picture_text"].encode()))
    AlertAcknowledgement.objects.create(person=adult, code="low_session_total",
                                        fired_on=session.date, note=words["alert_note"],
                                        by=world.practitioner)
    FeedbackLink.objects.create(session=session, person=adult, tool="SRS",
                                token_hash=FeedbackLink.hash(uuid.uuid4().hex),
                                created_by=world.practitioner, created_at=timezone.now(),
                                expires_at=timezone.now())
    TrialPerson.objects.create(trial=Trial.objects.get_or_create(name="Ripple pilot")[0],
                               person=adult, code=words["trial_code"])
    for view in ("family.view", "person.view"):
        actions.log_view(world.practitioner, view, family if view == "family.view" else adult)
    # An import's update records the values it changed: the kind of entry the purge empties.
    audit.record(None, "family.import_update", family, {"name": ["Old", words["audit_value"]]})
    actions.close_support(world.practitioner, family, on=today - timedelta(days=30),
                          note=words["closing_note"])
    # Closed long ago: the whole history moved back.
    shift = today - timedelta(days=30) - years_ago(closed_years_ago, days=1)
    Episode.objects.filter(family=family).update(opened_on=today - timedelta(days=90) - shift,
                                                 closed_on=years_ago(closed_years_ago, days=1))
    Session.objects.filter(family=family).update(date=session.date - shift)
    return family


def entry_from_years_ago(years: int, actor, action: str, changes: dict,
                         about=("person", 0)) -> AuditEntry:
    """An entry written long ago (a service in use for years): inserted as it was then, its
    time the one given rather than now, and sealed into the chain as entries are."""
    entry = AuditEntry(at=timezone.now() - timedelta(days=366 * years), actor=actor,
                       action=action, object_type=about[0], object_id=about[1], changes=changes)
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    AuditEntry.objects._insert([entry], fields=fields, raw=True)  # raw: keeps `at` as given
    audit.seal()
    return AuditEntry.objects.filter(action=action, object_type=about[0],
                                     object_id=about[1]).latest("pk")


def words_for(tag: str) -> dict[str, str]:
    return {key: f"{tag}{key.replace('_', '').title()}Xq" for key in (
        "case_reference", "first_name", "last_name", "reference", "session_notes",
        "correction_reason", "rating_notes", "picture_text", "alert_note", "trial_code",
        "audit_value", "closing_note")}


def every_text_column():
    """(table, column) for every text, character and JSON column of every model's table,
    including the tables Django makes for many-to-many links; and a check that no table in the
    database is missed (django-axes', sessions' and the rest are models too)."""
    textual = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField",
               "GenericIPAddressField", "FileField", "UUIDField"}
    found, tables = [], set()
    for model in apps.get_models(include_auto_created=True):
        tables.add(model._meta.db_table)
        for field in model._meta.concrete_fields:
            if field.get_internal_type() in textual:
                found.append((model._meta.db_table, field.column))
    missing = set(connection.introspection.table_names()) - tables - {"django_migrations"}
    assert missing == set(), "a table no model describes"
    return found


def places_holding(text: str) -> list[str]:
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table, column in every_text_column():
            # Every value is a parameter; only the models' own table and column names are
            # interpolated.
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608
                           f"WHERE CAST({quote(column)} AS TEXT) LIKE %s", [f"%{text}%"])
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def test_the_dry_run_reports_what_the_real_run_removes_and_a_second_run_removes_nothing(
        world, settings):
    settings.RETAIN_PICTURES_MONTHS = 12
    expired = seed_family(world, name="Expired", words=words_for("Ex"), closed_years_ago=7)
    held = seed_family(world, name="Held", words=words_for("Hd"), closed_years_ago=7)
    Family.objects.filter(pk=held.pk).update(legal_hold_reason="Care proceedings",
                                             legal_hold_since=timezone.localdate())
    # Recent support, but a picture older than the pictures rule.
    recent = seed_family(world, name="Recent", words=words_for("Rc"), closed_years_ago=0)
    Session.objects.filter(family=recent).update(date=years_ago(2))
    Episode.objects.filter(family=recent).update(opened_on=years_ago(3))
    entry_from_years_ago(8, world.practitioner, "person.view", {"search": "Ashdown"})
    AccessAttempt.objects.create(username="x@example.test", ip_address="192.0.2.1",
                                 user_agent="test", failures_since_start=1)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(days=91))
    SignInSession.objects.create(session_key="k" * 32, session_data="",
                                 expire_date=timezone.now() - timedelta(hours=1))
    for ended in (True, False):  # an hour's window that has ended, and this minute's
        RateCount.objects.create(user=world.practitioner, kind="export" if ended else "search",
                                 window_start=timezone.now() - timedelta(hours=2 if ended else 0),
                                 used=3)
    Trial.objects.filter(name="Ripple pilot").update(retention_date=timezone.localdate())
    rows = {model: model.objects.count() for model in (Family, Person, Administration,
                                                        AccessAttempt, SignInSession,
                                                        TrialPerson)}

    dry = run("--dry-run")
    assert dry.endswith("Dry run: nothing was removed.\n")
    assert {model: model.objects.count() for model in rows} == rows
    assert not Tombstone.objects.exists()
    assert not AuditEntry.objects.filter(redacted_at__isnull=False).exists()

    real = run()
    report = dry.rsplit("Dry run", 1)[0]
    assert real.startswith(report), "the real run reports what the dry run did"
    reported = _counts(report)
    left = {}
    for tombstone in Tombstone.objects.all():
        key = (tombstone.rule, tombstone.record_type)
        left[key] = left.get(key, 0) + tombstone.count
    assert left == reported
    assert reported[("closed_family", "casework.Family")] == 1
    assert reported[("closed_family", "casework.Administration.picture")] == 1
    assert reported[("pictures", "casework.Administration.picture")] == 1  # the recent one's
    assert reported[("audit_values", "accounts.AuditEntry.changes")] == 1
    assert reported[("sign_in", "axes.AccessAttempt")] == 1
    assert reported[("session", "sessions.Session")] == 1
    assert reported[("rate_count", "accounts.RateCount")] == 1
    assert list(RateCount.objects.values_list("kind", flat=True)) == ["search"]
    # The trial's pseudonym of the expired family went with the family; the trial waits, whole,
    # because the held family has a member in it.
    assert not any(rule == "trial" for rule, _ in reported)
    assert "  kept: Ripple pilot is left for now: a family member in it is under a legal hold\n" \
        in report
    assert TrialPerson.objects.filter(person__family=held).count() == 1
    assert set(Family.objects.values_list("pk", flat=True)) == {
        world.family.pk, world.other_family.pk, held.pk, recent.pk}
    assert not Family.objects.filter(pk=expired.pk).exists()

    again = run()
    assert again.count("nothing due") == 7
    assert again.endswith("Nothing is due: nothing was removed.\n")
    assert sum(left.values()) == sum(t.count for t in Tombstone.objects.all())
    call_command("verify_audit", stdout=io.StringIO())  # the chain holds after the redactions


def _counts(report: str) -> dict[tuple[str, str], int]:
    counts, rule = {}, None
    for line in report.splitlines():
        if not line.startswith("  "):
            rule = line.split(":", 1)[0]
        elif line.strip() != "nothing due" and not line.startswith("  kept: "):
            count, record_type = line.split(maxsplit=1)
            counts[(rule, record_type)] = int(count.replace(",", ""))
    return counts


def test_nothing_of_a_purged_family_is_left_anywhere(world, settings):
    words = words_for("Qz")
    family = seed_family(world, name="Quorbflint family", words=words, closed_years_ago=7)
    kept_words = words_for("Kp")
    held = seed_family(world, name="Keptwell family", words=kept_words, closed_years_ago=7)
    Family.objects.filter(pk=held.pk).update(legal_hold_reason="Inquiry",
                                             legal_hold_since=timezone.localdate())
    trail = list(AuditEntry.objects.filter(trail_filter(family_records([family.pk])))
                 .order_by("pk").values_list("pk", "actor_id", "at", "action"))
    held_rows = _everything_of(held)
    held_trail = list(AuditEntry.objects.filter(trail_filter(family_records([held.pk])))
                      .order_by("pk").values_list("pk", "changes", "redacted_at"))
    media = Path(settings.MEDIA_ROOT)
    pictures_before = sorted(p.name for p in media.rglob("*") if p.is_file())
    assert len(pictures_before) == 2
    stored = [*(w for key, w in words.items() if key != "picture_text"), "Quorbflint"]
    for text in stored:
        assert places_holding(text), f"{text} was seeded"

    run()

    assert {text: places_holding(text) for text in stored} == {text: [] for text in stored}
    # The media folder holds the held family's picture only.
    kept_files = [p for p in media.rglob("*") if p.is_file()]
    assert len(kept_files) == 1
    assert kept_words["picture_text"].encode() in kept_files[0].read_bytes()
    # The audit entries remain: who, when and what was done, with no values.
    after = AuditEntry.objects.filter(pk__in=[pk for pk, *_ in trail]).order_by("pk")
    assert list(after.values_list("pk", "actor_id", "at", "action")) == trail
    assert all(entry.changes == {} and entry.redacted_at for entry in after)
    # The held family is as it was.
    assert _everything_of(held) == held_rows
    assert list(AuditEntry.objects.filter(trail_filter(family_records([held.pk])))
                .order_by("pk").values_list("pk", "changes", "redacted_at")) == held_trail
    if connection.vendor == "sqlite":
        _assert_not_in_the_files(words)


def _everything_of(family: Family) -> dict:
    records = family_records([family.pk])
    return {kind: sorted(ids) for kind, ids in records.items()} | {
        "values": list(Family.objects.filter(pk=family.pk).values()),
        "pictures": list(Administration.objects.filter(session__family=family)
                         .exclude(picture="").values_list("picture", "notes")),
        "items": list(Administration.objects.filter(session__family=family)
                      .values_list("item_1", flat=True)),
    }


def _assert_not_in_the_files(words: dict[str, str]) -> None:
    """The database file and its WAL, as bytes: the WAL first, as the command left it (it
    checkpoints and empties it), then the file once every page is back in it."""
    name = Path(connection.settings_dict["NAME"])
    wal = Path(f"{name}-wal")
    found = {}
    if wal.exists():
        data = wal.read_bytes()
        found["wal"] = [w for w in words.values() if w.encode() in data]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = name.read_bytes()
    found["file"] = [w for w in words.values() if w.encode() in data]
    assert found == {**({"wal": []} if wal.exists() else {}), "file": []}


def test_old_pictures_go_but_not_a_held_familys_and_a_family_never_supported_is_kept(
        world, settings):
    settings.RETAIN_PICTURES_MONTHS = 6
    media = Path(settings.MEDIA_ROOT)
    kept = seed_family(world, name="Held", words=words_for("Hp"), closed_years_ago=0)
    going = seed_family(world, name="Open", words=words_for("Op"), closed_years_ago=0)
    for family in (kept, going):
        Episode.objects.filter(family=family).update(opened_on=years_ago(2), closed_on=None)
        Session.objects.filter(family=family).update(date=years_ago(1))
    Family.objects.filter(pk=kept.pk).update(legal_hold_reason="Complaint")
    never = Family.objects.create(name="Never supported", case_reference="NS-1", team=world.team)
    rating = Administration.objects.exclude(picture="").get(session__family=going)

    output = run()

    assert "  1 casework.Administration.picture" in output
    rating.refresh_from_db()
    assert rating.picture.name == "" and rating.notes  # the picture, not the rating
    files = [p for p in media.rglob("*") if p.is_file()]
    assert [Administration.objects.filter(picture=f"pictures/{p.name}",
                                          session__family=kept).exists() for p in files] == [True]
    assert Family.objects.filter(pk__in=[never.pk, kept.pk, going.pk]).count() == 3
    assert AuditEntry.objects.filter(action="administration.picture_purge",
                                     object_id=rating.pk).exists()
    assert [(t.rule, t.removed_ids) for t in Tombstone.objects.all()] == [
        ("pictures", [rating.pk])]


def test_a_legal_hold_keeps_its_familys_old_audit_values_and_its_trial_until_lifted(world):
    held = seed_family(world, name="Held", words=words_for("Lh"), closed_years_ago=7)
    Family.objects.filter(pk=held.pk).update(legal_hold_reason="Care proceedings",
                                             legal_hold_since=timezone.localdate())
    adult = held.people.order_by("date_of_birth").first()
    about_held = entry_from_years_ago(8, world.practitioner, "person.update",
                                      {"first_name": ["Old", "LhOldNameXq"]},
                                      about=("person", adult.pk))
    about_nobody = entry_from_years_ago(8, world.practitioner, "person.view", {"search": "Xy"})
    trial = Trial.objects.get(name="Ripple pilot")
    Trial.objects.filter(pk=trial.pk).update(retention_date=timezone.localdate())

    output = run()

    about_held.refresh_from_db()
    about_nobody.refresh_from_db()
    assert (about_held.changes, about_held.redacted_at) == (
        {"first_name": ["Old", "LhOldNameXq"]}, None)
    assert about_nobody.changes == {} and about_nobody.redacted_at
    assert TrialPerson.objects.filter(person=adult).exists()
    assert not trial.erasures.exists()
    assert "  kept: Ripple pilot is left for now: a family member in it is under a legal hold" \
        in output
    assert not Tombstone.objects.filter(rule="trial").exists()

    Family.objects.filter(pk=held.pk).update(legal_hold_reason="", legal_hold_since=None)
    output = run()

    assert "kept:" not in output
    assert trial.erasures.exists()
    assert not Family.objects.filter(pk=held.pk).exists()
    about_held.refresh_from_db()
    assert about_held.changes == {} and about_held.redacted_at


def test_a_family_reopened_after_it_was_found_is_kept(world):
    family = seed_family(world, name="Reopened", words=words_for("Ro"), closed_years_ago=7)
    now = timezone.now()
    findings = purge.find(now)
    assert findings[0].targets == [family.pk]
    Episode.objects.create(family=family, opened_on=timezone.localdate())  # support again

    assert purge.remove(findings[0], now) == []

    assert Family.objects.filter(pk=family.pk).exists()
    assert not Tombstone.objects.exists()


def test_a_wal_still_being_read_is_said_in_the_report(world):
    if connection.vendor != "sqlite":  # PostgreSQL has no WAL of the database's own to empty
        assert "write-ahead log" not in run()
        return
    seed_family(world, name="Read", words=words_for("Wl"), closed_years_ago=7)
    reader = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM casework_family").fetchone()
        output = run()
    finally:
        reader.close()
    assert "The database's write-ahead log could not be emptied: something was reading it." \
        in output
    assert "write-ahead log" not in run()
