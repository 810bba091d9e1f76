"""The evaluation report: every table and figure of a small trial against values worked out by
hand, the evaluator's sections and quotes through their pages, the PDF's text, the command's
files and refusals, and the format's example package."""

import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.evaluation import package_io
from familyfeedback.evaluation.models import Coding, Document, Theme, Trial
from familyfeedback.evaluation.report import output, presenter, reading
from tests.edit_pages import opened
from tests.evaluation.test_package import EXAMPLE, write

pytestmark = pytest.mark.django_db


REVERSED = (4, 10)  # the working alliance's reversed items, scored 8 - x


def wai(pid: str, wave: str, value: int, *, highest: bool = False) -> str:
    """Every item `value`; `highest`: every item at its best (the reversed ones at 1)."""
    return "".join(f"{pid},{wave},wai_{i},{8 - value if highest and i in REVERSED else value}\n"
                   for i in range(1, 13))


SMALL = {
    "teams.csv": "team_id,team_name,unit_id,arm\nI1,North,U1,intervention\n"
                 "C1,South,U2,comparison\n",
    "practitioners.csv": "practitioner_id,team_id,role\nP1,I1,fsw\nP2,I1,senior_fsw\n"
                         "P3,C1,fsw\nP4,C1,fsw\n",
    "training.csv": "practitioner_id,event_id,event_type,date,attended,absence_reason\n"
                    "P1,E1,part_1,2022-10-04,yes,\nP1,E2,part_2,2022-10-11,yes,\nP2,E1,part_1,2022-10-04,no,Illness\n",
    "questions.csv": "question_id,wave,text,kind,options\n"
                     "engagement,endline,How engaged were families?,likert,Not engaged|Engaged\n",
    "responses.csv": "respondent_id,wave,item,value\n" + wai("P1", "baseline", 5)
                     + wai("P2", "baseline", 4) + wai("P3", "baseline", 3)
                     + wai("P1", "endline", 6) + wai("P3", "endline", 7, highest=True)
                     + "P1,endline,engagement,Engaged\n",
    "administrations.csv": "administration_id,person_id,person_group,practitioner_id,date,"
                           "measure,item_1,item_2,item_3,item_4,status,reason\n"
                           "A1,F1,child,P1,2022-11-03,ORS,5,5,5,5,completed,\n"
                           "A2,F1,child,P1,2022-11-03,SRS,9,9,9,9,completed,\n"
                           "A3,F2,adult,P1,2022-12-01,ORS,4,4,4,4,completed,\n",
}


@pytest.fixture
def small(tmp_path) -> Trial:
    trial, _ = package_io.load(write(tmp_path / "small", SMALL), "Small")
    return trial


def rows_of(report: dict, label: str) -> list[list]:
    for part in [*report["methods_tables"],
                 *[p for c in report["chapters"] for s in c["sections"] for p in s["parts"]]]:
        if part["label"] == label:
            return part["rows"] if part["kind"] == "table" else part["table"]["rows"]
    raise AssertionError(f"no {label}")


def section(report: dict, number: str) -> dict:
    return next(s for c in report["chapters"] for s in c["sections"] if s["number"] == number)


