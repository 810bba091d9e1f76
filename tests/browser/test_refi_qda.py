"""An evaluator exchanges a trial's codebook with a qualitative tool: downloads it, is told
plainly when a file is not one, and imports another tool's codebook. The page passes axe
empty, with an error and after an import."""

from familyfeedback.evaluation.models import Theme, Trial
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in
from tests.evaluation.test_refi_qda import CODEBOOK_BY_HAND


def test_an_evaluator_downloads_and_imports_a_codebook(live_world, page, live_server,
                                                       tmp_path):
    """Given a trial with a theme, When the evaluator opens Exchange with qualitative tools
    from the trial page, downloads the codebook, then imports a text file and then a .qdc
    another tool wrote, Then the download is the trial's codebook, the text file is refused
    with a message, and the other tool's themes are added."""
    trial = Trial.objects.create(name="Pilot")
    Theme.objects.create(trial=trial, name="Fit with practice")
    sign_in(page, live_server, live_world.evaluator)
    page.goto(f"{live_server.url}/evaluation/{trial.pk}/")
    page.get_by_role("link", name="Exchange with qualitative tools").click()
    assert page.get_by_role("heading", name="Exchange with qualitative tools").is_visible()
    assert_no_axe_violations(page, "the exchange page")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the codebook (.qdc)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "pilot-codebook.qdc"
    assert b'name="Fit with practice"' in saved.read_bytes()

    notes = tmp_path / "notes.txt"
    notes.write_text("not a codebook")
    page.get_by_label("REFI-QDA codebook or project").set_input_files(notes)
    page.get_by_role("button", name="Import").click()
    summary = page.locator(".govuk-error-summary")
    assert "Choose a REFI-QDA codebook (.qdc) or project (.qdpx)" in summary.inner_text()
    assert_no_axe_violations(page, "the exchange page with an error")

    other = tmp_path / "codes.qdc"
    other.write_text(CODEBOOK_BY_HAND)
    page.get_by_label("REFI-QDA codebook or project").set_input_files(other)
    page.get_by_role("button", name="Import").click()
    assert page.get_by_text("Codebook imported: 4 themes added, 0 already here.").is_visible()
    assert_no_axe_violations(page, "the exchange page after an import")
    assert set(trial.themes.values_list("name", flat=True)) == {
        "Fit with practice", "Barriers", "No time", "Language", "Enablers"}
