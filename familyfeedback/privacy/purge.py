"""The retention rules applied (manage.py purge_expired): first what each rule finds, then its
removal, so the report and the run are one list.

Each rule is found once, with what earlier rules will already remove left out (a purged family's
pictures and audit entries are counted under closed_family, not again), so a dry run's counts are
the real run's. Each removal is its own transaction (a family's, or a rule's), re-checked under
lock: a crash leaves whole families and whole rules done or not, and the next night's run finds
what is left. A second run finds nothing. What the files keep afterwards: vacuum().
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session as SignInSession
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import AuditEntry, RateCount
from familyfeedback.accounts.rate_limits import LIMITS
from familyfeedback.casework.models import Administration, Episode, Family
from familyfeedback.casework.queries import family_records, trail_filter
from familyfeedback.evaluation import actions as evaluation_actions
from familyfeedback.evaluation import queries as evaluation_queries
from familyfeedback.evaluation.models import TrialPerson
from familyfeedback.lib.dates import months_after
from familyfeedback.privacy import erasure
from familyfeedback.privacy.models import Tombstone
from familyfeedback.privacy.retention import RULES, Rule

SIGN_IN_RECORDS = (AccessAttempt, AccessFailureLog, AccessLog)


@dataclass
class Finding:
    """What one rule would remove: how many of each record type (a tombstone's names), and the
    targets its removal acts on."""

    rule: Rule
    counts: dict[str, int]
    targets: list = field(default_factory=list)
    remove: Callable[["Finding", datetime], list[Tombstone]] | None = None
    kept: list[str] = field(default_factory=list)  # what the rule would take but leaves, and why

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def find(now: datetime) -> list[Finding]:
    """Every rule's finding, in the order they are removed."""
    today = timezone.localdate(now)
    families = _expired_families(today)
    planned = erasure.removal(families)
    pictures = _old_pictures(today, families)
    entries = _old_audit_entries(now, planned.audit_entries)
    sign_ins = {model: list(model.objects.filter(attempt_time__lt=now - timedelta(
        days=settings.RETAIN_SIGN_IN_DAYS)).values_list("pk", flat=True))
        for model in SIGN_IN_RECORDS}
    sessions = list(SignInSession.objects.filter(expire_date__lt=now)
                    .values_list("session_key", flat=True))
    trials, held_trials = _trials_without_holds(evaluation_queries.trials_due_for_erasure(today))
    ended = list(RateCount.objects.filter(
        window_start__lt=now - max(limit.window for limit in LIMITS.values()))
        .values_list("pk", flat=True))
    return [
        Finding(RULES["closed_family"], planned.counts(), families, _remove_families),
        Finding(RULES["pictures"], _counted("casework.Administration.picture", pictures),
                pictures, _remove_pictures),
        Finding(RULES["audit_values"], _counted(erasure.AUDIT_VALUES, entries), entries,
                _redact_entries),
        Finding(RULES["sign_in"], {model._meta.label: len(ids) for model, ids in sign_ins.items()
                                   if ids}, list(sign_ins.items()), _remove_rows),
        Finding(RULES["session"], _counted("sessions.Session", sessions), sessions,
                _remove_sessions),
        Finding(RULES["trial"],
                _trial_counts(trials, planned.rows.get(TrialPerson._meta.label, [])),
                [trial for trial, _ in trials], _erase_trials,
                [f"{trial.name} is left for now: a family member in it is under a legal hold"
                 for trial in held_trials]),
        Finding(RULES["rate_count"], _counted("accounts.RateCount", ended), [(RateCount, ended)],
                _remove_rows),
    ]


def remove(finding: Finding, now: datetime) -> list[Tombstone]:
    """Carry out one rule's finding; the tombstones it left (none when it found nothing)."""
    if not finding.targets:
        return []
    return finding.remove(finding, now)


def vacuum(findings: list[Finding]) -> str | None:
    """After a real run, outside any transaction: make the removed rows' bytes go from the
    database's files, as far as each database allows; a line for the report when it could not
    finish. SQLite zeroes a row as it deletes it (secure_delete, settings), but the WAL holds
    the pages as they were until it is checkpointed, so it is checkpointed and cut to nothing;
    a reader still open (a backup, a page being drawn) leaves it busy, and the next night's run
    finishes it. PostgreSQL keeps a removed row's old version in its table until VACUUM, which
    frees its space for reuse: the bytes stay on disc until PostgreSQL writes over them (VACUUM
    FULL, which locks the table, rewrites it without them: docs/deployment.md)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in _tables(findings):
                cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _, _ = cursor.fetchone()
            if busy:
                return ("The database's write-ahead log could not be emptied: something was "
                        "reading it. It still holds removed values until the next run empties it.")
    return None


def _tables(findings: list[Finding]) -> list[str]:
    """The tables the findings removed rows from or changed rows in, from their record types."""
    tables = set()
    for finding in findings:
        for record_type in finding.counts:  # "casework.Person", "casework.Administration.picture"
            try:
                model = apps.get_model(".".join(record_type.split(".")[:2]))
            except (LookupError, ValueError):  # a trial's kinds, named in words
                continue
            tables.add(model._meta.db_table)
            tables.update(f.remote_field.through._meta.db_table
                          for f in model._meta.many_to_many)
    if any(f.rule.key == "trial" and f.targets for f in findings):
        tables.update(m._meta.db_table for m in apps.get_app_config("evaluation").get_models())
    return sorted(tables)


def _counted(record_type: str, ids: list) -> dict[str, int]:
    return {record_type: len(ids)} if ids else {}


# closed_family -------------------------------------------------------------------------------

def _expired_families(today: date) -> list[int]:
    """Families whose support is all closed, the last closing more than the retention ago, not
    under a legal hold. A family with no period of support at all is kept: it has no closing to
    count from (a family is opened with one, so this is a record added by hand or half-imported),
    and guessing a date would remove a family nobody chose to remove; erasure from the page is
    the way for one that should go."""
    return list(_expired(today).order_by("pk").values_list("pk", flat=True))


def _expired(today: date):
    cutoff = months_after(today, -12 * settings.RETAIN_CLOSED_FAMILY_YEARS)
    open_support = Episode.objects.filter(family=models.OuterRef("pk"), closed_on__isnull=True)
    return (Family.objects.filter(legal_hold_reason="")
            .annotate(last_closed=Max("episodes__closed_on"))
            .filter(last_closed__lt=cutoff).exclude(models.Exists(open_support)))


def _remove_families(finding: Finding, now: datetime) -> list[Tombstone]:
    today = timezone.localdate(now)
    left = []
    for family_id in finding.targets:  # one transaction each: a crash loses no family half-done
        try:
            left += erasure.erase_families(
                Family.objects.filter(pk=family_id), rule=finding.rule.key,
                still_due=lambda family: _expired(today).filter(pk=family.pk).exists())
        except ValidationError:  # held, reopened or changed since it was found: kept tonight
            continue
    return left


# pictures ------------------------------------------------------------------------------------

def _pictures_due(today: date):
    if not settings.RETAIN_PICTURES_MONTHS:
        return Administration.objects.none()
    return (Administration.objects.exclude(picture="")
            .filter(session__date__lt=months_after(today, -settings.RETAIN_PICTURES_MONTHS),
                    session__family__legal_hold_reason=""))


def _old_pictures(today: date, purged_families: list[int]) -> list[int]:
    return list(_pictures_due(today).exclude(session__family__in=purged_families)
                .order_by("pk").values_list("pk", flat=True))


def _remove_pictures(finding: Finding, now: datetime) -> list[Tombstone]:
    with transaction.atomic():
        # Locked and checked again: a hold set, or a picture removed, since it was found.
        due = list(_pictures_due(timezone.localdate(now)).select_for_update()
                   .filter(pk__in=finding.targets).order_by("pk"))
        if not due:
            return []
        names = [rating.picture.name for rating in due]
        Administration.objects.filter(pk__in=[r.pk for r in due]).update(picture="")
        audit.record_many(None, [("administration.picture_purge", rating,
                                  {"rule": finding.rule.key}) for rating in due])
        tombstone = Tombstone.objects.create(
            rule=finding.rule.key, record_type=erasure.PICTURES, count=len(due),
            removed_ids=[rating.pk for rating in due])
        transaction.on_commit(lambda: erasure.delete_files(names), robust=True)
    return [tombstone]


# audit_values --------------------------------------------------------------------------------

def _held_families():
    return Family.objects.exclude(legal_hold_reason="")


def _unheld(entries):
    """Less the entries about a held family's records: a hold keeps its trail as it is."""
    held = list(_held_families().values_list("pk", flat=True))
    return entries.exclude(trail_filter(family_records(held))) if held else entries


def _old_audit_entries(now: datetime, redacted_with_families: list[int]) -> list[int]:
    cutoff = months_after(timezone.localdate(now), -12 * settings.RETAIN_AUDIT_VALUES_YEARS)
    # An entry whose values are already empty has nothing to redact: only the mark would
    # change, and the report would count it every night.
    return list(_unheld(AuditEntry.objects.filter(at__date__lt=cutoff, redacted_at__isnull=True)
                        .exclude(changes={}).exclude(pk__in=redacted_with_families))
                .order_by("pk").values_list("pk", flat=True))


def _redact_entries(finding: Finding, now: datetime) -> list[Tombstone]:
    with transaction.atomic():
        # Held families locked and read again: a hold set since the entries were found wins.
        list(_held_families().select_for_update().values_list("pk", flat=True))
        entries = _unheld(AuditEntry.objects.filter(pk__in=finding.targets,
                                                    redacted_at__isnull=True))
        ids = list(entries.order_by("pk").values_list("pk", flat=True))
        audit.redact(AuditEntry.objects.filter(pk__in=ids))
        return _tombstones(finding, [(erasure.AUDIT_VALUES, ids)])


# sign_in, session, trial, rate_count --------------------------------------------------------------

def _remove_rows(finding: Finding, now: datetime) -> list[Tombstone]:
    with transaction.atomic():
        removed = []
        for model, ids in finding.targets:
            gone = list(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
            model.objects.filter(pk__in=gone).delete()
            removed.append((model._meta.label, gone))
        return _tombstones(finding, removed)


def _remove_sessions(finding: Finding, now: datetime) -> list[Tombstone]:
    with transaction.atomic():
        # A session's key is its holder's credential: the tombstone counts them, naming none.
        count, _ = SignInSession.objects.filter(session_key__in=finding.targets,
                                                expire_date__lt=now).delete()
        return ([Tombstone.objects.create(rule=finding.rule.key,
                                          record_type="sessions.Session", count=count)]
                if count else [])


def _trials_without_holds(trials) -> tuple[list, list]:
    """The trials due, split into those to erase and those holding a pseudonym of a member of a
    held family. Evaluation's erasure takes a trial's research data whole (a partial one would
    be marked erased and never finished), so such a trial waits, whole, until the hold is
    lifted, and the report says so."""
    held = set(TrialPerson.objects.filter(person__family__in=_held_families())
               .values_list("trial_id", flat=True))
    return ([(trial, due) for trial, due in trials if trial.pk not in held],
            [trial for trial, _ in trials if trial.pk in held])


def _trial_counts(trials, purged_pseudonyms: list[int]) -> dict[str, int]:
    """What evaluation's erasure will count, less the family members' pseudonyms that go
    with their families first (closed_family, which counts them)."""
    counts: dict[str, int] = {}
    for trial, _ in trials:
        found = evaluation_queries.research_data_counts(trial)
        found["family members"] -= trial.people.filter(pk__in=purged_pseudonyms).count()
        for kind, n in found.items():
            counts[f"evaluation: {kind}"] = counts.get(f"evaluation: {kind}", 0) + n
    return {kind: n for kind, n in counts.items() if n}


def _erase_trials(finding: Finding, now: datetime) -> list[Tombstone]:
    left = []
    for trial in finding.targets:  # evaluation's own erasure, one transaction a trial
        try:
            with transaction.atomic():
                # Held families locked: a hold set on a member's family since it was found wins.
                if TrialPerson.objects.filter(
                        trial=trial, person__family__in=list(
                            _held_families().select_for_update().values_list("pk", flat=True))
                        ).exists():
                    continue
                record = evaluation_actions.erase_research_data(None, trial,
                                                                timezone.localdate(now))
        except ValidationError:  # erased, or its date moved, since it was found
            continue
        left += Tombstone.objects.bulk_create([
            # The trial itself stays, with evaluation's own record of the erasure.
            Tombstone(rule=finding.rule.key, record_type=f"evaluation: {kind}", count=n)
            for kind, n in record.counts.items() if n])
    return left


def _tombstones(finding: Finding, removed: list[tuple[str, list]]) -> list[Tombstone]:
    return Tombstone.objects.bulk_create([
        Tombstone(rule=finding.rule.key, record_type=record_type, count=len(ids),
                  removed_ids=ids) for record_type, ids in removed if ids])

