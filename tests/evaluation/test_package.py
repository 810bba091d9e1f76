"""The evaluation data package (docs/formats/evaluation-package.md), through the commands and on
real files: import, dry run, idempotence, refusal of differing data, export and the round trip,
and every validation rule with its exact message."""

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import models

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.evaluation import package_io, package_read
from familyfeedback.evaluation.models import Trial, TrialPractitioner, TrialTeam

pytestmark = pytest.mark.django_db

# The format's own example, kept in the repository so a clean clone runs every test.
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "formats" / "example-package"

SMALL = {
    "teams.csv": """\
team_id,team_name,unit_id,arm,note
I1,North,U1,intervention,shared a manager
I2,East,U1,intervention,shared a manager
C1,South,,comparison,
""",
    "practitioners.csv": """\
practitioner_id,team_id,role,years_in_service,qualification_level
P1,I1,team_manager,10,6
P2,I2,fsw,2.5,
P3,C1,senior_fsw,,3
""",
    "training.csv": """\
practitioner_id,event_id,event_type,date,attended,absence_reason
P1,E1,part_1,2022-10-04,yes,
P1,E2,part_2,2022-10-11,no,Illness
P1,M1,mop_up,2022-10-27,yes,
""",
    "questions.csv": """\
question_id,wave,text,kind,options
prev_ors,baseline,Have you used the ORS before?,choice,Yes|No
ease,endline,Using the tools was,likert,Harder|Neither|Easier
hours,endline,Hours a week with families,number,
comments,endline,Anything else?,text,
""",
    "responses.csv": """\
respondent_id,wave,item,value
P1,baseline,prev_ors,Yes
P1,baseline,wai_1,4
P1,baseline,wai_4,7.0
P1,endline,ease,Easier
P1,endline,hours,12.5
P1,endline,comments,"Good, ""mostly"" so far"
P3,post_training,iam_ors_1,5
P3,endline,comments,
""",
    "administrations.csv": """\
administration_id,person_id,person_group,practitioner_id,date,measure,item_1,item_2,item_3,\
item_4,status,reason,source_system
A1,F1,adult,P1,2022-11-03,ORS,3.7,10,0.0,5.5,completed,,X
A2,F2,child,P2,2022-11-04,YCSRS,,,,,completed,,X
A3,F1,adult,P1,2022-11-10,SRS,,,,,not_administered,Family in crisis,X
""",
}
# Rows each table holds after importing SMALL: the blank comment is an unanswered item.
SMALL_COUNTS = {"teams.csv": 3, "practitioners.csv": 3, "training.csv": 3, "questions.csv": 4,
                "responses.csv": 7, "administrations.csv": 3}


def write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def small(tmp_path: Path, **changes: tuple[str, str]) -> Path:
    """SMALL with, per file (teams=...), one (old, new) text replacement."""
    files = dict(SMALL)
    for stem, (old, new) in changes.items():
        name = f"{stem}.csv"
        assert old in files[name], old
        files[name] = files[name].replace(old, new, 1)
    return write(tmp_path / "package", files)


def run_import(directory: Path, trial: str = "Pilot", *, dry_run: bool = False) -> str:
    args = ["--dry-run"] if dry_run else []
    out = _Capture()
    call_command("import_evaluation", str(directory), "--trial", trial, *args, stdout=out)
    return out.text


def failed_import(directory: Path, trial: str = "Pilot", *, dry_run: bool = False) -> list[str]:
    args = ["--dry-run"] if dry_run else []
    err = _Capture()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_evaluation", str(directory), "--trial", trial, *args, stderr=err)
    return err.text.splitlines()


class _Capture:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def tables(trial: Trial) -> dict[str, list[tuple]]:
    """Every field of every package table, sorted, with references by natural key, not id."""
    snapshot = {}
    for table in package_read.TABLES:
        lookups = []
        for f in table.model._meta.concrete_fields:
            if f.name in ("id", "trial"):
                continue
            if isinstance(f, models.ForeignKey) and f.related_model is TrialTeam:
                lookups.append(f"{f.name}__team_code")
            elif isinstance(f, models.ForeignKey) and f.related_model is TrialPractitioner:
                lookups.append(f"{f.name}__practitioner_code")
            else:
                lookups.append(f.name)
        rows = table.model.objects.filter(trial=trial).values_list(*lookups)
        snapshot[table.file] = sorted(rows, key=repr)
    return snapshot


