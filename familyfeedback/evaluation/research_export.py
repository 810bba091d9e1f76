"""Research data for analysts (docs/formats/research-export.md): a trial's data as tables of
plain rows with their variables' labels and allowed values, pseudonymised with a key kept apart
from the data, and written as CSV, SPSS .sav and Stata .dta with a codebook.

`build` reads and shapes; `write` is the one place files are written. Nothing here names a
person: practitioners, family members and administrations appear only as HMAC-SHA256
pseudonyms of the trial's own codes; family members' ages are bands; free text (absence
reasons, open-text answers) is left out, since it may name anyone. Whoever withdrew from an
activity (evaluation.models.CONSENT_ACTIVITIES) is left out of what it covers: "surveys" their
survey answers, "admin_data" their ORS/SRS records and their training register.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from familyfeedback.accounts.models import JobTitle
from familyfeedback.casework.models import NotAdministeredReason
from familyfeedback.evaluation import queries
from familyfeedback.evaluation.models import ARM_CHOICES, WAVES, Trial
from familyfeedback.evaluation.package_read import EVENT_TYPES
from familyfeedback.implementation.training import ROLES
from familyfeedback.lib.spreadsheet import csv_cell
from familyfeedback.measures import TOOLS, all_measures
from familyfeedback.measures.ages import age_band, age_bands, age_on, band_label
from familyfeedback.measures.surveys import SurveyMeasure, all_survey_measures, score
from familyfeedback.stats.disclosure import is_disclosive

# 256 bits: as long as the HMAC-SHA256 output, so the key is not the weak part.
KEY_BYTES = 32
FORMATS = ("csv", "sav", "dta")
CODEBOOK = "codebook.csv"
# 64 bits of the HMAC: among a council's 300,000 administrations a year the chance of two
# sharing one is about 1 in 400 million, and build() refuses rather than merge them.
PSEUDONYM_HEX = 16
# Stata's limit on a variable name; SPSS allows 64.
NAME_LENGTH = 32


class ExportError(Exception):
    """A sentence saying why nothing was exported."""


def read_key(path: Path | str, directory: Path | None = None) -> bytes:
    """The pseudonym key: the bytes of the file at path, less a final line ending, at least
    KEY_BYTES long. A key inside the export's directory would travel with the data it protects,
    so it is refused."""
    if not str(path):
        raise ExportError("No key file is set: the pseudonyms need a key kept apart from the data")
    path = Path(path)
    if directory is not None and path.resolve().is_relative_to(Path(directory).resolve()):
        raise ExportError(f"The key file {path} is inside the export folder: keep it apart "
                          "from the data")
    try:
        key = path.read_bytes().rstrip(b"\r\n")
    except FileNotFoundError:
        raise ExportError(f"There is no key file at {path}") from None
    except OSError as error:
        raise ExportError(f"The key file {path} cannot be read ({error.strerror})") from None
    if len(key) < KEY_BYTES:
        raise ExportError(f"The key in {path} is {len(key)} bytes long: it must be at least "
                          f"{KEY_BYTES} (for example, 64 hexadecimal characters)")
    return key


def pseudonym(key: bytes, scope: str, code: str) -> str:
    """A stable pseudonym for `code` in `scope` (say "Pilot/practitioner"): the same key always
    gives the same one; without the key it cannot be worked back to the code, nor matched to the
    pseudonym another key gives. The scope keeps P001 of two trials, or of two kinds of thing,
    apart."""
    message = scope.encode() + b"\x00" + code.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]


@dataclass(frozen=True)
class Variable:
    """One column: its name, label, type (string, integer, number or date), and for a coded
    variable its values and their labels, with the key each value stands for (see coded());
    `ordered` for codes or numbers whose order means something (SPSS's ordinal)."""

    name: str
    label: str
    type: str
    values: tuple[tuple[int, str], ...] = ()
    allowed: str = ""
    ordered: bool = False
    keys: tuple = ()

    def code(self, key) -> int | None:
        """The number a coded variable holds for the value with this key; None for none."""
        return self.values[self.keys.index(key)][0] if key in self.keys else None


def coded(name: str, label: str, options: Sequence[tuple[Any, str]], *,
          ordered: bool = False, start: int = 1) -> Variable:
    """A categorical variable held as 1, 2, ... (a yes-or-no one as 0 and 1) in every format,
    labelled with each option's label: a Stata value label must be on a number, and one table
    should hold the same values in all three formats."""
    return Variable(name, label, "integer",
                    tuple((n, text) for n, (_, text) in enumerate(options, start=start)),
                    ordered=ordered, keys=tuple(key for key, _ in options))


@dataclass
class Table:
    name: str
    label: str
    variables: list[Variable]
    rows: list[list[Any]] = field(default_factory=list)
    # An aggregate table holds counts of people, so small ones are suppressed.
    aggregate: bool = False


def _labelled(codes: Iterable[str]) -> list[tuple[str, str]]:
    return [(code, code.replace("_", " ").capitalize()) for code in codes]


ARM = coded("arm", "Trial arm", ARM_CHOICES)
WAVE = coded("wave", "Survey wave", WAVES, ordered=True)
ROLE = coded("role", "Practitioner's role",
             [(role, dict(JobTitle.choices).get(role, role)) for role in ROLES])
TEAM = Variable("team", "Team code in the trial", "string")
BAND_KEYS = [band_label(band) for band in age_bands()]
AGE_BAND = coded("age_band", "Age band on the day (completed years)",
                 [(key, key) for key in BAND_KEYS], ordered=True)
SUPPRESSED = coded("suppressed", "Counts suppressed as too small to show",
                   [(False, "Shown"), (True, "Suppressed")], start=0)


# A letter first says what a pseudonym stands for, and keeps one made only of digits (or of
# digits and an "e") from being read as a number by a spreadsheet or read.csv.
PREFIXES = {"practitioner": "p", "person": "f", "administration": "a"}


def _pseudonym_variable(name: str, label: str, kind: str) -> Variable:
    return Variable(name, label, "string", allowed=f"{PREFIXES[kind]} and {PSEUDONYM_HEX} "
                                                   "hexadecimal characters")


PRACTITIONER = _pseudonym_variable("practitioner", "Practitioner (pseudonym)", "practitioner")
RESPONDENT = _pseudonym_variable("respondent", "Respondent (pseudonym)", "practitioner")
PERSON = _pseudonym_variable("person", "Family member (pseudonym)", "person")
ADMINISTRATION = _pseudonym_variable("administration", "Administration (pseudonym)",
                                     "administration")


class _Pseudonyms:
    """The trial's pseudonyms under one key, checked never to give two codes the same one."""

    def __init__(self, trial: Trial, key: bytes):
        self.trial, self.key = trial, key
        self.given: dict[tuple[str, str], str] = {}

    def __call__(self, kind: str, code: str) -> str:
        if (kind, code) not in self.given:
            made = PREFIXES[kind] + pseudonym(self.key, f"{self.trial.name}/{kind}", code)
            if made in self.given.values():
                raise ExportError(f"Two {kind} codes share a pseudonym under this key: use "
                                  "another key")
            self.given[(kind, code)] = made
        return self.given[(kind, code)]


@dataclass
class _Read:
    """What the tables are built from: the trial's data less what was withdrawn."""

    trial: Trial
    names: _Pseudonyms
    suppress_below: int
    no_surveys: set[str]
    no_admin_data: set[str]
    arms: dict[str, str | None] = field(default_factory=dict)  # team code -> arm

    def keeps(self, code: str) -> bool:
        """A practitioner stays in the practitioners table while anything of theirs is
        exported."""
        return not (code in self.no_surveys and code in self.no_admin_data)


def build(trial: Trial, key: bytes, *, suppress_below: int) -> list[Table]:
    """Every table of the research export, in the order the format describes them."""
    read = _Read(trial, _Pseudonyms(trial, key), suppress_below,
                 queries.withdrawn(trial, "surveys"), queries.withdrawn(trial, "admin_data"))
    read.arms = {t.team_code: t.arm or None for t in trial.teams.all()}
    return [_teams(read), _practitioners(read), _training(read), _administrations(read),
            _responses(read), _response_rates(read), _reach(read)]


def _teams(read: _Read) -> Table:
    table = Table("teams", "Teams in the trial", [
        TEAM, Variable("team_name", "Team name", "string"),
        Variable("unit", "Randomisation unit (teams sharing it were randomised together)",
                 "string"), ARM])
    for team in read.trial.teams.all():
        table.rows.append([team.team_code, team.team_name, team.unit, ARM.code(team.arm)])
    return table


NUMBERS = [("years_in_service", "Years in the service"),
           ("years_practising", "Years practising"),
           ("qualification_level", "Qualification level (1-8)"),
           ("hours_per_week", "Hours worked a week"),
           ("families_supported", "Families supported")]


def _practitioners(read: _Read) -> Table:
    table = Table("practitioners", "Practitioners in the trial, by pseudonym", [
        PRACTITIONER, TEAM, ARM, ROLE,
        *[Variable(name, label, "number") for name, label in NUMBERS]])
    for p in read.trial.practitioners.select_related("team"):
        if read.keeps(p.practitioner_code):
            table.rows.append([read.names("practitioner", p.practitioner_code),
                               p.team.team_code, ARM.code(p.team.arm), ROLE.code(p.role),
                               *[getattr(p, name) for name, _ in NUMBERS]])
    return table


EVENT_TYPE = coded("event_type", "Training event", _labelled(EVENT_TYPES))
ATTENDED = coded("attended", "Attended", [(False, "No"), (True, "Yes")], start=0)


def _training(read: _Read) -> Table:
    table = Table("training", "Training register: each practitioner at each event expected", [
        PRACTITIONER,
        Variable("event", "Training event code", "string"), EVENT_TYPE,
        Variable("date", "Date of the event", "date"), ATTENDED])
    for row in (read.trial.training.select_related("practitioner")
                .order_by("practitioner__practitioner_code", "on", "event_code")):
        code = row.practitioner.practitioner_code
        if code not in read.no_admin_data:
            table.rows.append([read.names("practitioner", code), row.event_code,
                               EVENT_TYPE.code(row.event_type), row.on,
                               ATTENDED.code(row.attended)])
    return table


MEASURE = coded("measure", "Measure given", [(m.code, m.name) for m in all_measures()])
TOOL = coded("tool", "Tool (each with its child and young-child versions)",
             [(tool, tool) for tool in TOOLS])
PERSON_GROUP = coded("person_group", "Child (under 18) or adult",
                     [(False, "Child"), (True, "Adult")], start=0)
STATUS = coded("status", "Given or not", [("completed", "Completed"),
                                          ("not_administered", "Not administered")])
REASON = coded("reason", "Why not given", NotAdministeredReason.choices)
ITEMS = ("item_1", "item_2", "item_3", "item_4")


def _band_of(born: date | None, on: date, adult: bool) -> str | None:
    """The band on the day; for data imported without dates of birth, only adults' (18+)."""
    if born is not None:
        return band_label(age_band(age_on(born, on)))
    return BAND_KEYS[-1] if adult else None


def _admin_rows(read: _Read):
    """The trial's ORS/SRS records kept, each with the family member's age band on the day."""
    born = dict(read.trial.people.values_list("code", "person__date_of_birth"))
    for record in read.trial.admin_records.order_by("on", "administration_code"):
        if record.practitioner_key not in read.no_admin_data:
            yield record, _band_of(born.get(record.person_key), record.on, record.adult)


def _administrations(read: _Read) -> Table:
    table = Table("administrations", "ORS and SRS records, one a row", [
        ADMINISTRATION, PERSON, AGE_BAND, PERSON_GROUP,
        PRACTITIONER, TEAM,
        Variable("date", "Date of the session", "date"), MEASURE, TOOL,
        *[Variable(item, f"Item {n} (0-10)", "number", allowed="0.0-10.0")
          for n, item in enumerate(ITEMS, start=1)],
        Variable("total", "Total of the four items (0-40)", "number", allowed="0.0-40.0"),
        STATUS, REASON])
    for record, band in _admin_rows(read):
        items = [None if getattr(record, i) is None else float(getattr(record, i))
                 for i in ITEMS]
        # An imported reason outside the service's list is free text: only its code goes.
        reason = (record.reason if REASON.code(record.reason) or not record.reason
                  else "other")
        table.rows.append([
            read.names("administration", record.administration_code),
            read.names("person", record.person_key), AGE_BAND.code(band),
            PERSON_GROUP.code(record.adult),
            read.names("practitioner", record.practitioner_key), record.team_key, record.on,
            MEASURE.code(record.measure), TOOL.code(record.tool), *items,
            None if None in items else round(sum(items), 1), STATUS.code(record.status),
            REASON.code(reason)])
    return table


def _variable_name(code: str, taken: set[str]) -> str:
    """A custom question's code as a name SPSS and Stata take: a letter first, at most
    NAME_LENGTH characters, unlike every other."""
    name = code if code[:1].isalpha() else f"q_{code}"
    name = name[:NAME_LENGTH]
    n = 1
    while name.lower() in taken:
        n += 1
        name = f"{name[:NAME_LENGTH - len(str(n)) - 1]}_{n}"
    taken.add(name.lower())
    return name


def _item(key: str, answers: dict[str, str]) -> float | None:
    try:
        return float(answers.get(key, ""))
    except ValueError:
        return None


def _option(variable: Variable, key: str, answers: dict[str, str]) -> int | None:
    return variable.code(answers.get(key))


def _survey_columns(trial: Trial, taken: set[str]) -> list[tuple[Variable, Callable]]:
    """Each survey column and how it is read from one respondent's answers in one wave: the
    standard measures' items and scores, then the trial's own questions (but not free text)."""
    columns: list[tuple[Variable, Callable]] = []
    for measure in all_survey_measures():
        labels = measure.response_labels or ()
        for item in measure.items:
            values = tuple((measure.scale_min + n, text) for n, text in enumerate(labels))
            columns.append((Variable(item.key, item.label + (" (reversed in scoring)"
                                                              if item.reversed else ""),
                                     "integer", values, f"{measure.scale_min}-"
                                     f"{measure.scale_max}", ordered=True),
                            partial(_item, item.key)))
            taken.add(item.key)
        columns.append((Variable(f"{measure.code}_score", f"{measure.name}: "
                                 f"{measure.scoring} of the items, missing unless all answered",
                                 "number", allowed=f"{measure.score_min}-{measure.score_max}"),
                        partial(_score, measure)))
        taken.add(f"{measure.code}_score")
    for question in queries.custom_questions(trial):
        name = _variable_name(question.question_code, taken)
        label = f"{question.text} ({question.question_code})"
        if question.kind in ("likert", "choice"):
            variable = coded(name, label, [(o, o) for o in question.options],
                             ordered=question.kind == "likert")
            columns.append((variable, partial(_option, variable, question.question_code)))
        elif question.kind == "number":
            columns.append((Variable(name, label, "number"),
                            partial(_item, question.question_code)))
    return columns


def _score(measure: SurveyMeasure, answers: dict[str, str]) -> float | None:
    own = {k: v for k, v in answers.items() if k in set(measure.item_keys)}
    try:
        return score(measure, own).total_or_mean if own else None
    except ValueError:  # an answer off the scale: the measure is not scored
        return None


def _answers(read: _Read) -> dict[tuple[str, str], dict[str, str]]:
    """(practitioner code, wave) -> their non-blank answers, less those withdrawn."""
    answers: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for code, wave, item, value in read.trial.responses.values_list(
            "respondent__practitioner_code", "wave", "item", "value"):
        if code not in read.no_surveys and value.strip():
            answers[(code, wave)][item] = value
    return answers


def _responses(read: _Read) -> Table:
    teams = dict(read.trial.practitioners.values_list("practitioner_code", "team__team_code"))
    columns = _survey_columns(read.trial, {"respondent", "team", "arm", "wave"})
    table = Table("responses", "Survey answers: one row per respondent and wave, one column "
                  "per item", [RESPONDENT,
                               TEAM, ARM, WAVE, *[v for v, _ in columns]])
    waves = [kind for kind, _ in WAVES]
    for (code, wave), answers in sorted(_answers(read).items(),
                                        key=lambda kv: (kv[0][0], waves.index(kv[0][1]))):
        team = teams[code]
        table.rows.append([read.names("practitioner", code), team, ARM.code(read.arms[team]),
                           WAVE.code(wave), *[column(answers) for _, column in columns]])
    return table


def _counts(read: _Read, row: list, counts: list[int], shown: int) -> list:
    """A row of an aggregate table, its last `shown` values (counts, then a percentage)
    blanked when any of `counts` is too small to show."""
    hide = is_disclosive(counts, read.suppress_below)
    return [*row[:len(row) - shown], *([None] * shown if hide else row[len(row) - shown:]),
            SUPPRESSED.code(hide)]


def _response_rates(read: _Read) -> Table:
    """Asked: the team's practitioners not withdrawn from surveys, in each wave asked of the
    team's arm (by the wave's settings here, or, for imported data, because anyone in the arm
    answered)."""
    table = Table("response_rates", "Survey response by team and wave", [
        TEAM, ARM, WAVE, Variable("asked", "Practitioners asked", "integer"),
        Variable("responded", "Practitioners who answered anything", "integer"),
        Variable("pct", "Percentage who answered", "number", allowed="0-100"), SUPPRESSED],
        aggregate=True)
    asked: dict[str, set[str]] = defaultdict(set)
    for code, team in read.trial.practitioners.values_list("practitioner_code",
                                                           "team__team_code"):
        if code not in read.no_surveys:
            asked[team].add(code)
    answered = {(code, wave) for code, wave in _answers(read)}
    arm_of = {code: read.arms[team] for team, codes in asked.items() for code in codes}
    waves_asked = {(arm, w.kind) for w in read.trial.waves.all() for arm in w.arms}
    waves_asked |= {(arm_of[code], wave) for code, wave in answered}
    for team, arm in sorted(read.arms.items()):
        for kind, _ in WAVES:
            if (arm, kind) not in waves_asked:
                continue
            n = len(asked[team])
            k = sum((code, kind) in answered for code in asked[team])
            table.rows.append(_counts(read, [team, ARM.code(arm), WAVE.code(kind), n, k,
                                             100 * k / n if n else None], [n, k, n - k], 3))
    return table


def _reach(read: _Read) -> Table:
    table = Table("reach", "Family members who completed each tool, by team and age band", [
        TEAM, TOOL, AGE_BAND, Variable("people", "Family members with a completion", "integer"),
        SUPPRESSED], aggregate=True)
    people: dict[tuple, set[str]] = defaultdict(set)
    for record, band in _admin_rows(read):
        if record.status == "completed":
            people[(record.team_key, record.tool, band)].add(record.person_key)
    for (team, tool, band), who in sorted(people.items(), key=lambda kv: (
            kv[0][0], kv[0][1], AGE_BAND.code(kv[0][2]) or 0)):
        table.rows.append(_counts(read, [team, TOOL.code(tool), AGE_BAND.code(band), len(who)],
                                  [len(who)], 1))
    return table


# Writing: the one place files are made.

def file_names(tables: Sequence[Table]) -> list[str]:
    return [f"{t.name}.{ext}" for t in tables for ext in FORMATS] + [CODEBOOK]


def write(tables: Sequence[Table], directory: Path, *, force: bool = False) -> list[Path]:
    """Write each table as CSV, .sav and .dta, and the codebook, into directory (made if need
    be). Files already there are refused, naming them, unless force; nothing is written then."""
    directory = Path(directory)
    there = [name for name in file_names(tables) if (directory / name).exists()]
    if there and not force:
        raise ExportError(f"{directory} already holds {', '.join(there)}: nothing was "
                          "written. Choose an empty folder, or replace them with --force")
    directory.mkdir(parents=True, exist_ok=True)
    for table in tables:
        _write_csv(table, directory / f"{table.name}.csv")
        _write_labelled(table, directory)
    _write_codebook(tables, directory / CODEBOOK)
    return [directory / name for name in file_names(tables)]


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return csv_cell(value)


def _write_csv(table: Table, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([v.name for v in table.variables])
        writer.writerows([_csv_value(value) for value in row] for row in table.rows)


def _write_labelled(table: Table, directory: Path) -> None:
    """The .sav and .dta, through pyreadstat (ReadStat), with variable and value labels."""
    import pandas as pd  # pyreadstat's own dependency; loaded only when exporting
    import pyreadstat

    columns = {}
    for n, variable in enumerate(table.variables):
        values = [row[n] for row in table.rows]
        if variable.type == "string":
            columns[variable.name] = pd.Series([v or "" for v in values], dtype=object)
        elif variable.type == "date":
            columns[variable.name] = pd.Series(values, dtype=object)
        else:
            columns[variable.name] = pd.Series(values, dtype="float64")
    frame = pd.DataFrame(columns, columns=[v.name for v in table.variables])
    labels = {v.name: v.label for v in table.variables}
    value_labels = {v.name: dict(v.values) for v in table.variables if v.values}
    pyreadstat.write_sav(frame, directory / f"{table.name}.sav", file_label=table.label,
                         column_labels=labels, variable_value_labels=value_labels,
                         variable_measure={v.name: _level(v) for v in table.variables})
    pyreadstat.write_dta(frame, directory / f"{table.name}.dta", file_label=table.label[:80],
                         column_labels={k: v[:80] for k, v in labels.items()},
                         variable_value_labels=value_labels)


def _level(variable: Variable) -> str:
    if variable.type in ("integer", "number") and not variable.values:
        return "scale"
    return "ordinal" if variable.ordered else "nominal"


def _write_codebook(tables: Sequence[Table], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["table", "table_label", "variable", "label", "type", "allowed_values"])
        for table in tables:
            for v in table.variables:
                allowed = "; ".join(f"{n} = {text}" for n, text in v.values) or v.allowed
                writer.writerow([csv_cell(cell) for cell in (
                    table.name, table.label, v.name, v.label, v.type, allowed)])


def zip_folder(directory: Path, names: Iterable[str]) -> bytes:
    """The written files as one zip, for a download."""
    from io import BytesIO

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.write(directory / name, name)
    return buffer.getvalue()
