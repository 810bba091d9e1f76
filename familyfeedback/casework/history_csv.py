"""Importing earlier ORS/SRS records exported from the council's case system
(`manage.py import_history`).

The whole file is checked against the database before anything is written, and every problem is
listed as `file:line: column: what is wrong`, so a data team fixes a file in one pass; a file with
any problem imports nothing. Importing the same file again adds nothing: a record is skipped when
the person already has one of that tool on that date.

Messages name lines and columns but never repeat names, dates of birth, case or person references
or emails: command output ends up in cron mail and logs.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.db.models.functions import Lower

from familyfeedback import measures
from familyfeedback.accounts import audit
from familyfeedback.accounts.models import Membership, User
from familyfeedback.casework import alerts
from familyfeedback.casework.actions import score_snapshot, touch
from familyfeedback.casework.administrations_csv import ITEMS, STATUSES
from familyfeedback.casework.models import (
    Administration,
    Episode,
    Family,
    NotAdministeredReason,
    Person,
    Session,
)
from familyfeedback.casework.queries import families_by_reference
from familyfeedback.lib.csvfiles import Problem, records
from familyfeedback.lib.csvrules import Cells
from familyfeedback.lib.tally import Tally

COLUMNS = ("case_reference", "person_reference", "date_of_birth", "practitioner_email", "date",
           "measure", *ITEMS, "status", "reason")
MEASURE_CODES = ("ORS", "CORS", "YCORS", "SRS", "CSRS", "YCSRS")
# The stored value or the label people see on the pages, in any case.
REASONS = {
    **{label.lower(): value for value, label in NotAdministeredReason.choices},
    **{value: value for value in NotAdministeredReason.values},
}
REASON_CODES = ", ".join(NotAdministeredReason.values)
TOOL_WORDS = {"ORS": "outcome rating", "SRS": "session rating"}


@dataclass(frozen=True)
class Row:
    line: int
    family: Family
    person: Person
    practitioner: User
    on: date
    measure: measures.Measure
    status: str
    items: dict[str, Decimal]
    reason: str

    @property
    def tool(self) -> str:
        return self.measure.tool


@dataclass
class Outcome(Tally):
    """What an import did (or, for a dry run, would do): records imported and already there,
    sessions they go into (and of those, new), and families."""

    KINDS = frozenset({"imported", "already_there", "sessions", "new_sessions", "families"})
    problems: list[Problem] = field(default_factory=list)
    # family pk -> (old opened_on, new opened_on) of its first episode.
    extended: dict[int, tuple[date, date]] = field(default_factory=dict)


def import_history(lines: Iterable[str], *, today: date, actor: User | None = None,
                   dry_run: bool = False, names: dict[str, str] | None = None) -> Outcome:
    """Check the whole file and, if it is good and this is not a dry run, import it in one
    transaction. actor None means the system (the audit log shows no person). names: the
    export's headers for our columns (lib/csvcolumns.py)."""
    with transaction.atomic():
        rows, problems = read(lines, today=today, lock=not dry_run, names=names)
        if problems:
            return Outcome(problems=problems)
        outcome, plan = _plan(rows)
        if not dry_run:
            _write(plan, actor)
    return outcome


def read(lines: Iterable[str], *, today: date, lock: bool = False,
         names: dict[str, str] | None = None) -> tuple[list[Row], list[Problem]]:
    """Every good row and every problem. A row with any problem is not among the rows. With
    lock, the families named are locked (call inside a transaction) so that support cannot be
    closed or reopened between the check and the import."""
    problems: list[Problem] = []
    values = list(records(lines, COLUMNS, problems, names=names))
    known = _Known.load([value for _, value in values], lock=lock)
    rows: list[Row] = []
    seen: dict[tuple, int] = {}
    for line, value in values:
        row, found = _row(value, line, today, known)
        key = _duplicate_key(value)
        if key is not None:
            if key in seen:
                found.append(Problem(
                    line, "measure", f"line {seen[key]} already gives this person's "
                                     f"{TOOL_WORDS[key[-1]]} on {key[2].isoformat()}"))
            else:
                seen[key] = line
        if found:
            problems.extend(found)
        else:
            rows.append(row)
    return rows, sorted(problems, key=lambda p: p.line)