def nothing_imported() -> bool:
    return not Trial.objects.exists() and not AuditEntry.objects.exists()


# The format's example package


def test_the_example_package_imports_every_row():
    output = run_import(EXAMPLE)
    trial = Trial.objects.get(name="Pilot")
    for table in package_read.TABLES:
        with (EXAMPLE / table.file).open(encoding="utf-8", newline="") as handle:
            rows = len(list(csv.DictReader(handle)))
        assert table.model.objects.filter(trial=trial).count() == rows, table.file
        assert f"{table.file}: {rows}" in output
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == ("evaluation.import", None, trial.pk)
    assert entry.changes["new_trial"] is True
    assert entry.changes["added"]["responses"] == trial.responses.count()


def test_importing_the_example_twice_changes_nothing():
    run_import(EXAMPLE)
    trial = Trial.objects.get()
    before = tables(trial)
    assert "Nothing changed" in run_import(EXAMPLE)
    assert tables(trial) == before
    assert Trial.objects.count() == 1 and AuditEntry.objects.count() == 1


def test_a_dry_run_of_the_example_imports_nothing():
    output = run_import(EXAMPLE, dry_run=True)
    assert "nothing imported" in output and "responses.csv: 1612" in output
    assert nothing_imported()


def test_the_example_survives_import_export_import(tmp_path):
    run_import(EXAMPLE, "First")
    call_command("export_evaluation", str(tmp_path / "out"), "--trial", "First", stdout=_Capture())
    run_import(tmp_path / "out", "Second")
    first, second = Trial.objects.get(name="First"), Trial.objects.get(name="Second")
    assert tables(first) == tables(second)
    assert all(tables(first).values())
    # The export of the copy is the export of the original, byte for byte.
    call_command("export_evaluation", str(tmp_path / "again"), "--trial", "Second",
                 stdout=_Capture())
    for file in package_read.FILES:
        assert (tmp_path / "out" / file).read_bytes() == (tmp_path / "again" / file).read_bytes()


def test_the_export_keeps_the_formats_columns_and_cells(tmp_path):
    run_import(EXAMPLE)
    package_io.export_package(Trial.objects.get(), tmp_path)
    for file in ("teams.csv", "training.csv", "questions.csv", "responses.csv",
                 "administrations.csv"):
        original = sorted((EXAMPLE / file).read_text(encoding="utf-8").splitlines()[1:])
        exported = (tmp_path / file).read_text(encoding="utf-8").splitlines()
        assert exported[0] == (EXAMPLE / file).read_text(encoding="utf-8").splitlines()[0]
        assert sorted(exported[1:]) == original, file


# A small package built here, so each rule is tested on a few rows worked out by hand


def test_a_small_package_imports_and_a_second_import_changes_nothing(tmp_path):
    directory = small(tmp_path)
    run_import(directory)
    trial = Trial.objects.get()
    assert {file: len(rows) for file, rows in tables(trial).items()} == SMALL_COUNTS
    record = trial.admin_records.get(administration_code="A1")
    assert (record.adult, record.tool, record.team_key, record.practitioner.practitioner_code,
            str(record.item_2)) == (True, "ORS", "I1", "P1", "10.0")
    assert trial.admin_records.get(administration_code="A2").tool == "SRS"
    assert trial.responses.get(item="wai_4").value == "7"  # the raw answer, not reversed
    assert trial.practitioners.get(practitioner_code="P2").years_in_service == 2.5
    assert trial.custom_questions.get(question_code="ease").options == ["Harder", "Neither",
                                                                      "Easier"]
    before = tables(trial)
    assert "Nothing changed" in run_import(directory)
    assert tables(trial) == before and AuditEntry.objects.count() == 1


