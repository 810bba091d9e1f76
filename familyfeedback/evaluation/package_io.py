"""Importing the evaluation data package into a trial and exporting a trial as one
(docs/formats/evaluation-package.md); package_read reads and checks the files.

An import only ever adds rows. A row whose natural key the trial already holds must hold the same
values: a package never overwrites a trial's data (the trial may have been analysed or reported
on), so a differing row is a problem like any other and nothing is imported. Importing the same
package twice therefore changes nothing; a corrected package goes into a new trial.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from familyfeedback.accounts import audit
from familyfeedback.evaluation import queries
from familyfeedback.evaluation.actions import add_default_questions
from familyfeedback.evaluation.models import (
    AdminRecord,
    Response,
    TrainingRecord,
    Trial,
    TrialPractitioner,
    TrialTeam,
)
from familyfeedback.evaluation.package_read import (
    TABLES,
    Package,
    PackageError,
    Problem,
    Row,
    Table,
    read_package,
)
from familyfeedback.lib.spreadsheet import csv_cell


def _existing(trial: Trial | None, table: Table) -> dict[tuple, dict]:
    if trial is None or trial.pk is None:
        return {}
    lookups = [lookup for _, lookup in table.columns]
    rows = table.model.objects.filter(trial=trial).values(*lookups)
    return {tuple(row[table.lookup(column)] for column in table.key): row for row in rows}


def differences(trial: Trial | None, package: Package) -> list[Problem]:
    """A problem for every value in the package that differs from what the trial already holds
    under the same key."""
    problems = []
    for table in TABLES:
        existing = _existing(trial, table)
        for key, row in package.rows[table.file].items():
            held = existing.get(key)
            if held is None:
                continue
            for column, lookup in table.columns:
                if held[lookup] != row.values[lookup]:
                    problems.append(Problem(
                        table.file, row.line, column,
                        f"trial {trial.name} already has {_cell(lookup, held[lookup]) or 'blank'}"
                        f" here, not {_cell(lookup, row.values[lookup]) or 'blank'}"))
    return problems


def new_rows(trial: Trial | None, package: Package) -> dict[str, list[Row]]:
    """The package's rows the trial does not hold yet, by file."""
    added = {}
    for table in TABLES:
        existing = _existing(trial, table)
        added[table.file] = [row for key, row in package.rows[table.file].items()
                             if key not in existing]
    return added


def import_package(trial: Trial, package: Package) -> dict[str, int]:
    """Add the package's new rows to the trial; how many were added, by file. Raises
    PackageError, adding nothing, if the trial holds different values for any of its rows."""
    with transaction.atomic():
        problems = differences(trial, package)
        if problems:
            raise PackageError(problems)
        added = new_rows(trial, package)
        teams = {}
        practitioners = {}
        for table in TABLES:
            objects = []
            for row in added[table.file]:
                fields = {lookup.split("__")[0]: value for lookup, value in row.values.items()}
                if "team" in fields:
                    fields["team"] = teams[fields["team"]]
                for name in ("practitioner", "respondent"):
                    if name in fields:
                        fields[name] = practitioners[fields[name]]
                if table.model is AdminRecord:
                    fields["practitioner"] = practitioners[fields["practitioner_key"]]
                objects.append(table.model(trial=trial, **fields))
            table.model.objects.bulk_create(objects)
            if table.model is TrialTeam:
                teams = {team.team_code: team for team in trial.teams.all()}
            elif table.model is TrialPractitioner:
                practitioners = {p.practitioner_code: p for p in trial.practitioners.all()}
        return {file: len(rows) for file, rows in added.items()}


def load(directory: Path, trial_name: str, *, dry_run: bool = False) -> tuple[Trial | None,
                                                                              dict[str, int]]:
    """Check the package in directory against itself and the trial called trial_name, then (unless
    dry_run) import it, creating the trial if there is none, in one transaction with one audit
    entry. Returns the trial and the rows added (or, for a dry run, that would be) by file.
    Raises PackageError listing every problem, having imported nothing."""
    package, problems = read_package(directory)
    trial = Trial.objects.filter(name=trial_name).first()
    problems += differences(trial, package)
    if problems:
        raise PackageError(problems)
    if dry_run:
        return trial, {file: len(rows) for file, rows in new_rows(trial, package).items()}
    with transaction.atomic():
        trial, created = Trial.objects.get_or_create(name=trial_name)
        if created:
            # A new trial starts with the pilot's research questions, as one made on its page
            # does; the import's own audit entry records that the trial is new.
            add_default_questions(trial)
        added = import_package(trial, package)
        if created or any(added.values()):
            # A second import of the same package changes nothing, not even the log.
            audit.record(None, "evaluation.import", trial,
                         {"package": Path(directory).name, "new_trial": created,
                          "added": {file.removesuffix(".csv"): n for file, n in added.items()}})
    return trial, added


# What a practitioner withdrew from stays out of the package, as it stays out of the analysis:
# the table's rows, whose practitioner it is, and the consent activity that covers them.
WITHDRAWN_FROM = {Response: ("respondent__practitioner_code", "surveys"),
                  AdminRecord: ("practitioner__practitioner_code", "admin_data"),
                  TrainingRecord: ("practitioner__practitioner_code", "admin_data")}


def export_package(trial: Trial, directory: Path) -> dict[str, int]:
    """Write the trial's data as the six package files; rows written, by file. Audited: teams.csv
    reveals the allocation. Leaves out what anyone withdrew from (WITHDRAWN_FROM)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for table in TABLES:
        lookups = [lookup for _, lookup in table.columns]
        rows = table.model.objects.filter(trial=trial)
        if table.model in WITHDRAWN_FROM:
            whose, activity = WITHDRAWN_FROM[table.model]
            rows = rows.exclude(**{f"{whose}__in": queries.withdrawn(trial, activity)})
        rows = rows.order_by(*table.order).values_list(*lookups)
        with (directory / table.file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([column for column, _ in table.columns])
            for row in rows:
                # Safe to open in a spreadsheet; the importer takes the added quotes off again.
                writer.writerow([csv_cell(_cell(lookup, value))
                                 for lookup, value in zip(lookups, row, strict=True)])
        written[table.file] = len(rows)
    audit.record(None, "evaluation.export", trial,
                 {"written": {file.removesuffix(".csv"): n for file, n in written.items()}})
    return written


def _cell(lookup: str, value) -> str:
    """A model value as the package writes it."""
    if value is None:
        return ""
    if lookup == "attended":
        return "yes" if value else "no"
    if lookup == "adult":
        return "adult" if value else "child"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.1f}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return "|".join(value)
    return str(value)