@dataclass
class _Known:
    """What the file refers to, fetched in a few queries rather than a few per row."""

    families: dict[str, Family]
    people: dict[tuple[int, str], Person]
    users: dict[str, User]
    teams_of: dict[int, set[int]]

    @classmethod
    def load(cls, values: list[dict], *, lock: bool) -> _Known:
        by_reference = families_by_reference({v["case_reference"] for v in values}, lock=lock)
        prefetch_related_objects(list(by_reference.values()), "episodes")
        people = Person.objects.filter(
            family__in=list(by_reference.values()),
            reference__in={v["person_reference"] for v in values} - {""})
        emails = {v["practitioner_email"].lower() for v in values} - {""}
        users = {u.email_lower: u for u in User.objects.annotate(email_lower=Lower("email"))
                 .filter(email_lower__in=emails)}
        teams_of: dict[int, set[int]] = defaultdict(set)
        for user_id, team_id in Membership.objects.current().filter(
                user__in=list(users.values())).values_list("user_id", "team_id"):
            teams_of[user_id].add(team_id)
        return cls(families=by_reference,
                   people={(p.family_id, p.reference): p for p in people},
                   users=users, teams_of=teams_of)


def _row(value: dict, line: int, today: date, known: _Known) -> tuple[Row | None, list[Problem]]:
    cells = Cells(line, value)
    family = _family(cells, known)
    person = _person(cells, known, family)
    _date_of_birth(cells, person)
    practitioner = _practitioner(cells, known, family)
    on = _on(cells, today, family, person)
    measure = _measure(cells, person, on)
    status = cells.one_of("status", STATUSES, fold=str.lower,
                          message="must be completed or not_administered")
    items = _items(cells, measure, status)
    reason = _reason(cells, status)
    if not cells.ok:
        return None, cells.problems
    return Row(line=line, family=family, person=person, practitioner=practitioner, on=on,
               measure=measure, status=status, items=items, reason=reason), []


# One rule per column, in the file's order; a column whose check needs another's value (the
# person's family, the date the person was that age) is given what was found for it, or None.

def _family(cells: Cells, known: _Known) -> Family | None:
    if not cells.filled("case_reference"):
        return None
    family = known.families.get(cells.values["case_reference"].lower())
    if family is None:
        cells.problem("case_reference", "no family has this case reference")
    return family


def _person(cells: Cells, known: _Known, family: Family | None) -> Person | None:
    if not cells.filled("person_reference") or family is None:
        return None
    person = known.people.get((family.pk, cells.values["person_reference"]))
    if person is None:
        cells.problem("person_reference", "no one in this family has this person reference")
    return person


def _date_of_birth(cells: Cells, person: Person | None) -> None:
    if not cells.filled("date_of_birth"):
        return
    born = _date(cells.values["date_of_birth"])
    if born is None:
        # The value itself is not repeated: it is a date of birth.
        cells.problem("date_of_birth", "is not a date like 2015-06-30")
    elif person is not None and born != person.date_of_birth:
        cells.problem("date_of_birth", "does not match the date of birth recorded for this "
                                       "person")


def _practitioner(cells: Cells, known: _Known, family: Family | None) -> User | None:
    if not cells.filled("practitioner_email"):
        return None
    practitioner = known.users.get(cells.values["practitioner_email"].lower())
    if practitioner is None:
        cells.problem("practitioner_email", "no user has this email address")
    elif not practitioner.is_active:
        cells.problem("practitioner_email", "this user's account is not active")
    elif family is not None and family.team_id not in known.teams_of[practitioner.pk]:
        cells.problem("practitioner_email", "this user is not a member or manager of the "
                                            "family's team")
    return practitioner