def test_a_dry_run_checks_and_imports_nothing(tmp_path):
    output = run_import(small(tmp_path), dry_run=True)
    assert "would add" in output and "teams.csv: 3" in output
    assert nothing_imported()
    lines = failed_import(small(tmp_path, teams=("I1,N", "I9,N")), dry_run=True)
    assert "practitioners.csv:2: team_id: I1 is not a team_id in teams.csv" in lines
    assert nothing_imported()


def test_a_small_package_survives_import_export_import(tmp_path):
    run_import(small(tmp_path), "First")
    package_io.export_package(Trial.objects.get(name="First"), tmp_path / "out")
    run_import(tmp_path / "out", "Second")
    assert tables(Trial.objects.get(name="First")) == tables(Trial.objects.get(name="Second"))
    exported = (tmp_path / "out" / "practitioners.csv").read_text(encoding="utf-8")
    assert exported.splitlines()[:3] == [
        "practitioner_id,team_id,role,years_in_service,years_practising,qualification_level,"
        "hours_per_week,families_supported",
        "P1,I1,team_manager,10,,6,,",
        "P2,I2,fsw,2.5,,,,",
    ]
    administrations = (tmp_path / "out" / "administrations.csv").read_text(encoding="utf-8")
    assert "A1,F1,adult,P1,2022-11-03,ORS,3.7,10.0,0.0,5.5,completed," in administrations
    assert AuditEntry.objects.filter(action="evaluation.export").count() == 1


def test_a_package_may_add_rows_to_a_trial(tmp_path):
    run_import(small(tmp_path / "a", teams=("C1,South,,comparison,\n", "")
                     , practitioners=("P3,C1,senior_fsw,,3\n", ""),
                     responses=("P3,post_training,iam_ors_1,5\nP3,endline,comments,\n", "")))
    output = run_import(small(tmp_path / "b"))
    assert "teams.csv: 1, practitioners.csv: 1, training.csv: 0" in output
    assert {f: len(r) for f, r in tables(Trial.objects.get()).items()} == SMALL_COUNTS
    assert AuditEntry.objects.count() == 2


def test_different_data_for_the_same_keys_is_refused_and_nothing_changes(tmp_path):
    run_import(small(tmp_path / "a"))
    trial = Trial.objects.get()
    before = tables(trial)
    changed = small(tmp_path / "b", teams=("C1,South,,comparison", "C1,South,,intervention"),
                    responses=("P1,baseline,wai_1,4", "P1,baseline,wai_1,5"),
                    administrations=("A1,F1,adult,P1,2022-11-03,ORS,3.7",
                                     "A1,F1,adult,P1,2022-11-03,ORS,3.8"),
                    training=("P1,E1,part_1,2022-10-04,yes", "P1,E1,part_1,2022-10-05,yes"))
    # A new row beside the changed ones is not imported either.
    (changed / "teams.csv").write_text(SMALL["teams.csv"].replace("comparison", "intervention")
                                       + "C2,West,,comparison\n", encoding="utf-8")
    assert failed_import(changed) == [
        "teams.csv:4: arm: trial Pilot already has comparison here, not intervention",
        "training.csv:2: date: trial Pilot already has 2022-10-04 here, not 2022-10-05",
        "responses.csv:3: value: trial Pilot already has 4 here, not 5",
        "administrations.csv:2: item_1: trial Pilot already has 3.7 here, not 3.8",
    ]
    assert tables(trial) == before and AuditEntry.objects.count() == 1
    assert not trial.teams.filter(team_code="C2").exists()


def test_every_problem_is_listed_in_file_and_line_order(tmp_path):
    directory = small(tmp_path, teams=("I2,East,U1,intervention", "I2,,U1,intervention"),
                      responses=("P1,endline,hours,12.5", "P1,endline,hours,lots"),
                      training=("P1,E2,part_2,2022-10-11,no", "P1,E2,part_9,2022-10-11,maybe"))
    assert failed_import(directory) == [
        "teams.csv:3: team_name: is blank",
        "training.csv:3: event_type: part_9 is not one of part_1, part_2 or mop_up",
        "training.csv:3: attended: maybe is not one of yes or no",
        "responses.csv:6: value: lots is not a number",
    ]
    assert nothing_imported()


