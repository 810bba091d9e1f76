"""The administrators' privacy pages in a real browser: each passes axe's WCAG 2.2 AA rules in the
states an administrator meets it (empty, not found, refused, with errors, under a hold), and a
family is found, held, released and erased by keyboard and button as a person would."""

from datetime import timedelta

from django.utils import timezone

from familyfeedback.casework.models import Family
from familyfeedback.privacy.models import Tombstone
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_accessibility import assert_error_summary_shows, submit, visit


def test_an_administrator_finds_a_family_holds_it_and_erases_it_on_accessible_pages(
        live_world, live_server, page):
    """Given a family whose support is still open,
    When the administrator looks for a reference nobody has, then the family's own,
    Then the page says so, and then shows the family with erasure refused and why;
    When they set a legal hold without a reason, then with one, and lift it,
    Then the error is summarised, the hold is shown, then gone;
    When support has closed and they erase the family with a reason and the confirmation,
    Then the family is gone and a tombstone keeps the reason; and axe finds nothing throughout."""
    family = live_world.family
    sign_in(page, live_server, live_world.administrator)
    visit(page, live_server, "/")
    page.get_by_role("link", name="Find a family's records").click()
    assert page.get_by_role("heading", name="Find a family's records").is_visible()
    assert_no_axe_violations(page, "the privacy find page")
    page.get_by_label("Case reference").fill("NO-SUCH-1")
    submit(page, "Find the family")
    assert_error_summary_shows(page, "No family in the service has this case reference")
    assert page.get_by_label("Case reference").input_value() == "NO-SUCH-1"
    assert_no_axe_violations(page, "the privacy find page, not found")
    assert "NO-SUCH" not in page.url

    page.get_by_label("Case reference").fill(family.case_reference)
    submit(page, "Find the family")
    assert page.url.endswith(f"/privacy/families/{family.pk}/")
    assert page.get_by_role("heading", name=family.name).is_visible()
    assert page.get_by_text("The family's support is still open").is_visible()
    assert_no_axe_violations(page, "the family's privacy page, erasure refused")

    submit(page, "Set a legal hold")
    assert_error_summary_shows(page, "Give the reason for the legal hold")
    assert_no_axe_violations(page, "the family's privacy page with an error")
    page.get_by_label("Reason for the legal hold").fill("Care proceedings ZC25C00123")
    submit(page, "Set a legal hold")
    assert page.get_by_text("Legal hold set").is_visible()
    assert page.get_by_text("The family is under a legal hold").is_visible()
    assert_no_axe_violations(page, "the family's privacy page under a hold")
    submit(page, "Lift the legal hold")
    assert page.get_by_text("Legal hold lifted").is_visible()

    family.episodes.update(closed_on=timezone.localdate() - timedelta(days=3))
    page.reload()
    assert_no_axe_violations(page, "the family's privacy page, erasure allowed")
    for width in (320, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"family-privacy-{width}.png")
    page.set_viewport_size({"width": 1024, "height": 900})
    submit(page, "Erase the family's records")
    assert_error_summary_shows(page, "Give the reason for the erasure",
                               "Confirm that the family's records are to be erased for good")
    assert_no_axe_violations(page, "the family's privacy page, erasure with errors")
    page.get_by_label("Reason for the erasure").fill("DPO-2026-014")
    page.get_by_label("I confirm").check()
    submit(page, "Erase the family's records")
    assert page.get_by_text("The family's records were erased").is_visible()
    assert not Family.objects.filter(pk=family.pk).exists()
    assert Tombstone.objects.filter(rule="erasure", reason="DPO-2026-014").exists()


def test_an_administrator_corrects_a_persons_details_on_an_accessible_page(
        live_world, live_server, page):
    """Given a family member,
    When the administrator opens the correction from the family's privacy page and saves it
    first without a reason, then with one,
    Then the error is summarised, then the change is saved; and axe finds nothing."""
    person = live_world.family.people.order_by("date_of_birth", "id").first()
    sign_in(page, live_server, live_world.administrator)
    visit(page, live_server, f"/privacy/families/{live_world.family.pk}/")
    page.get_by_role("link", name=f"Correct details of {person}").click()
    assert page.get_by_role("heading", name=f"Correct {person.first_name}'s details").is_visible()
    assert_no_axe_violations(page, "the correction page")
    page.get_by_label("Last name (optional)").fill("Hale")
    submit(page, "Save the correction")
    assert_error_summary_shows(page, "Give the reason for the correction")
    assert_no_axe_violations(page, "the correction page with an error")
    page.get_by_label("Reason for the correction").fill("DPO-2026-020")
    submit(page, "Save the correction")
    assert page.get_by_text(f"{person.first_name}'s details corrected").is_visible()
    person.refresh_from_db()
    assert person.last_name == "Hale"
