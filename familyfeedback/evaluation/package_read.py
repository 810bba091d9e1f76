"""Reading and checking the evaluation data package (docs/formats/evaluation-package.md): its
six files, the rules for each column and the references between files. Nothing here touches the
database; package_io checks a package against a trial and imports or exports it.

The whole package is checked before anything is written, and every problem is listed as
`file:line: column: what is wrong`, so a data team fixes a package in one pass.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import models
from django.utils import timezone

from familyfeedback.casework import administrations_csv
from familyfeedback.evaluation.models import (
    WAVES,
    AdminRecord,
    Question,
    Response,
    TrainingRecord,
    TrialPractitioner,
    TrialTeam,
)
from familyfeedback.evaluation.randomisation import ARMS
from familyfeedback.implementation.training import ROLES
from familyfeedback.lib import csvfiles
from familyfeedback.lib.csvrules import Cells
from familyfeedback.measures import ScoreError, surveys

EVENT_TYPES = ("part_1", "part_2", "mop_up")
# The wave kinds a package may name: the trial's own waves.
WAVE_KINDS = tuple(kind for kind, _ in WAVES)
KINDS = ("likert", "choice", "number", "text")
PRACTITIONER_NUMBERS = ("years_in_service", "years_practising", "qualification_level",
                        "hours_per_week", "families_supported")
# Columns the format marks optional: a package may leave them out of the header.
OPTIONAL = {*PRACTITIONER_NUMBERS, "absence_reason"}


@dataclass(frozen=True)
class Table:
    file: str
    model: type[models.Model]
    # (package column, ORM lookup from the model), in the format's header order.
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]  # the package columns that identify a row within a trial
    order: tuple[str, ...]  # the export's row order

    def lookup(self, column: str) -> str:
        return dict(self.columns)[column]


TABLES = (
    Table("teams.csv", TrialTeam,
          (("team_id", "team_code"), ("team_name", "team_name"), ("unit_id", "unit_code"),
           ("arm", "arm")),
          ("team_id",), ("team_code",)),
    Table("practitioners.csv", TrialPractitioner,
          (("practitioner_id", "practitioner_code"), ("team_id", "team__team_code"),
           ("role", "role"), *((name, name) for name in PRACTITIONER_NUMBERS)),
          ("practitioner_id",), ("practitioner_code",)),
    Table("training.csv", TrainingRecord,
          (("practitioner_id", "practitioner__practitioner_code"), ("event_id", "event_code"),
           ("event_type", "event_type"), ("date", "on"), ("attended", "attended"),
           ("absence_reason", "absence_reason")),
          ("practitioner_id", "event_id"),
          ("practitioner__practitioner_code", "on", "event_code")),
    Table("questions.csv", Question,
          (("question_id", "question_code"), ("wave", "wave"), ("text", "text"),
           ("kind", "kind"), ("options", "options")),
          ("question_id",), ("id",)),
    Table("responses.csv", Response,
          (("respondent_id", "respondent__practitioner_code"), ("wave", "wave"),
           ("item", "item"), ("value", "value")),
          ("respondent_id", "wave", "item"), ("respondent__practitioner_code", "id")),
    Table("administrations.csv", AdminRecord,
          (("administration_id", "administration_code"), ("person_id", "person_key"),
           ("person_group", "adult"), ("practitioner_id", "practitioner_key"), ("date", "on"),
           ("measure", "measure"), *((item, item) for item in administrations_csv.ITEMS),
           ("status", "status"), ("reason", "reason")),
          ("administration_id",), ("administration_code",)),
)
FILES = tuple(table.file for table in TABLES)
BY_FILE = {table.file: table for table in TABLES}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return csvfiles.locate(self.file, self.line, self.column, self.message)


class PackageError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass(frozen=True)
class Row:
    line: int
    # Model field values by ORM lookup; besides the table's columns, administrations carry the
    # fields derived from them (tool, team_key).
    values: dict


@dataclass
class Package:
    # file -> natural key (tuple of package values) -> row
    rows: dict[str, dict[tuple, Row]] = field(default_factory=lambda: {f: {} for f in FILES})


def read_package(directory: Path, *, today: date | None = None) -> tuple[Package, list[Problem]]:
    """The package's good rows and every problem in it, ordered by file and line."""
    reader = _Reader(Path(directory), today or timezone.localdate())
    reader.read()
    order = {file: n for n, file in enumerate(FILES)}
    problems = sorted(reader.problems, key=lambda p: (order[p.file], p.line))
    return reader.package, problems