def test_unknown_columns_a_byte_order_mark_and_left_out_optional_columns_are_fine(tmp_path):
    directory = small(tmp_path, training=("date,attended,absence_reason", "date,attended"))
    for name in ("teams.csv", "training.csv"):
        text = (directory / name).read_text(encoding="utf-8")
        (directory / name).write_text("\ufeff" + text.replace(",Illness", ""), encoding="utf-8")
    run_import(directory)
    assert Trial.objects.get().training.count() == 3


RULES = [
    # (file to change, (old, new), the problem listed)
    ("teams", ("comparison,\n", "comparison,\nI1,Again,,comparison,\n"),
     "teams.csv:5: team_id: I1 is already used on line 2"),
    ("teams", ("comparison,\n", "comparison,\n,Nameless,,comparison,\n"),
     "teams.csv:5: team_id: is blank"),
    ("teams", ("C1,South,,comparison", "C1,South,,control"),
     "teams.csv:4: arm: control is not one of intervention, comparison or blank"),
    ("teams", ("I2,East,U1,intervention", "I2,East,U1,comparison"),
     "teams.csv:3: arm: unit U1 is intervention on line 2 but comparison here"),
    ("practitioners", ("senior_fsw,,3\n", "senior_fsw,,3\nP1,I1,fsw,,\n"),
     "practitioners.csv:5: practitioner_id: P1 is already used on line 2"),
    ("practitioners", ("P2,I2", "P2,X9"),
     "practitioners.csv:3: team_id: X9 is not a team_id in teams.csv"),
    ("practitioners", ("P2,I2,fsw", "P2,I2,manager"),
     "practitioners.csv:3: role: manager is not one of senior_fsw, fsw, senior_practitioner, "
     "team_manager or other"),
    ("practitioners", ("team_manager,10,6", "team_manager,10,9"),
     "practitioners.csv:2: qualification_level: 9 is not a whole number from 1 to 8"),
    ("practitioners", ("team_manager,10,6", "team_manager,ten,6"),
     "practitioners.csv:2: years_in_service: ten is not a number of 0 or more"),
    ("training", ("P1,E2", "P9,E2"),
     "training.csv:3: practitioner_id: P9 is not a practitioner_id in practitioners.csv"),
    ("training", ("P1,E2,part_2", "P1,E1,part_2"),
     "training.csv:3: event_id: P1 is already listed at E1 on line 2"),
    ("training", ("mop_up,2022-10-27", "mop-up,2022-10-27"),
     "training.csv:4: event_type: mop-up is not one of part_1, part_2 or mop_up"),
    ("training", ("2022-10-27", "27/10/2022"),
     "training.csv:4: date: 27/10/2022 is not a date like 2022-11-03"),
    ("training", ("2022-10-27,yes", "2022-10-27,Y"),
     "training.csv:4: attended: Y is not one of yes or no"),
    ("questions", ("else?,text,\n", "else?,text,\nease,endline,Again,text,\n"),
     "questions.csv:6: question_id: ease is already used on line 3"),
    ("questions", ("else?,text,\n", "else?,text,\nwai_1,endline,Again,text,\n"),
     "questions.csv:6: question_id: wai_1 is a standard measure item"),
    ("questions", ("hours,endline", "hours,midline"),
     "questions.csv:4: wave: midline is not one of baseline, post_training or endline"),
    ("questions", ("families,number,", "families,slider,"),
     "questions.csv:4: kind: slider is not one of likert, choice, number or text"),
    ("questions", ("Yes|No", "Yes"),
     "questions.csv:2: options: a choice question needs at least two options separated by |"),
    ("questions", ("Harder|Neither|Easier", "Harder||Easier"),
     "questions.csv:3: options: an option is blank"),
    ("questions", ("families,number,", "families,number,1|2"),
     "questions.csv:4: options: must be blank for a number question"),
    ("responses", ("P3,post_training", "P9,post_training"),
     "responses.csv:8: respondent_id: P9 is not a practitioner_id in practitioners.csv"),
    ("responses", ("P3,post_training", "P3,follow_up"),
     "responses.csv:8: wave: follow_up is not one of baseline, post_training or endline"),
    ("responses", ("P1,baseline,prev_ors,Yes", "P1,baseline,prev_srs,Yes"),
     "responses.csv:2: item: prev_srs is neither a question_id in questions.csv nor a standard "
     "measure item"),
    ("responses", ("P1,baseline,prev_ors,Yes", "P1,endline,prev_ors,Yes"),
     "responses.csv:2: item: prev_ors is a question of the baseline wave, not the endline wave"),
    ("responses", ("prev_ors,Yes", "prev_ors,yes"),
     "responses.csv:2: value: yes is not one of the options of prev_ors: Yes | No"),
    ("responses", ("ease,Easier", "ease,Much easier"),
     "responses.csv:5: value: Much easier is not one of the options of ease: "
     "Harder | Neither | Easier"),
    ("responses", ("hours,12.5", "hours,12 or so"),
     "responses.csv:6: value: 12 or so is not a number"),
    ("responses", ("wai_1,4", "wai_1,8"),
     "responses.csv:3: value: wai_1 (item 1 of working alliance) must be a whole number from 1 "
     "to 7, not 8"),
    ("responses", ("iam_ors_1,5", "iam_ors_1,4.5"),
     "responses.csv:8: value: iam_ors_1 (item 1 of appropriateness of the ORS) must be a whole "
     "number from 1 to 5, not 4.5"),
    ("responses", ("P1,baseline,wai_4,7.0", "P1,baseline,wai_1,7"),
     "responses.csv:4: item: P1 already answered wai_1 in the baseline wave on line 3"),
    ("administrations", ("A2,F2,child,P2", "A2,F2,child,P9"),
     "administrations.csv:3: practitioner_id: P9 is not a practitioner_id in practitioners.csv"),
    ("administrations", ("A2,F2", "A1,F2"),
     "administrations.csv:3: administration_id: A1 is already used on line 2"),
    ("administrations", ("ORS,3.7", "ORS,10.1"), None),
    ("administrations", ("2022-11-04,YCSRS", "2022-11-04,KIDS"),
     "administrations.csv:3: measure: KIDS is not one of ORS, CORS, YCORS, SRS, CSRS, YCSRS"),
    ("administrations", ("2022-11-04", "4 Nov 2022"),
     "administrations.csv:3: date: 4 Nov 2022 is not a date like 2022-11-03"),
    ("administrations", ("child,P2", "teen,P2"),
     "administrations.csv:3: person_group: must be child or adult"),
    ("administrations", ("not_administered,Family", "done,Family"),
     "administrations.csv:4: status: must be completed or not_administered"),
]


