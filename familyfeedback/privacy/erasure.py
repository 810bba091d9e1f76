"""Removing families whole: every row that belongs to them, their pictures, and the personal
values inside the audit entries about them, leaving tombstones that say what went and why.

The purge (a retention rule's key) and an erasure from the administrators' page ("erasure") both
come here, so what "removed" means is written once. What would go is worked out by
`removal(ids)` from Django's own deletion collector, so a dry run counts exactly what the real
run removes, and a new model that cascades from a family is counted and tombstoned without a
change here.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import AuditEntry, User
from familyfeedback.casework.actions import touch_families
from familyfeedback.casework.models import Administration, Family, Person, Session
from familyfeedback.casework.queries import family_records, trail_filter
from familyfeedback.privacy.models import Tombstone

PICTURES = "casework.Administration.picture"
AUDIT_VALUES = "accounts.AuditEntry.changes"
ERASURE = "erasure"  # Tombstone.rule for an erasure done from the page

logger = logging.getLogger(__name__)


@dataclass
class Removal:
    """What removing some families takes: the ids of every row by model label, the picture
    files, and the audit entries whose values are emptied (those not emptied already)."""

    rows: dict[str, list[int]] = field(default_factory=dict)
    pictures: dict[int, str] = field(default_factory=dict)  # a rating's id: its file's name
    audit_entries: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many of each kind, by the record type a tombstone names, in a steady order."""
        found = {label: len(ids) for label, ids in sorted(self.rows.items()) if ids}
        if self.pictures:
            found[PICTURES] = len(self.pictures)
        if self.audit_entries:
            found[AUDIT_VALUES] = len(self.audit_entries)
        return found


def removal(family_ids) -> Removal:
    """What removing these families would take, changing nothing."""
    families = Family.objects.filter(pk__in=list(family_ids))
    collector = Collector(using=router.db_for_write(Family), origin=families)
    # Raises ProtectedError if a row elsewhere still needs one of theirs: nothing is removed.
    collector.collect(families)
    rows: dict[str, set[int]] = {}
    for model, instances in collector.data.items():
        rows.setdefault(model._meta.label, set()).update(i.pk for i in instances)
    for query in collector.fast_deletes:
        rows.setdefault(query.model._meta.label, set()).update(
            query.values_list("pk", flat=True))
    # The trail is read from the ids before anything goes: afterwards nothing links to them.
    records = family_records(families.values_list("pk", flat=True))
    trail = AuditEntry.objects.filter(trail_filter(records), redacted_at__isnull=True)
    pictures = (Administration.objects.filter(pk__in=records["administration"])
                .exclude(picture="").order_by("pk").values_list("pk", "picture"))
    return Removal(rows={label: sorted(ids) for label, ids in rows.items()},
                   pictures=dict(pictures),
                   audit_entries=list(trail.order_by("pk").values_list("pk", flat=True)))


def erase_families(families, *, rule: str, actor: User | None = None, reason: str = "",
                   still_due: Callable[[Family], bool] | None = None) -> list[Tombstone]:
    """Remove these families and everything of theirs in one transaction, empty the values in
    the audit entries about their records, and delete their picture files once that has
    committed (a rollback keeps the files its rows still name). Returns the tombstones, one per
    kind of record. `rule` is the retention rule's key, or ERASURE; `reason` is the
    administrator's note (a request's reference, never a name); `still_due(family)`, asked of
    each locked row, is the caller's reason for removing it, asked again.

    Raises ValidationError and removes nothing if, when the rows are locked, any of them is
    under a legal hold (code "legal_hold": a hold set after a page or the purge chose them
    wins) or no longer due ("not_due"), if a record elsewhere still needs one of theirs
    ("protected"), or if a row was added or changed meanwhile ("changed")."""
    ids = sorted({family.pk for family in families})
    if not ids:
        return []
    try:
        with transaction.atomic():
            return _erase_locked(ids, rule=rule, actor=actor, reason=reason,
                                 still_due=still_due)
    except IntegrityError:  # a row of theirs added or moved while they were being removed
        raise ValidationError("Something changed in these records while they were being "
                              "erased: nothing was removed. Try again", code="changed") from None


def _erase_locked(ids, *, rule, actor, reason, still_due) -> list[Tombstone]:
    locked = list(Family.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if held := [family for family in locked if family.legal_hold_reason]:
        raise ValidationError(
            f"{len(held)} of these families {'is' if len(held) == 1 else 'are'} under a "
            "legal hold: nothing was removed", code="legal_hold")
    if still_due is not None and not all(still_due(family) for family in locked):
        raise ValidationError("These records are no longer due for removal: nothing was removed",
                              code="not_due")
    # Their people and sessions locked too, before the removal is worked out: a session
    # recorded or a person added meanwhile waits, and is then found (or refused), not missed.
    family_ids = [family.pk for family in locked]
    for model in (Person, Session):
        list(model.objects.select_for_update().filter(family__in=family_ids)
             .values_list("pk", flat=True))
    try:
        plan = removal(family_ids)
    except (ProtectedError, RestrictedError) as blocked:
        needed = (blocked.protected_objects if isinstance(blocked, ProtectedError)
                  else blocked.restricted_objects)
        kinds = sorted({str(row._meta.verbose_name_plural) for row in needed})
        raise ValidationError(f"Records elsewhere still need these families' ({', '.join(kinds)})"
                              ": nothing was removed", code="protected") from None
    audit.redact(AuditEntry.objects.filter(pk__in=plan.audit_entries))
    touch_families(family_ids)
    Family.objects.filter(pk__in=family_ids).delete()
    # Deferred constraints checked now, so a row that appeared meanwhile refuses the removal
    # here rather than at the commit.
    connection.check_constraints(table_names=[apps.get_model(label)._meta.db_table
                                              for label in plan.rows])
    tombstones = Tombstone.objects.bulk_create([
        Tombstone(rule=rule, record_type=record_type, count=count,
                  removed_ids=_ids(plan, record_type), reason=reason, by=actor)
        for record_type, count in plan.counts().items()
    ])
    # Who removed them and when is itself on the record; what they held is not.
    audit.record_many(actor, [
        ("family.erase" if rule == ERASURE else "family.purge", family, {"rule": rule})
        for family in _as_removed(locked)])
    transaction.on_commit(lambda: delete_files(plan.pictures.values()), robust=True)
    return tombstones


def _ids(plan: Removal, record_type: str) -> list[int]:
    if record_type == PICTURES:  # the ratings whose picture went: file names are not kept
        return sorted(plan.pictures)
    if record_type == AUDIT_VALUES:
        return plan.audit_entries
    return plan.rows[record_type]


def _as_removed(families: list[Family]) -> list[models.Model]:
    """The families as the audit log names them: their ids survive the rows, nothing else."""
    return [Family(pk=family.pk) for family in families]


def delete_files(names) -> None:
    """Called after the commit that removed the rows naming these files. One that cannot be
    removed does not stop the rest; only how many are left is logged (their names are the
    storage's, but a count is all an operator needs to look in the media folder)."""
    left = 0
    for name in names:
        try:
            default_storage.delete(name)  # a file already gone is no error
        except OSError:
            left += 1
    if left:
        logger.error("%d picture file(s) of removed records could not be deleted", left)
