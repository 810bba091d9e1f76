"""Reading and scoring `administrations.csv`, the ORS/SRS records a case system exports
(docs/formats/evaluation-package.md). Used by `manage.py score_file` and by the evaluation
package importer (evaluation/package_read.py): the rules for a good row live here once.

The whole file is read and every problem is listed as `file:line: column: what is wrong`, so a
data team fixes a file in one pass."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from familyfeedback import measures
from familyfeedback.lib.csvfiles import Problem, records
from familyfeedback.lib.csvrules import Cells

COLUMNS = ("administration_id", "person_id", "person_group", "practitioner_id", "date",
           "measure", "item_1", "item_2", "item_3", "item_4", "status", "reason")
ITEMS = ("item_1", "item_2", "item_3", "item_4")
GROUPS = ("child", "adult")
STATUSES = ("completed", "not_administered")
CHANGE_NAMES = {
    measures.ChangeClass.IMPROVED: "improved",
    measures.ChangeClass.NO_CHANGE: "no_change",
    measures.ChangeClass.DETERIORATED: "deteriorated",
}


@dataclass(frozen=True)
class Row:
    line: int
    administration_id: str
    person_id: str
    person_group: str
    practitioner_id: str
    on: date
    measure: measures.Measure
    items: dict[str, Decimal]
    status: str
    reason: str

    @property
    def completed(self) -> bool:
        return self.status == "completed"


def read(lines: Iterable[str], *, today: date) -> tuple[list[Row], list[Problem]]:
    """Every good row and every problem. A row with any problem is not among the rows."""
    rows: list[Row] = []
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    groups: dict[str, tuple[str, int]] = {}
    for line, record in records(lines, COLUMNS, problems):
        row, found = _row(record, line, today)
        ident = record["administration_id"]
        if ident in seen_ids:
            found.append(Problem(line, "administration_id",
                                 f"{ident} is already used on line {seen_ids[ident]}"))
        elif ident:
            seen_ids[ident] = line
        person, group = record["person_id"], record["person_group"]
        if person and group in GROUPS:
            first = groups.setdefault(person, (group, line))
            if first[0] != group:
                found.append(Problem(line, "person_group",
                                     f"{person} is {first[0]} on line {first[1]} but {group} here"))
        if found:
            problems.extend(found)
        else:
            rows.append(row)
    return rows, problems


def _row(value: dict, line: int, today: date) -> tuple[Row | None, list[Problem]]:
    cells = Cells(line, value)
    for column in ("administration_id", "person_id", "practitioner_id"):
        cells.filled(column)
    cells.one_of("person_group", GROUPS, message="must be child or adult")
    on = cells.date("date")
    if on is not None and on > today:
        cells.problem("date", f"{value['date']} is in the future")
    measure = None
    try:
        measure = measures.get(value["measure"])
    except measures.UnknownMeasure:
        cells.problem("measure", f"{value['measure'] or 'blank'} is not one of "
                                 "ORS, CORS, YCORS, SRS, CSRS, YCSRS")
    cells.one_of("status", STATUSES, message="must be completed or not_administered")
    items: dict[str, Decimal] = {}
    if measure is not None:
        if value["person_group"] == "adult" and measure.max_age is not None:
            cells.problem("measure", f"{measure.code} is for children, but the person is an "
                                     "adult")
        given = {c: value[c] for c in ITEMS if value[c]}
        if value["status"] == "completed" and not measure.is_faces:
            try:
                items = measures.validate_items(measure, {c: value[c] for c in ITEMS})
            except measures.ScoreError as error:
                for key, message in error.errors.items():
                    cells.problem(key, message)
        elif given:
            why = "a faces form" if measure.is_faces else "not administered"
            for column in given:
                cells.problem(column, f"must be blank: the {measure.code} is {why}")
    if not cells.ok:
        return None, cells.problems
    return Row(line=line, administration_id=value["administration_id"],
               person_id=value["person_id"], person_group=value["person_group"],
               practitioner_id=value["practitioner_id"], on=on, measure=measure, items=items,
               status=value["status"], reason=value["reason"]), []


def _cutoff(measure: measures.Measure, group: str) -> Decimal | None:
    # The file gives a group, not an age: an adult is scored as 18, a child at the youngest age
    # the measure covers (so a child on the ORS is 13-17, on the CORS 6-12).
    age = max(measure.min_age, 18) if group == "adult" else measure.min_age
    found = measures.cutoff_for(measure, age)
    return found.value if found else None


def score(rows: list[Row], *, standard: str = "common",
          review_after: int = measures.DEFAULT_REVIEW_AFTER) -> list[dict]:
    """One summary per person per tool (the file is one episode per person), sorted by person_id
    then tool."""
    by_key: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        by_key[(row.person_id, row.measure.tool)].append(row)
    results = []
    for (person_id, tool), group_rows in sorted(by_key.items()):
        group_rows.sort(key=lambda r: (r.on, r.line))
        latest_measure = group_rows[-1].measure
        person_group = group_rows[0].person_group
        completed = [measures.Score(r.on, r.measure.code, _total(r), r.items)
                     for r in group_rows if r.completed]
        cutoff = _cutoff(latest_measure, person_group)
        rc = measures.reliable_change_for(latest_measure, standard)
        rci = rc.value if rc else None
        summary = measures.summarise(completed, cutoff=cutoff, rci=rci)
        if tool == "ORS":
            alerts = measures.outcome_alerts(completed, cutoff=cutoff, rci=rci,
                                             review_after=review_after)
        else:
            alerts = measures.session_alerts(completed)
        results.append({
            "person_id": person_id,
            "tool": tool,
            "measure": latest_measure.code,
            "administrations": len(completed),
            "first_date": summary.first.on.isoformat() if summary else None,
            "first_total": summary.first.total if summary else None,
            "latest_date": summary.latest.on.isoformat() if summary else None,
            "latest_total": summary.latest.total if summary else None,
            "change": summary.change if summary else None,
            "cutoff": cutoff,
            "reliable_change_value": rci,
            "change_class": CHANGE_NAMES.get(summary.change_class) if summary else None,
            "clinically_significant": summary.clinically_significant if summary else None,
            "alerts": sorted(alert.code.value for alert in alerts),
        })
    return results


def _total(row: Row) -> Decimal | None:
    return measures.total(row.measure, row.items) if row.items else None
