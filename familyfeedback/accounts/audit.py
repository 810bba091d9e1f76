"""The one way to write to the audit log."""

from django.db import models
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry, User


def record(actor: User | None, action: str, obj: models.Model | None,
           changes: dict | None = None) -> None:
    """obj is None for an event about no record of ours, such as a refused sign-in."""
    record_many(actor, [(action, obj, changes)])


def record_many(actor: User | None,
                entries: list[tuple[str, models.Model | None, dict | None]]) -> None:
    """Several entries in one INSERT: a session with a family's eight ratings is one write."""
    AuditEntry.objects.bulk_create([
        AuditEntry(actor=actor, action=action,
                   object_type=obj._meta.model_name if obj is not None else "",
                   object_id=obj.pk if obj is not None else None, changes=changes or {})
        for action, obj, changes in entries
    ])


def redact(entries: models.QuerySet) -> int:
    """Empty the values inside these entries (privacy.purge, when the records they are about
    are removed): the one change an entry ever takes. Who did what, when, to which row, stays."""
    return models.QuerySet.update(entries.filter(redacted_at__isnull=True),
                                  changes={}, redacted_at=timezone.now())


def diff(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for the fields whose value changed, as strings for JSON."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _plain(value):
    return None if value is None else str(value)