@pytest.mark.parametrize(("stem", "change", "expected"), RULES,
                         ids=[f"{r[0]}:{r[2] or r[1][1]}" for r in RULES])
def test_each_rule_lists_its_problem_and_imports_nothing(tmp_path, stem, change, expected):
    directory = small(tmp_path, **{stem: change})
    lines = failed_import(directory)
    if expected is None:  # the administrations reader's own wording, reused as it is
        assert len(lines) == 1 and lines[0].startswith("administrations.csv:2: item_1: ")
    else:
        assert lines == [expected]
    assert nothing_imported()


def test_a_missing_file_or_column_is_listed(tmp_path):
    directory = small(tmp_path, questions=("question_id,wave,text,kind,options",
                                           "question_id,wave,text,type,options"))
    (directory / "training.csv").unlink()
    assert failed_import(directory) == [
        "training.csv:1: (file): is missing: a package has all six files, one with no rows just "
        "its header row",
        # The questions could not be read, so answers to them are not each reported as unknown.
        "questions.csv:1: kind: column is missing from the header",
    ]
    assert nothing_imported()


def test_a_file_that_is_not_utf8_is_listed(tmp_path):
    directory = small(tmp_path)
    (directory / "teams.csv").write_bytes(SMALL["teams.csv"].replace("South", "Süd")
                                          .encode("latin-1"))
    assert "teams.csv:1: (file): is not UTF-8 text" in failed_import(directory)
    assert nothing_imported()


def test_export_needs_an_existing_trial(tmp_path):
    with pytest.raises(CommandError, match="no trial called Nope"):
        call_command("export_evaluation", str(tmp_path), "--trial", "Nope")