class _Reader:
    def __init__(self, directory: Path, today: date) -> None:
        self.directory = directory
        self.today = today
        self.package = Package()
        self.problems: list[Problem] = []
        # Every id a file declares, good row or not, so a reference to a row that has its own
        # problem is not reported a second time as unknown.
        self.declared: dict[str, dict[str, int]] = {f: {} for f in FILES}
        self.team_of: dict[str, str] = {}  # practitioner_id -> team_id, for team_key
        # Files that could not be read at all: references to them are not checked, rather than
        # each reported as unknown.
        self.unreadable: set[str] = set()

    def read(self) -> None:
        for file in FILES:
            text = self._text(file)
            if text is None:
                self.unreadable.add(file)
            else:
                getattr(self, "_" + file.removesuffix(".csv"))(file, text)

    def _text(self, file: str) -> str | None:
        try:
            return csvfiles.read_text(self.directory / file)
        except csvfiles.Unreadable as error:
            why = str(error)
            if why == "is missing":
                why += ": a package has all six files, one with no rows just its header row"
            self.add(file, 1, "(file)", why)
            return None

    def _records(self, file: str, text: str):
        found: list[csvfiles.Problem] = []
        columns = [column for column, _ in BY_FILE[file].columns]
        yield from csvfiles.records(io.StringIO(text, newline=""), columns, found,
                                    optional=OPTIONAL)
        for problem in found:
            self.add(file, problem.line, problem.column, problem.message)
        if any(problem.line == 1 for problem in found):
            self.unreadable.add(file)

    def add(self, file: str, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(file, line, column, message))

    def _keep(self, file: str, cells: Cells, key: tuple, values: dict) -> None:
        """The row's problems join the package's; a row with none is kept."""
        for problem in cells.problems:
            self.add(file, problem.line, problem.column, problem.message)
        if cells.ok:
            self.package.rows[file][key] = Row(cells.line, values)

    def _unique(self, file: str, cells: Cells, column: str) -> str:
        value = cells.filled(column)
        if value in self.declared[file]:
            cells.problem(column, f"{value} is already used on line {self.declared[file][value]}")
        elif value:
            self.declared[file][value] = cells.line
        return value

    def _refers(self, cells: Cells, column: str, target: str, target_column: str) -> str:
        value = cells.filled(column)
        if value and value not in self.declared[target] and target not in self.unreadable:
            cells.problem(column, f"{value} is not a {target_column} in {target}")
        return value

    def _teams(self, file: str, text: str) -> None:
        units: dict[str, tuple[str, int]] = {}
        for line, record in self._records(file, text):
            cells = Cells(line, record)
            self._unique(file, cells, "team_id")
            cells.filled("team_name")
            arm = cells.one_of("arm", ARMS, blank=True)
            unit = record["unit_id"]
            if unit and arm in ("", *ARMS):
                # Teams that share a unit were randomised together, so share an arm.
                first_arm, first_line = units.setdefault(unit, (arm, line))
                if first_arm != arm:
                    cells.problem("arm", f"unit {unit} is {first_arm or 'blank'} on line "
                                         f"{first_line} but {arm or 'blank'} here")
            self._keep(file, cells, (record["team_id"],),
                       {"team_code": record["team_id"], "team_name": record["team_name"],
                        "unit_code": unit, "arm": arm})

    def _practitioners(self, file: str, text: str) -> None:
        for line, record in self._records(file, text):
            cells = Cells(line, record)
            self._unique(file, cells, "practitioner_id")
            team_id = self._refers(cells, "team_id", "teams.csv", "team_id")
            self.team_of.setdefault(record["practitioner_id"], team_id)
            role = cells.one_of("role", ROLES)
            values = {"practitioner_code": record["practitioner_id"], "team__team_code": team_id,
                      "role": role}
            for column in PRACTITIONER_NUMBERS:
                values[column] = _optional_number(cells, column)
            self._keep(file, cells, (record["practitioner_id"],), values)

    def _training(self, file: str, text: str) -> None:
        seen: dict[tuple[str, str], int] = {}
        for line, record in self._records(file, text):
            cells = Cells(line, record)
            practitioner = self._refers(cells, "practitioner_id", "practitioners.csv",
                                        "practitioner_id")
            event = cells.filled("event_id")
            if practitioner and event:
                first = seen.setdefault((practitioner, event), line)
                if first != line:
                    cells.problem("event_id",
                                  f"{practitioner} is already listed at {event} on line {first}")
            event_type = cells.one_of("event_type", EVENT_TYPES)
            on = cells.date("date")
            attended = cells.one_of("attended", ("yes", "no"))
            self._keep(file, cells, (practitioner, event),
                       {"practitioner__practitioner_code": practitioner, "event_code": event,
                        "event_type": event_type, "on": on, "attended": attended == "yes",
                        "absence_reason": record.get("absence_reason", "")})

    def _questions(self, file: str, text: str) -> None:
        for line, record in self._records(file, text):
            cells = Cells(line, record)
            question = self._unique(file, cells, "question_id")
            if surveys.is_measure_item(question):
                # responses.csv could not tell the question from the measure item.
                cells.problem("question_id", f"{question} is a standard measure item")
            wave = cells.one_of("wave", WAVE_KINDS)
            cells.filled("text")
            kind = cells.one_of("kind", KINDS)
            options = [o.strip() for o in record["options"].split("|")] if record["options"] else []
            if kind in ("likert", "choice"):
                if len(options) < 2:
                    cells.problem("options",
                                  f"a {kind} question needs at least two options separated by |")
                elif "" in options:
                    cells.problem("options", "an option is blank")
                elif len(set(options)) < len(options):
                    cells.problem("options", "an option is listed twice")
            elif options:
                cells.problem("options", f"must be blank for a {kind or 'blank'} question")
            self._keep(file, cells, (question,),
                       {"question_code": question, "wave": wave, "text": record["text"],
                        "kind": kind, "options": options})

    def _responses(self, file: str, text: str) -> None:
        questions = {key[0]: row.values for key, row in self.package.rows["questions.csv"].items()}
        seen: dict[tuple[str, str, str], int] = {}
        for line, record in self._records(file, text):
            if not record["value"]:
                continue  # blank means missing: an item left unanswered
            cells = Cells(line, record)
            respondent = self._refers(cells, "respondent_id", "practitioners.csv",
                                      "practitioner_id")
            wave = cells.one_of("wave", WAVE_KINDS)
            item, value = cells.filled("item"), record["value"]
            if item in questions:
                value = _answer(cells, questions[item], wave, value)
            elif surveys.is_measure_item(item):
                try:
                    surveys.scored_items(surveys.measure_for_item(item), {item: value})
                    # The raw answer, not reversed; "4.0" and "4" are the same answer.
                    value = str(int(Decimal(value)))
                except ScoreError as error:
                    cells.problem("value", error.errors[item])
            elif (item and item not in self.declared["questions.csv"]
                  and "questions.csv" not in self.unreadable):
                cells.problem("item", f"{item} is neither a question_id in questions.csv nor a "
                                      "standard measure item")
            key = (respondent, wave, item)
            if all(key):
                first = seen.setdefault(key, line)
                if first != line:
                    cells.problem("item", f"{respondent} already answered {item} in the "
                                          f"{wave} wave on line {first}")
            self._keep(file, cells, key, {"respondent__practitioner_code": respondent,
                                          "wave": wave, "item": item, "value": value})

    def _administrations(self, file: str, text: str) -> None:
        # The rules for a good row live in casework.administrations_csv; only the references to
        # practitioners.csv are the package's own.
        rows, found = administrations_csv.read(io.StringIO(text, newline=""), today=self.today)
        for problem in found:
            self.add(file, problem.line, problem.column, problem.message)
        if any(p.line == 1 for p in found):
            return  # the header is wrong, so no row was read
        readable = "practitioners.csv" not in self.unreadable
        bad_reference = set()
        # Read again for the one column; its problems were reported by the read above.
        for line, record in csvfiles.records(io.StringIO(text, newline=""), ["practitioner_id"],
                                             []):
            practitioner = record["practitioner_id"]
            if (readable and practitioner
                    and practitioner not in self.declared["practitioners.csv"]):
                self.add(file, line, "practitioner_id",
                         f"{practitioner} is not a practitioner_id in practitioners.csv")
                bad_reference.add(line)
        for row in rows:
            if row.line in bad_reference:
                continue
            values = {"administration_code": row.administration_id, "person_key": row.person_id,
                      "adult": row.person_group == "adult",
                      "practitioner_key": row.practitioner_id, "on": row.on,
                      "measure": row.measure.code, "status": row.status, "reason": row.reason,
                      "tool": row.measure.tool,
                      # Blank when practitioners.csv could not be read: the package is then
                      # refused for that, so the key is never stored.
                      "team_key": self.team_of.get(row.practitioner_id, "")}
            values.update({item: row.items.get(item) for item in administrations_csv.ITEMS})
            self.package.rows[file][(row.administration_id,)] = Row(row.line, values)


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _optional_number(cells: Cells, column: str) -> int | float | None:
    text = cells.values.get(column, "")
    if not text:
        return None
    whole = column in ("qualification_level", "families_supported")
    low, high = (1, 8) if column == "qualification_level" else (0, None)
    number = _number(text)
    if (number is None or number < low or (high is not None and number > high)
            or (whole and number != number.to_integral_value())):
        kind = "a whole number" if whole else "a number"
        limits = f"from {low} to {high}" if high is not None else f"of {low} or more"
        cells.problem(column, f"{text} is not {kind} {limits}")
        return None
    return int(number) if whole else float(number)


def _answer(cells: Cells, question: dict, wave: str, value: str) -> str:
    item = question["question_code"]
    if wave in WAVE_KINDS and question["wave"] != wave:
        cells.problem("item", f"{item} is a question of the {question['wave']} wave, not the "
                              f"{wave} wave")
    elif question["kind"] in ("likert", "choice") and value not in question["options"]:
        cells.problem("value", f"{value} is not one of the options of {item}: "
                               + " | ".join(question["options"]))
    elif question["kind"] == "number" and _number(value) is None:
        cells.problem("value", f"{value} is not a number")
    return value
