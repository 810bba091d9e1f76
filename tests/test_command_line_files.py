"""The importers on the command line (and load_text_pack, which reads a file too), given files
no one meant to give them: a short row, a folder, a cell too long for the CSV reader, a package
without practitioners.csv. Each refuses with `file:line: column: what` and a non-zero exit, never
a traceback, and never prints the control characters of what it quotes."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.evaluation.test_package import SMALL, failed_import, write

ROOT = Path(__file__).resolve().parents[1]
SCORE_HEADER = ("administration_id,person_id,person_group,practitioner_id,date,measure,"
                "item_1,item_2,item_3,item_4,status,reason\n")
HISTORY_HEADER = ("case_reference,person_reference,date_of_birth,practitioner_email,date,"
                  "measure,item_1,item_2,item_3,item_4,status,reason\n")
GOOD_ROW = "A1,P1,adult,W1,2023-01-05,ORS,3,3,3,3,completed,\n"
HUGE = "x" * 131_073


def manage(tmp_path, *args) -> subprocess.CompletedProcess:
    """manage.py as a person runs it, with a database and var/ of its own."""
    env = {**os.environ, "FF_VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": "x" * 50,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)


def refused(command: str, path, *args) -> list[str]:
    """What the command listed on standard error before refusing."""
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(command, str(path), *args, stdout=StringIO(), stderr=err)
    return [*err.getvalue().splitlines(), str(raised.value)]


# score_file


def test_a_row_shorter_than_its_header_is_named_by_line_and_column(tmp_path):
    path = tmp_path / "administrations.csv"
    path.write_text(SCORE_HEADER + GOOD_ROW + "A2,P1,adult\n")
    result = manage(tmp_path, "score_file", "administrations.csv")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert ("administrations.csv:3: practitioner_id: is missing: the row has 3 cells and the "
            "header 12") in result.stderr.splitlines()


@pytest.mark.parametrize(("command", "what"), [("score_file", "a CSV file"),
                                               ("import_history", "a CSV file"),
                                               ("load_text_pack", "a JSON file")])
def test_a_folder_given_as_the_file_is_refused(tmp_path, command, what):
    (tmp_path / "exports").mkdir()
    result = manage(tmp_path, command, "exports")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"exports is a folder, not {what}" in result.stderr


def test_a_cell_too_long_for_the_reader_is_named_in_score_file(tmp_path):
    path = tmp_path / "administrations.csv"
    path.write_text(SCORE_HEADER + GOOD_ROW + f"A2,{HUGE},adult,W1,2023-01-05,ORS,3,3,3,3,"
                                              "completed,\n")
    result = manage(tmp_path, "score_file", "administrations.csv")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert ("administrations.csv:3: (row): a cell is longer than 131072 characters, the most "
            "a cell may hold; the file was read no further") in result.stderr.splitlines()


def test_control_characters_in_a_file_are_escaped_in_messages(tmp_path):
    path = tmp_path / "administrations.csv"
    path.write_text(SCORE_HEADER + "A1,P1,adult,W1,\x1b[31m2023\u202e,ORS,3,3,3,3,completed,\n")
    result = manage(tmp_path, "score_file", "administrations.csv")
    assert result.returncode != 0
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert ("administrations.csv:2: date: \\x1b[31m2023\\u202e is not a date like 2022-11-03"
            in result.stderr.splitlines())


def test_control_characters_in_a_file_name_are_escaped(tmp_path):
    result = manage(tmp_path, "score_file", "no\x1bsuch.csv")
    assert result.returncode != 0
    assert "\x1b" not in result.stderr
    assert "No file at no\\x1bsuch.csv" in result.stderr


# import_history


def test_a_cell_too_long_for_the_reader_is_named_in_import_history(tmp_path, db,
                                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("history.csv").write_text(
        HISTORY_HEADER + f"CASE-1,P1,1990-01-01,pat@example.test,2023-01-05,ORS,{HUGE},3,3,3,"
                         "completed,\n")
    assert refused("import_history", "history.csv") == [
        "history.csv:2: (row): a cell is longer than 131072 characters, the most a cell may "
        "hold; the file was read no further",
        "1 problem in history.csv: nothing imported. Fix them and run the import again."]


def test_import_history_names_the_file_in_each_problem(tmp_path, db, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("history.csv").write_text(HISTORY_HEADER + "CASE-1,P1\n")
    problems = refused("import_history", "history.csv")
    assert problems[0] == ("history.csv:2: date_of_birth: is missing: the row has 2 cells and "
                           "the header 12")


# import_evaluation


def test_a_package_without_practitioners_is_refused_not_a_crash(tmp_path, db):
    files = {name: text for name, text in SMALL.items() if name != "practitioners.csv"}
    directory = write(tmp_path / "package", files)
    problems = failed_import(directory)
    assert problems[0] == ("practitioners.csv:1: (file): is missing: a package has all six "
                           "files, one with no rows just its header row")


def test_a_folder_in_place_of_a_package_file_is_refused(tmp_path, db):
    directory = write(tmp_path / "package", SMALL)
    (directory / "teams.csv").unlink()
    (directory / "teams.csv").mkdir()
    assert "teams.csv:1: (file): is a folder, not a CSV file" in failed_import(directory)


def test_a_cell_too_long_for_the_reader_is_named_in_a_package(tmp_path, db):
    files = dict(SMALL)
    files["questions.csv"] += f"long,endline,{HUGE},text,\n"
    files["administrations.csv"] += f"A4,{HUGE},adult,P1,2022-11-03,ORS,1,1,1,1,completed,,X\n"
    directory = write(tmp_path / "package", files)
    problems = failed_import(directory)
    too_long = ("(row): a cell is longer than 131072 characters, the most a cell may hold; the "
                "file was read no further")
    assert f"questions.csv:6: {too_long}" in problems
    assert f"administrations.csv:5: {too_long}" in problems


def test_a_file_given_as_the_package_folder_is_refused(tmp_path, db):
    (tmp_path / "teams.csv").write_text(SMALL["teams.csv"])
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import_evaluation", str(tmp_path / "teams.csv"), "--trial", "Pilot",
                     stdout=StringIO(), stderr=StringIO())


def test_control_characters_in_a_package_are_escaped(tmp_path, db):
    directory = write(tmp_path / "package", {
        **SMALL, "teams.csv": SMALL["teams.csv"].replace("intervention,shared",
                                                         "interv\x07ention,shared", 1)})
    problems = failed_import(directory)
    assert not any("\x07" in line for line in problems)
    assert ("teams.csv:2: arm: interv\\x07ention is not one of intervention, comparison or blank"
            in problems)


def test_a_cut_off_row_in_a_package_is_named_and_a_left_out_note_is_not(tmp_path, db):
    # teams.csv has a note column no one reads: a row may leave it out, but not the arm.
    files = {**SMALL, "teams.csv": SMALL["teams.csv"] + "C2,West,,comparison\nC3,North\n"}
    problems = failed_import(write(tmp_path / "package", files))
    assert [p for p in problems if p.startswith("teams.csv")] == [
        "teams.csv:6: unit_id: is missing: the row has 2 cells and the header 5"]
