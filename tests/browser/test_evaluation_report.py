"""The evaluator's path from an interview to the report: code a passage, summarise it in the
framework matrix, quote it under research question 1.4 and download the PDF, with axe finding
nothing on the way. Coding here is by paragraph, the way that needs no mouse or JavaScript
(test_coding.py drags a selection)."""

import subprocess

from familyfeedback.evaluation import actions
from familyfeedback.evaluation.models import Coding, MatrixCell, Quote
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in

INTERVIEW = ("We asked every family at the start of each visit.\n\n"
             "Some parents found it hard to mark a line with me watching.")


def test_an_evaluator_goes_from_a_coded_passage_to_a_quote_in_the_pdf(live_world, page,
                                                                     live_server, tmp_path):
    """Given a trial with one interview and a theme linked to 1.4, When the evaluator codes the
    second paragraph, writes the participant's matrix cell, quotes the passage in section 1.4
    and downloads the report, Then the PDF holds the section, its text and the quote."""
    evaluator = live_world.evaluator
    trial = actions.create_trial(evaluator, name="Pilot")
    actions.set_teams(evaluator, trial, {live_world.team: "", live_world.other_team: ""})
    participant = trial.practitioners.get(user=live_world.practitioner)
    document = actions.add_document(evaluator, trial, kind="interview", title="Interview 1",
                                    text=INTERVIEW, participant=participant)
    actions.add_theme(evaluator, trial, name="Being watched",
                      research_questions=[trial.questions_asked.get(number="1.4")])
    sign_in(page, live_server, evaluator)

    page.goto(f"{live_server.url}/evaluation/{trial.pk}/documents/{document.pk}/")
    page.get_by_label("Paragraph", exact=True).select_option("2")
    page.get_by_label("Being watched").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Code passage").click()
    coding = Coding.objects.get()
    assert document.text[coding.start:coding.end] == INTERVIEW.split("\n\n")[1]
    assert_no_axe_violations(page, "the interview with a coded paragraph")

    page.goto(f"{live_server.url}/evaluation/{trial.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Framework matrix").click()
    with page.expect_navigation():
        page.get_by_role("link", name=f"Write a summary of {participant.practitioner_code} "
                                      "on Being watched").click()
    page.get_by_label(f"Summary of what {participant.practitioner_code} said on this theme"
                      ).fill("Rating in front of the worker felt awkward.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the summary").click()
    assert MatrixCell.objects.get().summary == "Rating in front of the worker felt awkward."
    assert_no_axe_violations(page, "the matrix with a summary")

    page.goto(f"{live_server.url}/evaluation/{trial.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="The report").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Write the text and pick quotes for research question "
                                      "1.4").click()
    assert_no_axe_violations(page, "section 1.4, to be written")
    page.get_by_label("What the evaluation found").fill(
        "Families were reached, but **not all** were at ease.")
    page.get_by_label("Place in the report").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert Quote.objects.get().coding == coding
    section = page.locator("#rq-1-4").locator("xpath=..")
    assert section.get_by_text("Some parents found it hard to mark a line").is_visible()
    assert section.locator("strong", has_text="not all").is_visible()
    assert_no_axe_violations(page, "the report with section 1.4 written")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report (PDF)").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    assert "1.4 Reach" in text
    assert "Families were reached, but not all were at ease." in text
    assert "Some parents found it hard to mark a line with me watching." in text