def _on(cells: Cells, today: date, family: Family | None, person: Person | None) -> date | None:
    """The date, or None when it is not one the person's record could have had."""
    on = cells.date("date")
    if on is None:
        return None
    if on > today:
        cells.problem("date", f"{on.isoformat()} is in the future")
        return None
    if person is not None and on < person.date_of_birth:
        cells.problem("date", f"{on.isoformat()} is before the person was born")
        return None
    if family is not None:
        closed = _outside_support(family, on)
        if closed:
            cells.problem("date", closed)
    return on


def _measure(cells: Cells, person: Person | None, on: date | None) -> measures.Measure | None:
    code = cells.one_of("measure", MEASURE_CODES, fold=str.upper,
                        message=f"{cells.values['measure'] or 'blank'} is not one of "
                                f"{', '.join(MEASURE_CODES)}")
    if code not in MEASURE_CODES:
        return None
    measure = measures.get(code)
    if person is not None and on is not None:
        wrong = measures.wrong_form(measure.tool, measure.code, person.date_of_birth, on)
        if wrong:
            cells.problem("measure", f"the person was {wrong.age} on {on.isoformat()}, so the "
                                     f"{wrong.right.code} is the right form, not the "
                                     f"{wrong.given}")
    return measure


def _items(cells: Cells, measure: measures.Measure | None, status: str) -> dict[str, Decimal]:
    given = [c for c in ITEMS if cells.values[c]]
    if measure is not None and status == "completed":
        if measure.is_faces:
            for column in given:
                cells.problem(column, f"must be blank: the {measure.code} is a faces form, "
                                      "which has no item scores")
        else:
            try:
                return measures.validate_items(measure, {c: cells.values[c] for c in ITEMS})
            except measures.ScoreError as error:
                for column, message in error.errors.items():
                    cells.problem(column, message)
    elif status == "not_administered":
        for column in given:
            cells.problem(column, "must be blank when the status is not_administered")
    return {}


def _reason(cells: Cells, status: str) -> str:
    given = cells.values["reason"]
    if status == "not_administered":
        if not given:
            cells.problem("reason", "give the reason it was not administered: one of "
                                    f"{REASON_CODES}")
            return ""
        reason = REASONS.get(given.lower(), "")
        if not reason:
            cells.problem("reason", f"{given} is not one of {REASON_CODES}")
        return reason
    if status == "completed" and given:
        cells.problem("reason", "must be blank when the status is completed")
    return ""


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _duplicate_key(value: dict) -> tuple | None:
    on = _date(value["date"])
    code = value["measure"].upper()
    if not (value["case_reference"] and value["person_reference"] and on
            and code in MEASURE_CODES):
        return None
    return (value["case_reference"], value["person_reference"], on, measures.get(code).tool)


def _outside_support(family: Family, on: date) -> str:
    """Why support was closed on this date, or "" when the date is fine.

    A date before the family's first episode is fine: the case system's history often starts
    before the family was opened here, and the import moves that episode's start back to it.
    """
    episodes = sorted(family.episodes.all(), key=lambda e: (e.opened_on, e.pk))
    if not episodes:
        return "this family has no period of support recorded"
    if on < episodes[0].opened_on:
        return ""
    for episode in episodes:
        if episode.opened_on <= on and (episode.closed_on is None or on <= episode.closed_on):
            return ""
    before = max((e for e in episodes if e.closed_on is not None and e.closed_on < on),
                 key=lambda e: e.closed_on)
    after = [e for e in episodes if e.opened_on > on]
    if after:
        return (f"{on.isoformat()} is between two periods of support: it closed on "
                f"{before.closed_on.isoformat()} and started again on "
                f"{after[0].opened_on.isoformat()}")
    return (f"{on.isoformat()} is after support for this family closed on "
            f"{before.closed_on.isoformat()}")


@dataclass
class _Plan:
    # (family pk, date, practitioner pk) -> the session to reuse (or None to make one), rows.
    groups: dict[tuple[int, date, int], tuple[Session | None, list[Row]]]
    # First episode whose start moves back -> the new start.
    extend: dict[Episode, date]