def test_every_table_and_figure_of_a_small_trial_is_as_worked_out_by_hand(small):
    report = presenter.build(reading.read(small))
    assert rows_of(report, "Table 2.1") == [
        ["Intervention", "North", "Yes", "Yes", "Yes", "Not asked", "Yes", "No"],
        ["Comparison", "South", "Yes", "No", "No", "Not asked", "Yes", "No"]]
    assert rows_of(report, "Table 2.2") == [
        ["Intervention", "North", 2, "2 of 2 (100.0%)", "–", "1 of 2 (50.0%)"],
        ["Intervention", "Total", 2, "2 of 2 (100.0%)", "–", "1 of 2 (50.0%)"],
        ["Comparison", "South", 2, "1 of 2 (50.0%)", "–", "1 of 2 (50.0%)"],
        ["Comparison", "Total", 2, "1 of 2 (50.0%)", "–", "1 of 2 (50.0%)"]]
    # 1.1: no frequency question in this trial, so the usage figure is its first part.
    assert [p["label"] for p in section(report, "1.1")["parts"]] == ["Figure 3.1"]
    usage = section(report, "1.1")["parts"][0]
    assert usage["table"]["rows"] == [["Nov 2022", 1, 1, 1, 1], ["Dec 2022", 1, 1, 0, 0]]
    assert [b.value for b in usage["chart"].bars] == [1, 1, 1, 0]
    assert rows_of(report, "Table 3.1") == [
        ["In the intervention arm", 1, 1, 2], ["Attended the training", 1, 0, 1],
        ["Used the ORS and SRS", 1, 0, 1]]
    reach = section(report, "1.4")["parts"][1]
    assert reach["table"]["rows"] == [["ORS", 1, 1, "1.0", "1 to 1"],
                                      ["SRS", 1, 0, "1.0", "1 to 1"]]
    assert [b.value for b in reach["chart"].bars] == [1, 1, 1, 0]
    assert rows_of(report, "Table 3.2") == [["Not engaged", 0, "0.0"], ["Engaged", 1, "100.0"]]
    # Working alliance, scored by hand: goal and task are three items and one reversed
    # (2v + 8 for every item v), bond four items (4v), the total 8v + 16; P3's endline is the
    # highest possible in every domain.
    assert rows_of(report, "Table 3.3") == [
        ["Goal (out of 28)", "17.0 (1.4), n = 2", "20.0 (–), n = 1", "14.0 (–), n = 1",
         "28.0 (–), n = 1"],
        ["Task (out of 28)", "17.0 (1.4), n = 2", "20.0 (–), n = 1", "14.0 (–), n = 1",
         "28.0 (–), n = 1"],
        ["Bond (out of 28)", "18.0 (2.8), n = 2", "24.0 (–), n = 1", "12.0 (–), n = 1",
         "28.0 (–), n = 1"],
        ["Total (out of 84)", "52.0 (5.7), n = 2", "64.0 (–), n = 1", "40.0 (–), n = 1",
         "84.0 (–), n = 1"]]
    assert rows_of(report, "Table 3.4") == [
        ["Working alliance", "Intervention", 1, "8.00", "– to –", "–", "–"],
        ["Working alliance", "Comparison", 1, "44.00", "– to –", "–", "–"],
        ["Working alliance", "Intervention minus comparison", 2, "-36.00", "– to –", "–", "–"]]
    flag = "100% of the comparison arm had the highest possible Working alliance score at endline"
    assert any(flag in f for f in section(report, "2.1")["flags"])
    assert any(flag in f for f in report["ceiling"])
    [appendix] = report["appendices"]
    [likert] = appendix["parts"]
    assert likert["table"]["rows"] == [["Intervention (n = 1)", "0 (0.0%)", "1 (100.0%)"]]
    assert [(s.series, s.pct, s.width) for s in likert["chart"].segments] == [(1, 100.0, 608.0)]
    assert "The trial had 2 teams with 4 practitioners, in 2 randomisation units." in \
        report["methods"]
    assert "Baseline survey (intervention and comparison arms): 3 of 4 practitioners answered " \
           "(75.0%)." in report["methods"]


def test_an_evaluator_writes_a_section_and_quotes_a_coded_passage(world, client, small):
    question = small.questions_asked.get(number="1.4")
    theme = Theme.objects.create(trial=small, name="Reach")
    theme.research_questions.add(question)
    document = Document.objects.create(
        trial=small, kind="interview", title="Interview 1", text="Hello. Families liked it.",
        participant=small.practitioners.get(practitioner_code="P1"))
    coding = Coding.objects.create(document=document, theme=theme, coder=world.evaluator,
                                   start=7, end=25)
    client.force_login(world.evaluator)
    url = reverse("report_finding", args=[small.pk, "1.4"])
    response = client.post(url, {**opened(client, url), "text": "**Reach** was good "
                                 "<script>alert(1)</script>", f"quote_{coding.pk}": "1"})
    assert response.status_code == 302
    page = client.get(reverse("trial_report", args=[small.pk])).content.decode()
    assert "<strong>Reach</strong> was good" in page and "<script>alert" not in page
    assert "‘Families liked it.’" in page
    assert "Family support worker, intervention arm, interview transcript" in page
    assert "P1" not in page.split("Evaluation report", 1)[1]
    entry = AuditEntry.objects.get(action="report.finding")
    assert entry.changes == {"question": "1.4", "text": "(changed)", "quotes": str(coding.pk)}


