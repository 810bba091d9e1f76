"""Spreadsheet formula injection: whatever a person typed, every CSV and XLSX the product writes
opens in Excel or LibreOffice as text, never as a formula (OWASP's CSV injection advice), while
numbers stay numbers and the evaluation package still makes an exact round trip."""

import csv
import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from familyfeedback.accounts.models import Role
from familyfeedback.evaluation import actions, analysis
from familyfeedback.evaluation.models import Response, Trial
from familyfeedback.lib import spreadsheet
from tests import factories

ATTACK = '=HYPERLINK("http://x","y")'


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("text", [ATTACK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1", "'=already quoted", "'", "-inf"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert spreadsheet.csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-1.5", "+2", "-0.25", "1e-3", "-3E5", -1.5, 7, "Good",
                                   "a=b", "", None])
def test_numbers_and_plain_text_are_written_as_they_are(value):
    assert spreadsheet.csv_cell(value) == value


@given(st.text())
def test_reading_a_cell_gives_back_exactly_what_was_written(text):
    assert spreadsheet.read_csv_cell(spreadsheet.csv_cell(text)) == text


def test_a_survey_answer_goes_through_the_export_as_text_and_comes_back_exact(world, tmp_path):
    trial = actions.create_trial(world.evaluator, name="Pilot")
    actions.set_teams(world.evaluator, trial, {world.team: "", world.other_team: ""})
    actions.randomise(world.evaluator, trial, method="simple", seed=5, ratio=(1, 1))
    wave = actions.open_wave(world.evaluator, trial, "endline")
    actions.add_question(world.evaluator, trial, question_id="comments", wave="endline",
                         text="Anything else?", kind="text", options=[])
    actions.add_question(world.evaluator, trial, question_id="change", wave="endline",
                         text="Change in hours a week", kind="number", options=[])
    respondent = trial.practitioners.order_by("practitioner_code").first()
    actions.save_answers(respondent, wave, {"comments": ATTACK, "change": "-1.5"})

    call_command("export_evaluation", str(tmp_path / "out"), "--trial", "Pilot",
                 stdout=StringIO())
    cells = {row[2]: row[3] for row in read_csv(tmp_path / "out" / "responses.csv")[1:]}
    assert cells == {"comments": "'" + ATTACK, "change": "-1.5"}

    call_command("import_evaluation", str(tmp_path / "out"), "--trial", "Copy",
                 stdout=StringIO())
    copy = Trial.objects.get(name="Copy")
    assert dict(Response.objects.filter(trial=copy).values_list("item", "value")) == {
        "comments": ATTACK, "change": "-1.5"}
    assert analysis.report(copy) == analysis.report(trial)


def test_a_dashboard_download_writes_a_team_name_as_text(world, client):
    world.team.name = ATTACK
    world.team.save()
    factories.session(world.practitioner, world.family,
                      timezone.localdate() - timedelta(days=3))
    client.force_login(factories.user("data@example.test", Role.DATA_TEAM))

    download = client.get(reverse("dashboard_download", kwargs={"key": "usage", "kind": "csv"}))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    ours = next(row for row in rows if ATTACK in row[0])
    assert ours[0] == "'" + ATTACK
    assert all(cell.isdigit() for cell in ours[2:])

    xlsx = client.get(reverse("dashboard_download", kwargs={"key": "usage", "kind": "xlsx"}))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == ATTACK)
    # A text cell with Excel's own quote prefix: shown as typed, never worked out.
    assert cells[0].data_type == "s" and cells[0].quotePrefix
    assert [c.data_type for c in cells[2:]] == ["n"] * 4


def test_score_file_writes_a_person_id_as_text(tmp_path):
    path = tmp_path / "administrations.csv"
    path.write_text(
        "administration_id,person_id,person_group,practitioner_id,date,measure,item_1,item_2,"
        "item_3,item_4,status,reason\n"
        f'A1,"{ATTACK.replace(chr(34), chr(34) * 2)}",adult,W1,2023-01-05,ORS,7,7,7,7,'
        "completed,\n"
        f'A2,"{ATTACK.replace(chr(34), chr(34) * 2)}",adult,W1,2023-02-05,ORS,5,5,5,5,'
        "completed,\n")
    out = StringIO()
    call_command("score_file", str(path), "--format", "csv", stdout=out)
    row = dict(zip(*list(csv.reader(io.StringIO(out.getvalue()))), strict=True))
    assert row["person_id"] == "'" + ATTACK
    assert row["change"] == "-8.0"
