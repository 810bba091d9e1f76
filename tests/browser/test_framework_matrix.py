"""An evaluator opens the framework matrix, filters it, writes a cell's summary and sees it in
the matrix; the matrix and the cell's page pass axe, and on a 320 px phone the matrix scrolls in
its own box while the page itself does not."""

from familyfeedback.evaluation.models import MatrixCell
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import screenshot, sign_in
from tests.evaluation.matrix_data import qualitative_trial


def test_an_evaluator_writes_a_matrix_cell(live_world, page, live_server):
    """Given a trial with coded interviews, When the evaluator filters the matrix to the
    intervention arm, opens P001's cell on Time and saves a summary, Then the matrix shows it."""
    qual = qualitative_trial(live_world.evaluator)
    sign_in(page, live_server, live_world.evaluator)
    page.goto(f"{live_server.url}/evaluation/{qual.trial.pk}/")
    page.get_by_role("link", name="Framework matrix").click()
    assert_no_axe_violations(page, "the framework matrix")
    page.get_by_label("Arm").select_option("intervention")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "arm=intervention" in page.url
    matrix = page.get_by_role("region", name="Summaries by participant and theme")
    assert matrix.get_by_role("rowheader").all_inner_texts()[0].startswith("P001")
    assert matrix.get_by_text("P002").count() == 0
    page.get_by_role("link", name="Write a summary of P001 on Barriers: Time").click()
    assert page.get_by_text(qual.time_passage).is_visible()
    assert_no_axe_violations(page, "a matrix cell")
    page.get_by_label("Summary of what P001 said on this theme").fill("Never enough time.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the summary").click()
    assert "arm=intervention" in page.url
    assert page.get_by_text("Summary saved for P001 on Time").is_visible()
    assert page.get_by_role("cell", name="Never enough time.").count() == 1
    assert MatrixCell.objects.get(participant=qual.p001, theme=qual.time).summary == (
        "Never enough time.")
    assert_no_axe_violations(page, "the framework matrix with a summary")
    screenshot(page, "framework-matrix-1024.png")


def test_on_a_phone_the_matrix_scrolls_in_its_box_and_keeps_the_participant(live_world,
                                                                            new_context,
                                                                            live_server):
    qual = qualitative_trial(live_world.evaluator)
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, live_server, live_world.evaluator)
    page.goto(f"{live_server.url}/evaluation/{qual.trial.pk}/matrix/")
    assert_no_axe_violations(page, "the framework matrix on a phone")
    # The page is no wider than the phone; the table is, inside its scrolling box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    box = page.get_by_role("region", name="Summaries by participant and theme")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    who = box.get_by_role("rowheader").first
    before = who.bounding_box()["x"]
    box.evaluate("b => { b.scrollLeft = 400; }")
    assert who.bounding_box()["x"] == before  # the participant stays in view
    screenshot(page, "framework-matrix-320.png")
    page.goto(f"{live_server.url}/evaluation/{qual.trial.pk}/matrix/{qual.p001.pk}/"
              f"{qual.time.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page, "a matrix cell on a phone")
    screenshot(page, "framework-matrix-cell-320.png")