def test_a_section_changed_by_a_colleague_is_not_overwritten(world, client, small):
    client.force_login(world.evaluator)
    url = reverse("report_limitations", args=[small.pk])
    stale = opened(client, url)
    client.post(url, {**opened(client, url), "text": "Mine first"})
    response = client.post(url, {**stale, "text": "Theirs"})
    assert response.status_code == 200
    assert "Theirs" in response.content.decode()
    assert small.findings.get(question=None).text == "Mine first"


def test_the_same_data_makes_the_same_html_and_the_pdf_has_the_tables(small, tmp_path):
    first = output.html(small)
    assert output.html(small) == first
    assert reading.read(small)["digest"] in first
    pdf = tmp_path / "report.pdf"
    call_command("evaluation_report", "--trial", "Small", "--format", "pdf", "--output", str(pdf))
    text = subprocess.run(["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for words in ("Contents", "Table 2.2 Survey responses by team and wave", "2 of 2 (100.0%)",
                  "Table 3.3", "52.0 (5.7), n = 2", "Figure 3.1", "Nov 2022", "Page 2 of"):
        assert words in text, words
    again = tmp_path / "again.pdf"
    call_command("evaluation_report", "--trial", "Small", "--format", "pdf", "--output",
                 str(again))
    assert subprocess.run(["/usr/bin/pdftotext", str(again), "-"], capture_output=True,
                          text=True).stdout == subprocess.run(
        ["/usr/bin/pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout


def test_the_command_refuses_in_sentences(small, tmp_path):
    existing = tmp_path / "there.html"
    existing.write_text("keep me")
    cases = [
        (["--trial", "Nope"], "There is no trial called 'Nope'"),
        (["--trial", "Small", "--format", "pdf"], "A PDF is not printed"),
        (["--trial", "Small", "--format", "html", "--output", str(existing)], "already exists"),
        (["--trial", "Small", "--format", "html", "--output", str(tmp_path)], "is a folder"),
        (["--trial", "Small", "--output", str(tmp_path / "no" / "x.json")], "There is no folder"),
    ]
    for arguments, message in cases:
        with pytest.raises(CommandError, match=message):
            call_command("evaluation_report", *arguments)
    assert existing.read_text() == "keep me"
    call_command("evaluation_report", "--trial", "Small", "--format", "html", "--output",
                 str(existing), "--force")
    assert existing.read_text() == output.html(small)


def test_the_example_package_reports_the_seeds_design():
    """The example package is synthetic: it carries the seed's design, not its counts. Its
    report shows that design: five teams, two of them one unit, three intervention teams and two
    comparison; the post-training survey asked of the intervention arm only (Table 2.2's "-");
    the seed's answer options for engagement (Table 3.3) and frequency (Table 3.1); two Senior
    practitioners trained and using the tools (Table 3.2); use from November to February,
    highest in November (Figure 3.2)."""
    call_command("import_evaluation", str(EXAMPLE), "--trial", "Example")
    report = presenter.build(reading.read(Trial.objects.get(name="Example")))
    assert report["methods"][0] == ("The trial had 5 teams with 40 practitioners, in 4 "
                                    "randomisation units (North 2 and Central were randomised "
                                    "together as one unit).")
    responses = rows_of(report, "Table 2.2")
    assert [r[4] for r in responses if r[0] == "Comparison"] == ["–", "–", "–"]
    assert all(r[4] != "–" for r in responses if r[0] == "Intervention")
    assert [r[0] for r in rows_of(report, "Table 3.3")] == [
        "Not engaged", "Neither engaged nor not engaged", "Somewhat engaged", "Engaged",
        "Very engaged"]
    assert [r[0] for r in rows_of(report, "Table 3.1")] == [
        "Never", "Rarely", "In some sessions", "In every session"]
    training = rows_of(report, "Table 3.2")
    assert [row[3] for row in training] == [2, 2, 2]  # Senior practitioner
    usage = section(report, "1.1")["parts"][1]["table"]["rows"]
    assert [r[0] for r in usage] == ["Nov 2022", "Dec 2022", "Jan 2023", "Feb 2023"]
    assert usage[0][1] == max(r[1] for r in usage)
