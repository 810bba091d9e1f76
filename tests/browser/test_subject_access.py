"""The subject access page in a real browser: it passes axe's WCAG 2.2 AA rules, and its button
downloads the export."""

import zipfile

from django.utils import timezone

from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import visit


def test_an_administrator_downloads_a_persons_export_from_an_accessible_page(
        live_world, live_server, page, tmp_path):
    """Given a family member,
    When the administrator opens their subject access page and presses its button,
    Then axe finds no violation, and one ZIP file named by the date alone arrives, with the PDF
    and the JSON in it."""
    person = live_world.family.people.order_by("date_of_birth", "id").first()
    sign_in(page, live_server, live_world.administrator)
    visit(page, live_server, f"/privacy/people/{person.pk}/subject-access/")
    assert page.get_by_role("heading", name=f"Everything we hold about {person}").is_visible()
    assert_no_axe_violations(page, "the subject access page")
    with page.expect_download() as arriving:
        page.get_by_role("button", name="Download everything we hold").click()
    download = arriving.value
    assert download.suggested_filename == (
        f"subject-access-{timezone.localdate().isoformat()}.zip")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert sorted(archive.namelist()) == ["subject-access.json", "subject-access.pdf"]
