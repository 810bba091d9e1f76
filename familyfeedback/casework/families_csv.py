"""Opening a service's families from the council's case system (`manage.py import_families`):
one row per person, the family's own columns repeated on each of its rows.

As `import_history` does, the whole file is checked against the database before anything is
written, every problem is listed as `file:line: column: what is wrong`, and a file with any
problem imports nothing. A family is matched by its case reference (in any case), a person by
their person reference within the family: a family or person already here is updated to what
the file says, so importing the same file again changes nothing. People here but not in the
file are left as they are; a family's support is opened here, never closed or reopened.

Messages name lines and columns but never repeat names, dates of birth, references or emails:
command output ends up in cron mail and logs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import Team, User
from familyfeedback.casework import alerts
from familyfeedback.casework.access import key_workers_by_team
from familyfeedback.casework.actions import PERSON_FIELDS, change_person, check_date_of_birth
from familyfeedback.casework.models import Episode, Family, Person
from familyfeedback.casework.queries import families_by_reference
from familyfeedback.lib import languages
from familyfeedback.lib.csvfiles import Problem, records
from familyfeedback.lib.csvrules import Cells
from familyfeedback.lib.tally import Tally

FAMILY_COLUMNS = ("case_reference", "family_name", "team", "key_worker_email", "opened_on")
PERSON_COLUMNS = ("person_reference", "first_name", "last_name", "date_of_birth",
                  "preferred_language", "needs_interpreter")
COLUMNS = FAMILY_COLUMNS + PERSON_COLUMNS
OPTIONAL = ("key_worker_email", "last_name", "preferred_language", "needs_interpreter")
YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0")
# The longest each text may be: what its field in the tables holds.
LONGEST = {column: model._meta.get_field(name).max_length for column, model, name in (
    ("case_reference", Family, "case_reference"), ("family_name", Family, "name"),
    ("person_reference", Person, "reference"), ("first_name", Person, "first_name"),
    ("last_name", Person, "last_name"), ("preferred_language", Person, "language_to_check"))}
SPOKEN_UNLESS_SAID = Person._meta.get_field("preferred_language").default
# A family's own columns, and what each must agree on between the family's rows.
AGREED = {"family_name": "name", "team": "team", "key_worker_email": "key worker",
          "opened_on": "date support started"}


@dataclass
class FamilyRow:
    line: int
    reference: str
    name: str
    team: Team
    key_worker: User | None  # None: blank in the file
    opened_on: date
    people: list[dict] = field(default_factory=list)  # PERSON_FIELDS and reference, by line


@dataclass
class Outcome(Tally):
    """What an import did (or, for a dry run, would do)."""

    KINDS = frozenset({"new_families", "changed_families", "same_families", "new_people",
                       "changed_people", "same_people"})
    problems: list[Problem] = field(default_factory=list)

    @property
    def changes_nothing(self) -> bool:
        return not any(self[kind] for kind in ("new_families", "changed_families", "new_people",
                                               "changed_people"))


def import_families(lines: Iterable[str], *, today: date, dry_run: bool = False,
                    names: dict[str, str] | None = None, actor: User | None = None) -> Outcome:
    """Check the whole file and, if it is good and this is not a dry run, import it in one
    transaction. actor None means the system (the audit log shows no person)."""
    with transaction.atomic():
        problems: list[Problem] = []
        values = list(records(lines, COLUMNS, problems, optional=OPTIONAL, names=names))
        known = _Known.load([value for _, value in values], lock=not dry_run)
        families = _read(values, today, known, problems)
        plan = None if problems else _plan(families, known, problems)
        if problems:
            return Outcome(problems=sorted(problems, key=lambda p: p.line))
        if not dry_run:
            _write(plan, actor)
    return plan.outcome


@dataclass
class _Known:
    """What the file refers to, fetched in a few queries rather than a few per row."""

    families: dict[str, Family]  # by case reference in lower case
    people: dict[tuple[int, str], Person]
    teams: dict[str, Team]  # by name in lower case
    users: dict[str, User]  # by email in lower case
    key_workers: dict[int, set[int]]  # team id -> who may be key worker there

    @classmethod
    def load(cls, values: list[dict], *, lock: bool) -> _Known:
        by_reference = families_by_reference({v["case_reference"] for v in values}, lock=lock)
        people = Person.objects.filter(family__in=list(by_reference.values())).exclude(
            reference="")
        teams = list(Team.objects.all())
        emails = {v["key_worker_email"].lower() for v in values} - {""}
        users = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
        return cls(families=by_reference,
                   people={(p.family_id, p.reference): p for p in people},
                   teams={t.name.lower(): t for t in teams},
                   users={u.email_lower: u for u in users},
                   key_workers={pk: {u.pk for u in found}
                                for pk, found in key_workers_by_team(teams).items()})


def _read(values: list[tuple[int, dict]], today: date, known: _Known,
          problems: list[Problem]) -> dict[str, FamilyRow]:
    """The families the file gives (by case reference in lower case), each with its people;
    every problem goes to problems."""
    families: dict[str, FamilyRow] = {}
    first_line: dict[str, tuple[int, dict]] = {}
    people_seen: dict[tuple[str, str], int] = {}
    for line, value in values:
        cells = Cells(line, value)
        for column, most in LONGEST.items():
            if len(value[column]) > most:
                cells.problem(column, f"is longer than {most} characters")
        reference = cells.filled("case_reference").lower()
        if reference in first_line:
            _agrees(cells, *first_line[reference])
        else:
            family = _family(cells, today, known)
            if reference:
                # The family's first row is what its others must agree with, right or wrong.
                first_line[reference] = (line, value)
                if family is not None:
                    families[reference] = family
        person = _person(cells, today)
        key = (reference, value["person_reference"])
        if all(key) and key in people_seen:
            cells.problem("person_reference", f"line {people_seen[key]} already gives this "
                                              "person of this family")
        elif all(key):
            people_seen[key] = line
        if cells.ok and reference in families:
            families[reference].people.append({**person, "line": line})
        problems.extend(cells.problems)
    return families


def _agrees(cells: Cells, line: int, first: dict) -> None:
    """A family's later rows say what its first row said: a row that differs is a mistake in
    the export, and which of them is right is for a person to decide."""
    for column, what in AGREED.items():
        if cells.values[column].lower() != first[column].lower():
            cells.problem(column, f"gives the family's {what} differently from line {line}")


def _family(cells: Cells, today: date, known: _Known) -> FamilyRow | None:
    name = cells.filled("family_name")
    team = known.teams.get(cells.filled("team").lower())
    if cells.values["team"] and team is None:
        cells.problem("team", "no team has this name")
    elif team is not None and team.archived_on is not None:
        cells.problem("team", "this team is archived: give the team that works with the family "
                              "now")
        team = None
    key_worker = None
    email = cells.values["key_worker_email"].lower()
    if email:
        key_worker = known.users.get(email)
        if key_worker is None:
            cells.problem("key_worker_email", "no user has this email address")
        elif team is not None and key_worker.pk not in known.key_workers[team.pk]:
            cells.problem("key_worker_email", "this user is not a current member of the team "
                                              "who works with its families")
    elif team is not None:
        here = known.families.get(cells.values["case_reference"].lower())
        if (here is not None and here.key_worker_id is not None
                and here.key_worker_id not in known.key_workers[team.pk]):
            cells.problem("key_worker_email", "is blank, and the family's key worker here is "
                                              "not a member of this team: give one who is")
    opened_on = cells.date("opened_on")
    if opened_on is not None and opened_on > today:
        cells.problem("opened_on", f"{opened_on.isoformat()} is in the future")
    if not cells.ok:
        return None
    return FamilyRow(line=cells.line, reference=cells.values["case_reference"], name=name,
                     team=team, key_worker=key_worker, opened_on=opened_on)


def _person(cells: Cells, today: date) -> dict:
    reference = cells.filled("person_reference")
    first_name = cells.filled("first_name")
    born = None
    if cells.filled("date_of_birth"):
        try:
            born = date.fromisoformat(cells.values["date_of_birth"])
        except ValueError:
            # The value itself is not repeated: it is a date of birth.
            cells.problem("date_of_birth", "is not a date like 2015-06-30")
        else:
            if born > today:
                cells.problem("date_of_birth", "is in the future")
    language = SPOKEN_UNLESS_SAID
    if cells.values["preferred_language"]:
        language = languages.code_for(cells.values["preferred_language"])
        if language is None:
            cells.problem("preferred_language", "is not a language we know: give its name in "
                                                "English, for example Polish, or its code, pl")
    interpreter = cells.one_of("needs_interpreter", YES + NO, blank=True, fold=str.lower,
                               message="must be yes or no (or blank for no)")
    return {"reference": reference, "first_name": first_name,
            "last_name": cells.values["last_name"], "date_of_birth": born,
            "preferred_language": language,
            "needs_interpreter": interpreter in YES}


@dataclass
class _Plan:
    outcome: Outcome
    new: list[FamilyRow] = field(default_factory=list)
    # (family here, {field: new value}) for the families whose own details change.
    family_changes: list[tuple[Family, dict]] = field(default_factory=list)
    # (family here, person values) for people new to a family already here.
    new_people: list[tuple[Family, dict]] = field(default_factory=list)
    person_changes: list[tuple[Person, dict]] = field(default_factory=list)


def _plan(families: dict[str, FamilyRow], known: _Known, problems: list[Problem]) -> _Plan:
    """What importing the good file changes. A date of birth that changes is checked against
    the person's records here, as the person's page checks it."""
    plan = _Plan(outcome=Outcome())
    outcome = plan.outcome
    for reference, row in families.items():
        here = known.families.get(reference)
        if here is None:
            plan.new.append(row)
            outcome.add("new_families")
            outcome.add("new_people", len(row.people))
            continue
        wanted = {"name": row.name, "team_id": row.team.pk,
                  "key_worker_id": row.key_worker.pk if row.key_worker else here.key_worker_id}
        changes = {key: value for key, value in wanted.items() if getattr(here, key) != value}
        if changes:
            plan.family_changes.append((here, changes))
            outcome.add("changed_families")
        else:
            outcome.add("same_families")
        for values in row.people:
            person = known.people.get((here.pk, values["reference"]))
            if person is None:
                plan.new_people.append((here, values))
                outcome.add("new_people")
                continue
            details = {key: values[key] for key in PERSON_FIELDS}
            if all(getattr(person, key) == value for key, value in details.items()):
                outcome.add("same_people")
                continue
            if details["date_of_birth"] != person.date_of_birth:
                try:
                    check_date_of_birth(person, details["date_of_birth"])
                except ValidationError:
                    # Not the check's own message: it names the person.
                    problems.append(Problem(values["line"], "date_of_birth", (
                        "does not fit the sessions and ratings recorded for this person: "
                        "correct it on the person's page, where the reason is shown")))
                    continue
            plan.person_changes.append((person, details))
            outcome.add("changed_people")
    return plan


def _person_row(family: Family, values: dict) -> Person:
    return Person(family=family, reference=values["reference"],
                  **{key: values[key] for key in PERSON_FIELDS})


def _write(plan: _Plan, actor: User | None) -> None:
    made = Family.objects.bulk_create([
        Family(name=row.name, case_reference=row.reference, team=row.team,
               key_worker=row.key_worker) for row in plan.new])
    episodes = Episode.objects.bulk_create([
        Episode(family=family, opened_on=row.opened_on)
        for family, row in zip(made, plan.new, strict=True)])
    people = Person.objects.bulk_create(
        [_person_row(family, values) for family, row in zip(made, plan.new, strict=True)
         for values in row.people]
        + [_person_row(family, values) for family, values in plan.new_people],
        batch_size=2000)
    entries: list[tuple[str, object, dict]] = []
    for family, episode in zip(made, episodes, strict=True):
        entries.append(("family.import", family, {"team": family.team_id,
                                                  "key_worker": family.key_worker_id}))
        entries.append(("episode.open", episode, {"opened_on": episode.opened_on.isoformat()}))
    entries.extend(("person.import", person, {"family": person.family_id}) for person in people)
    for family, changes in plan.family_changes:
        before = {key: getattr(family, key) for key in changes}
        for key, value in changes.items():
            setattr(family, key, value)
        family.save(update_fields=[key.removesuffix("_id") for key in changes])
        logged = audit.withheld(audit.diff(before, changes), {"name"})
        entries.append(("family.import_update", family, {
            key.removesuffix("_id"): value for key, value in logged.items()}))
    audit.record_many(actor, entries)
    alerts.store({person.family_id for person in people})
    for person, details in plan.person_changes:
        change_person(actor, person, details, action="person.import_update")
