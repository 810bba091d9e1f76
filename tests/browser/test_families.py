"""Opening a family of three with JavaScript switched off, finding a family and moving it to
another team, through the real pages in a real browser; axe (which needs JavaScript, so runs in
a browser with it on) finds nothing on any of them, fresh or with errors; and after the move, a
member of the first team is told the family is not there."""

from familyfeedback.casework.models import Family
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import assert_error_summary_shows, submit, visit

HOUSEHOLD = (("Dee", "Carrow", (2, 4, 1990), "en"),
             ("Eli", "Carrow", (30, 9, 2016), "pl"),
             ("Fin", "Carrow", (15, 1, 2022), "en"))


def fill_person(page, n: int, first: str, last: str, born: tuple, language: str) -> None:
    page.fill(f"#person-{n}-first_name", first)
    page.fill(f"#person-{n}-last_name", last)
    for part, value in zip(("day", "month", "year"), born, strict=True):
        page.fill(f"#person-{n}-date_of_birth-{part}", str(value))
    page.select_option(f"#person-{n}-preferred_language", language)


def test_a_family_of_three_is_opened_without_javascript(live_world, live_server, new_context):
    """Given the practitioner's browser has JavaScript switched off,
    When they open a new family, first saving it without a case reference, then with the
    household of three, the second child needing an interpreter,
    Then the error is shown with everything typed kept, and the family is opened with its
    three people, the practitioner its key worker."""
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, live_world.practitioner)
    page.get_by_role("button", name="Open a new family").click()
    page.wait_for_url(f"{live_server.url}/families/new/")
    page.fill("#name", "Carrow family")
    for n, person in enumerate(HOUSEHOLD):
        fill_person(page, n, *person)
    page.check("#person-1-needs_interpreter")
    submit(page, "Open the family")
    assert_error_summary_shows(page, "Enter the case reference from the council's case system")
    assert page.input_value("#person-2-first_name") == "Fin"
    assert page.is_checked("#person-1-needs_interpreter")

    page.fill("#case_reference", "EH-5101")
    submit(page, "Open the family")
    assert page.get_by_role("heading", name="Carrow family", level=1).is_visible()
    family = Family.objects.get(case_reference="EH-5101")
    assert [(p.first_name, p.needs_interpreter) for p in family.people.order_by(
        "date_of_birth")] == [("Dee", False), ("Eli", True), ("Fin", False)]
    assert family.key_worker == live_world.practitioner


def test_the_open_a_family_page_is_accessible_fresh_with_errors_and_a_row_more(
        live_world, live_server, page):
    """Given the practitioner on the open-a-family page,
    When they first open it, fill three rows and press Add another person, then save it with
    no case reference,
    Then a fourth row appears with the three kept and no error shown, the error is then
    summarised, and axe finds no violation each time."""
    sign_in(page, live_server, live_world.practitioner)
    visit(page, live_server, "/families/new/")
    assert_no_axe_violations(page, "the open-a-family page")
    page.fill("#name", "Carrow family")
    for n, person in enumerate(HOUSEHOLD):
        fill_person(page, n, *person)
    submit(page, "Add another person")
    assert page.locator("#person-3-first_name").is_visible()
    assert page.input_value("#person-1-preferred_language") == "pl"
    assert page.locator(".govuk-error-summary").count() == 0
    assert_no_axe_violations(page, "the open-a-family page with a fourth row")
    submit(page, "Open the family")
    assert_error_summary_shows(page, "Enter the case reference from the council's case system")
    assert_no_axe_violations(page, "the open-a-family page with errors")


def test_a_family_is_found_and_moved_to_another_team(live_world, live_server, page,
                                                      new_context):
    """Given the manager of the practitioner's team,
    When they find the family by part of its name, and move it to the other team's practitioner,
    Then axe finds nothing on the search or the move page, and afterwards the practitioner of
    the first team is told the family is not there, while the receiving practitioner sees it."""
    family = live_world.family
    sign_in(page, live_server, live_world.manager)
    page.fill("#words", "ashd")
    submit(page, "Search")
    assert page.get_by_role("link", name=family.name).is_visible()
    assert "ashd" not in page.url
    assert_no_axe_violations(page, "the find-a-family results")

    page.get_by_role("link", name=family.name).click()
    page.get_by_role("link", name="Change the key worker or team").click()
    assert_no_axe_violations(page, "the change-key-worker-or-team page")
    page.select_option("#team", str(live_world.other_team.pk))
    submit(page, "Save")
    assert_error_summary_shows(page, f"Select a key worker who is a member of "
                                     f"{live_world.other_team.name}")
    assert_no_axe_violations(page, "the change-key-worker-or-team page with errors")
    page.select_option("#key_worker", str(live_world.colleague_other_team.pk))
    submit(page, "Save")
    assert page.get_by_role("heading", name="Your team's families").is_visible()

    first_team = new_context().new_page()
    sign_in(first_team, live_server, live_world.practitioner)
    visit(first_team, live_server, f"/families/{family.pk}/", status=404)
    receiving = new_context().new_page()
    sign_in(receiving, live_server, live_world.colleague_other_team)
    visit(receiving, live_server, f"/families/{family.pk}/")
    assert receiving.get_by_role("heading", name=family.name, level=1).is_visible()
