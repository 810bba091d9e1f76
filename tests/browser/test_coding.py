"""An evaluator codes a passage of an interview by selecting it with the mouse; the documents,
document, codebook, theme and agreement pages pass axe, empty, filled and with errors."""

from familyfeedback.accounts.models import Role
from familyfeedback.evaluation import actions
from familyfeedback.evaluation.models import Coding, Document
from tests import factories
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in

TEXT = "I used the ORS every week.\n\nThe families liked the lines.\n\nIt took time."


def test_an_evaluator_selects_a_passage_with_the_mouse_and_codes_it(live_world, live_server,
                                                                    page, tmp_path):
    """Given a trial with two teams, When the evaluator uploads a transcript, adds a theme,
    and drags the mouse over one word of the second paragraph and codes it,
    Then the coding is of exactly that word, and axe finds nothing on the pages."""
    evaluator = live_world.evaluator
    trial = actions.create_trial(evaluator, name="Pilot")
    actions.set_teams(evaluator, trial, {live_world.team: "", live_world.other_team: ""})
    sign_in(page, live_server, evaluator)
    page.goto(f"{live_server.url}/evaluation/{trial.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Documents and coding").click()
    assert_no_axe_violations(page, "the documents page, empty")
    with page.expect_navigation():
        page.get_by_role("button", name="Upload document").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_no_axe_violations(page, "the documents page with errors")

    transcript = tmp_path / "interview.txt"
    transcript.write_text(TEXT, encoding="utf-8")
    page.check("#kind")
    page.fill("#title", "Interview with P001")
    page.select_option("#participant", index=1)
    page.set_input_files("#file", transcript)
    with page.expect_navigation():
        page.get_by_role("button", name="Upload document").click()
    document = Document.objects.get()
    assert page.get_by_role("heading", name="Paragraph 3").is_visible()
    assert_no_axe_violations(page, "a document with no themes")

    page.goto(f"{live_server.url}/evaluation/{trial.pk}/codebook/")
    assert_no_axe_violations(page, "the codebook, empty")
    page.fill("#name", "Families' views")
    page.check("input[name=research_questions] >> nth=0")
    with page.expect_navigation():
        page.get_by_role("button", name="Add theme").click()
    assert_no_axe_violations(page, "the codebook with a theme")
    with page.expect_navigation():
        page.get_by_role("link", name="Change Families' views").click()
    assert_no_axe_violations(page, "a theme's edit page")

    page.goto(f"{live_server.url}/evaluation/{trial.pk}/documents/{document.pk}/")
    # Drag from just inside the word's first letter to just inside its last.
    box = page.evaluate("""() => {
        const node = document.getElementById("paragraph-2").firstChild;
        const at = node.textContent.indexOf("families");
        const range = document.createRange();
        range.setStart(node, at); range.setEnd(node, at + 1);
        const first = range.getBoundingClientRect();
        range.setStart(node, at + 7); range.setEnd(node, at + 8);
        const last = range.getBoundingClientRect();
        return {x1: first.left + 1, x2: last.right - 1, y: (first.top + first.bottom) / 2};
    }""")
    page.mouse.move(box["x1"], box["y"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y"], steps=5)
    page.mouse.up()
    assert page.locator("#selected-passage").inner_text() == "Selected passage: “families”"
    page.get_by_label("Families' views").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Code passage").click()
    coding = Coding.objects.get()
    assert document.text[coding.start:coding.end] == "families"
    assert coding.coder == evaluator
    assert page.get_by_text("“families”").is_visible()
    assert_no_axe_violations(page, "a document with a coded passage")

    colleague = factories.user("evan@example.test", Role.EVALUATOR)
    actions.code_passage(colleague, document, themes=[coding.theme], start=0, end=4)
    with page.expect_navigation():
        page.get_by_role("link", name="Agreement between evaluators").click()
    assert page.get_by_role("rowheader", name="Overall").is_visible()
    assert_no_axe_violations(page, "the agreement between two evaluators")