def _plan(rows: list[Row]) -> tuple[Outcome, _Plan]:
    people = {row.person.pk for row in rows}
    there = set(Administration.objects.filter(
        person__in=people, session__date__in={row.on for row in rows},
    ).values_list("person_id", "session__date", "tool"))
    new = [row for row in rows if (row.person.pk, row.on, row.tool) not in there]
    keys = {(row.family.pk, row.on, row.practitioner.pk) for row in new}
    sessions: dict[tuple[int, date, int], Session] = {}
    for session in Session.objects.filter(
            family__in={k[0] for k in keys}, date__in={k[1] for k in keys},
            practitioner__in={k[2] for k in keys}).order_by("-id"):
        # Ordered newest first so that the oldest of several same-day sessions wins.
        sessions[(session.family_id, session.date, session.practitioner_id)] = session
    groups: dict[tuple[int, date, int], tuple[Session | None, list[Row]]] = {}
    for row in new:
        key = (row.family.pk, row.on, row.practitioner.pk)
        groups.setdefault(key, (sessions.get(key), []))[1].append(row)

    extend: dict[Episode, date] = {}
    earliest: dict[int, date] = {}
    families: dict[int, Family] = {}
    for row in rows:
        families[row.family.pk] = row.family
        earliest[row.family.pk] = min(row.on, earliest.get(row.family.pk, row.on))
    for pk, on in earliest.items():
        first = min(families[pk].episodes.all(), key=lambda e: (e.opened_on, e.pk))
        if on < first.opened_on:
            extend[first] = on

    outcome = Outcome(
        Counter(imported=len(new), already_there=len(rows) - len(new), sessions=len(groups),
                new_sessions=sum(1 for session, _ in groups.values() if session is None),
                families=len({key[0] for key in groups})),
        extended={e.family_id: (e.opened_on, on) for e, on in extend.items()},
    )
    return outcome, _Plan(groups=groups, extend=extend)


def _write(plan: _Plan, actor: User | None) -> None:
    entries: list[tuple[str, object, dict]] = []
    for episode, on in plan.extend.items():
        entries.append(("episode.extend", episode, {
            "opened_on": [episode.opened_on.isoformat(), on.isoformat()],
            "reason": "history imported from the case system starts earlier",
        }))
        episode.opened_on = on
        episode.save(update_fields=["opened_on"])

    made = Session.objects.bulk_create([
        Session(family_id=family_id, date=on, practitioner_id=practitioner_id,
                kind=Session.Kind.HOME_VISIT, imported=True, submission_token=uuid.uuid4())
        for (family_id, on, practitioner_id), (session, _) in plan.groups.items()
        if session is None
    ])
    made_by_key = {(s.family_id, s.date, s.practitioner_id): s for s in made}
    present = Session.present.through
    already_present = set(present.objects.filter(
        session__in=[s for s, _ in plan.groups.values() if s is not None],
    ).values_list("session_id", "person_id"))
    links = []
    administrations = []
    for key, (session, rows) in plan.groups.items():
        created = session is None
        session = session or made_by_key[key]
        people = sorted({row.person.pk for row in rows})
        added = [pk for pk in people if (session.pk, pk) not in already_present]
        links.extend(present(session_id=session.pk, person_id=pk) for pk in added)
        if created:
            entries.append(("history.import", session, {
                "date": session.date.isoformat(), "kind": session.kind, "present": people,
            }))
        elif added:
            # A reused session gains people only so each imported record is of someone present.
            entries.append(("history.import", session, {"added_present": added}))
        for row in rows:
            administrations.append(Administration(
                session=session, person=row.person, tool=row.tool, measure=row.measure.code,
                status=row.status, reason=row.reason,
                age=measures.age_on(row.person.date_of_birth, row.on),
                total=measures.total(row.measure, row.items) if row.items else None,
                **row.items,
            ))
    present.objects.bulk_create(links)
    Administration.objects.bulk_create(administrations)
    alerts.store({family_id for family_id, _, _ in plan.groups}
                 | {episode.family_id for episode in plan.extend})
    touch(on for _, on, _ in plan.groups)
    entries.extend(("administration.create", a, score_snapshot(a)) for a in administrations)
    audit.record_many(actor, entries)
