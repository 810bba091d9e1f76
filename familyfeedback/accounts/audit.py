"""The one way to write to the audit log, and the hash chain that shows it was not changed."""

import hashlib
import json
from contextlib import contextmanager
from datetime import UTC

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from familyfeedback.accounts.models import AuditEntry, AuditSeal, User


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
    _seal_after_commit()


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


def withheld(changes: dict, keys) -> dict:
    """A diff with the values of these keys recorded as "(changed)": the log says that a name
    or another identifying value changed, never the value (ADR 0006: the log is no second copy
    of personal data)."""
    return {key: ["(changed)", "(changed)"] if key in keys else value
            for key, value in changes.items()}


def _plain(value):
    return None if value is None else str(value)


# The hash chain ------------------------------------------------------------------------------
# An entry is inserted unsealed (no position, no hash) with the write it records, and sealed
# just after that transaction commits, in a short transaction of its own that holds the seal's
# lock: so the chain never waits on a long write, and entries join it in the order they
# committed. A seal takes every unsealed entry, so one whose process died before sealing joins
# the next.

_CHAIN_PURPOSE = "familyfeedback.accounts.audit.chain"
SEAL_ID = 1


def changes_digest(changes: dict) -> str:
    """SHA-256 of the changes as canonical JSON: the same values give the same digest, however
    the database hands the keys back."""
    canonical = json.dumps(changes, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def entry_hash(previous: str, entry: AuditEntry, digest: str) -> str:
    """HMAC over the entry and the hash before it, keyed by AUDIT_CHAIN_KEY (or a key derived
    from SECRET_KEY): a copy of the database alone cannot forge it."""
    message = json.dumps([
        previous, entry.position, entry.at.astimezone(UTC).isoformat(), entry.actor_id,
        entry.action, entry.object_type, entry.object_id, digest,
    ])
    return salted_hmac(_CHAIN_PURPOSE, message, secret=settings.AUDIT_CHAIN_KEY or None,
                       algorithm="sha256").hexdigest()


def seal() -> int:
    """Give every unsealed entry its place in the chain; how many were sealed. The one place
    entries are updated besides redact(), and on PostgreSQL past the trigger only because it
    sets nothing but the chain's fields of entries not yet sealed."""
    with _without_waiting_for_the_disc():
        end = AuditSeal.objects.select_for_update().filter(pk=SEAL_ID).first()
        if end is None:  # the first seal, or after a restore of a database without one
            end, _ = AuditSeal.objects.select_for_update().get_or_create(pk=SEAL_ID)
        pending = list(AuditEntry.objects.filter(position__isnull=True).order_by("id"))
        if not pending:
            return 0
        for entry in pending:
            end.position += 1
            entry.position = end.position
            entry.changes_digest = changes_digest(entry.changes)
            entry.entry_hash = entry_hash(end.entry_hash, entry, entry.changes_digest)
            end.entry_hash = entry.entry_hash
        _write_seals(pending)
        end.sealed_at = timezone.now()
        end.save()
    return len(pending)


def _write_seals(entries: list[AuditEntry]) -> None:
    """One UPDATE per entry, sent as one batch (executemany): Django's bulk_update builds a
    CASE over every entry in Python, which made sealing an import's thousands of entries take
    seconds. Through the cursor, past AuditQuerySet's refusal of updates."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    # The only interpolated name is the model's own table; every value is a parameter.
    sql = f"UPDATE {table} SET position = %s, changes_digest = %s, entry_hash = %s WHERE id = %s"  # nosec B608
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [(e.position, e.changes_digest, e.entry_hash, e.pk) for e in entries])


@contextmanager
def _without_waiting_for_the_disc():
    """Around a seal's own transaction: its commit need not wait for the disc. Lost in a crash,
    a seal is lost whole (the database's log is written in order), its entries are unsealed
    again and the next seal takes them. This saves a wait for the disc on every audited write
    (bench/audit.py). Inside a caller's transaction, that transaction's commit decides."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")  # this transaction only
            yield
    else:  # SQLite: a setting of the connection, put back after
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            (level,) = cursor.fetchone()
            cursor.execute("PRAGMA synchronous = NORMAL")
            try:
                with transaction.atomic():
                    yield
            finally:
                cursor.execute(f"PRAGMA synchronous = {int(level)}")


def _seal_after_commit() -> None:
    """Seal once the transaction commits (at once outside one), however many entries it wrote:
    one seal waiting in this transaction is enough. A failing seal never undoes the write it
    follows: the next seal, or verify_audit, takes those entries too."""
    waiting = transaction.get_connection().run_on_commit  # (savepoints, callback, robust)
    if not any(callback is seal for _, callback, _ in waiting):
        transaction.on_commit(seal, robust=True)


class Break(Exception):
    """Where the chain is broken, in a sentence."""


def verify() -> tuple[int, AuditSeal]:
    """Walk the chain from its first entry: (entries checked, the seal), or Break naming the
    first place it fails. Positions run on without a gap, each hash recomputes from the entry
    and the one before it, each unredacted entry's changes match its digest, and the last
    entry is the one the seal names."""
    end = AuditSeal.objects.filter(pk=SEAL_ID).first() or AuditSeal(position=0)
    previous, expected = "", 1
    for entry in AuditEntry.objects.filter(position__isnull=False).order_by("position").iterator(
            chunk_size=2000):
        if entry.position != expected:
            raise Break(_missing(expected, entry.position - 1))
        if entry_hash(previous, entry, entry.changes_digest) != entry.entry_hash:
            raise Break(f"Entry at position {entry.position:,} (id {entry.pk}) was changed, moved "
                        "or put in after it was sealed")
        if entry.redacted_at is None and changes_digest(entry.changes) != entry.changes_digest:
            raise Break(f"Entry at position {entry.position:,} (id {entry.pk}) was changed after "
                        "it was sealed: its changes are not the ones sealed")
        previous, expected = entry.entry_hash, expected + 1
    checked = expected - 1
    if checked < end.position:
        raise Break(_missing(checked + 1, end.position) + ": the seal ends at position "
                    f"{end.position:,}")
    if checked > end.position or previous != end.entry_hash:
        raise Break(f"The seal does not match the last entry (position {checked:,}): the seal "
                    "was changed, or entries were put in after it")
    return checked, end


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"The entry at position {first:,} is missing: it was removed after it was sealed"
    return (f"The entries at positions {first:,} to {last:,} are missing: they were removed "
            "after they were sealed")
