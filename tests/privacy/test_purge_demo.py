"""The issue's proof of the purge, on the demo service with a short retention: the dry run's
report counts what the real run removes, and afterwards no personal value of a purged family is
anywhere in the database or the media folder.

"A personal value" is read from the data dictionary, not from the purge: every text value of a
field it classes personal or special category, in every row of the purged families that the
audit log can name (casework.queries.family_records). The demo's names come from a short list,
so a value may also be in rows that stay (a first name in a kept family): each value is counted
in those rows first, and afterwards the whole database must hold it no more often than that. In
the SQLite file's bytes, where an index holds a value again, the values only the purged
families held are looked for."""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework.models import Administration, Family
from familyfeedback.casework.queries import family_records, trail_filter
from familyfeedback.privacy import dictionary
from familyfeedback.privacy.models import Tombstone

pytestmark = pytest.mark.django_db(transaction=True)

KINDS = {"family": "casework.Family", "episode": "casework.Episode",
         "person": "casework.Person", "session": "casework.Session",
         "administration": "casework.Administration",
         "alertacknowledgement": "casework.AlertAcknowledgement",
         "feedbacklink": "casework.FeedbackLink"}
TEXT = {"CharField", "TextField", "JSONField", "EmailField", "FileField"}


def text_cells(skip: dict[str, set[int]]) -> list[str]:
    """Every text value in every table but the rows in `skip` (a model label: ids)."""
    cells = []
    for model in apps.get_models(include_auto_created=True):
        columns = [f.attname for f in model._meta.concrete_fields
                   if f.get_internal_type() in TEXT]
        if not columns:
            continue
        left_out = skip.get(model._meta.label, set())
        for pk, *values in model.objects.values_list("pk", *columns).iterator():
            if pk not in left_out:
                cells += [str(value) for value in values if value not in (None, "")]
    return cells


def personal_values(records: dict[str, list[int]]) -> set[str]:
    values = set()
    for kind, ids in records.items():
        label = KINDS[kind]
        model = apps.get_model(label)
        classes = dictionary.DICTIONARY[label].classes
        names = [f.attname for f in model._meta.concrete_fields
                 if f.get_internal_type() in TEXT
                 and classes[f.name] in (dictionary.PERSONAL, dictionary.SPECIAL)]
        for row in model.objects.filter(pk__in=ids).values_list(*names):
            values |= {str(value) for value in row if value not in (None, "", {}, [])}
    return values


def test_purging_the_demo_leaves_nothing_of_its_expired_families(settings, media_root, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-for-tests")
    call_command("load_demo", stdout=io.StringIO())
    settings.RETAIN_CLOSED_FAMILY_YEARS = 0  # any support closed before today has expired
    closed = list(Family.objects.exclude(episodes__closed_on__isnull=True)
                  .filter(episodes__isnull=False).distinct().order_by("pk"))
    assert len(closed) >= 10, "the demo has families whose support closed"
    held, expired = closed[0], closed[1:]
    Family.objects.filter(pk=held.pk).update(legal_hold_reason="Care proceedings")
    # A child's drawn face in one expired family, so the media folder has something to lose.
    drawn = Administration.objects.filter(session__family=expired[0]).first()
    drawn.picture.save("face.png", ContentFile(b"\x89PNG drawn by a child"))
    ids = [family.pk for family in expired]
    records = family_records(ids)
    trail = set(AuditEntry.objects.filter(trail_filter(records)).values_list("pk", flat=True))
    kept = "\n".join(text_cells({**{KINDS[kind]: set(pks) for kind, pks in records.items()},
                                  "accounts.AuditEntry": trail}))
    before = "\n".join(text_cells({}))
    # How often each value is in the rows that stay; the purged rows hold it more often.
    looked_for = {value: kept.count(value) for value in personal_values(records)
                  if len(value) >= 3}
    assert len(looked_for) >= 100, "the expired families' names, references and notes"
    assert [value for value, times in looked_for.items() if before.count(value) <= times] == []

    dry = io.StringIO()
    call_command("purge_expired", "--dry-run", stdout=dry)
    assert Family.objects.filter(pk__in=ids).count() == len(ids)
    call_command("purge_expired", stdout=io.StringIO())

    reported = {}
    rule = None
    for line in dry.getvalue().splitlines():
        if line and not line.startswith("  "):
            rule = line.split(":", 1)[0]
        elif line.strip() and line.strip() != "nothing due":
            count, record_type = line.split(maxsplit=1)
            reported[(rule, record_type)] = int(count.replace(",", ""))
    removed = {}
    for tombstone in Tombstone.objects.all():
        key = (tombstone.rule, tombstone.record_type)
        removed[key] = removed.get(key, 0) + tombstone.count
    assert removed == reported
    assert reported[("closed_family", "casework.Family")] == len(ids)

    after = "\n".join(text_cells({}))
    assert sorted(value for value, times in looked_for.items() if after.count(value) > times) == []
    assert [p.name for p in media_root.rglob("*") if p.is_file()] == []
    assert Family.objects.filter(pk=held.pk).exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = Path(connection.settings_dict["NAME"]).read_bytes()
        assert sorted(value for value, times in looked_for.items()
                      if not times and value.encode() in data) == []
