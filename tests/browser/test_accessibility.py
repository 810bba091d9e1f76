"""Every page, in the states people meet it (empty, filled, with errors), passes axe-core's
WCAG 2.2 AA rules; and recording a session works with JavaScript switched off."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from familyfeedback.accounts import rate_limits
from familyfeedback.accounts.models import BulkViewAlert
from familyfeedback.casework.models import Administration, Session
from familyfeedback.casework.presenters import SESSIONS_PER_PAGE
from tests import factories
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import screenshot, sign_in


def visit(page, live_server, path: str, status: int = 200):
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == status, f"{path} answered {response.status}"
    return page


def submit(page, button: str):
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def assert_error_summary_shows(page, *messages: str):
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    text = summary.inner_text()
    for message in messages:
        assert message in text
    assert page.title().startswith("Error: ")


@pytest.fixture
def family_with_sessions(live_world):
    """The practitioner's family with two sessions, so that charts and a change are drawn."""
    family = live_world.family
    adult, _, child, _ = family.people.order_by("date_of_birth", "id")
    today = timezone.localdate()
    factories.session(live_world.practitioner, family, today - timedelta(days=40),
                      {adult.pk: ((3, 4, 5, 4), (9, 9, 8, 9)), child.pk: ((4, 4, 4, 4), (9,) * 4)})
    latest = factories.session(
        live_world.practitioner, family, today - timedelta(days=10),
        {adult.pk: ((6, 7, 6, 7), (10, 9, 9, 10)), child.pk: ((7, 6, 8, 7), (10,) * 4)})
    return family, latest, adult


def test_the_sign_in_page_is_accessible_empty_and_with_errors(live_world, live_server, page):
    """Given someone not signed in,
    When they open the sign-in page, and then submit it empty,
    Then axe finds no violation either time, and the errors are summarised."""
    visit(page, live_server, "/sign-in/")
    assert_no_axe_violations(page, "the sign-in page")
    submit(page, "Sign in")
    assert_error_summary_shows(page, "Enter your email address", "Enter your password")
    assert_no_axe_violations(page, "the sign-in page with errors")


def test_the_caseload_is_accessible_for_a_practitioner_and_a_manager(
        family_with_sessions, live_world, live_server, page, new_context):
    """Given a family with two sessions,
    When the practitioner opens my families (and their team's), and the manager opens theirs,
    Then axe finds no violation on any of them."""
    sign_in(page, live_server, live_world.practitioner)
    assert page.get_by_role("heading", name="My families").is_visible()
    assert page.get_by_role("link", name=live_world.family.name).is_visible()
    assert_no_axe_violations(page, "my families")
    visit(page, live_server, "/?show=team")
    assert_no_axe_violations(page, "my team's families")

    manager_page = new_context().new_page()
    sign_in(manager_page, live_server, live_world.manager)
    assert manager_page.get_by_role("heading", name="Your team's families").is_visible()
    assert manager_page.get_by_role("link", name=live_world.family.name).is_visible()
    assert_no_axe_violations(manager_page, "the manager's team families")


def test_the_family_page_with_charts_is_accessible(family_with_sessions, live_world,
                                                    live_server, page):
    """Given a family with two sessions recorded,
    When the practitioner opens the family page and opens a chart's table,
    Then the charts are drawn and axe finds no violation, closed or open."""
    family, _, adult = family_with_sessions
    sign_in(page, live_server, live_world.practitioner)
    visit(page, live_server, f"/families/{family.pk}/")
    # ORS and SRS for everyone but the 4-year-old, and the family picture
    assert page.locator("svg.ff-chart:not(.ff-chart--family)").count() == 6
    assert page.locator("svg.ff-chart--family").count() == 1
    assert_no_axe_violations(page, "the family page")
    page.get_by_text("outcome rating (ORS total out of 40) as a table").first.click()
    assert page.locator(f"table#ors-{adult.pk}").is_visible()
    assert_no_axe_violations(page, "the family page with a chart's table open")


@pytest.mark.parametrize("width", [320, 1024])
def test_the_family_pages_sessions_are_paged_and_accessible(
        live_world, live_server, new_context, width):
    """Given a family with a page and a bit of sessions,
    When the practitioner goes to the older sessions by the pagination under the table (plain
    links, which need no script; axe itself is a script, so the page keeps JavaScript on),
    Then the older sessions are shown, the charts above still draw every session, axe finds no
    violation on either page, and at 320 pixels nothing runs off the side."""
    family = live_world.family
    today = timezone.localdate()
    for n in range(SESSIONS_PER_PAGE + 3):
        factories.session(live_world.practitioner, family, today - timedelta(days=1 + 7 * n))
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    sign_in(page, live_server, live_world.practitioner)
    visit(page, live_server, f"/families/{family.pk}/")
    pages = page.get_by_role("navigation", name="Pages of the sessions")
    assert pages.is_visible()
    assert_no_axe_violations(page, f"the family page, newest sessions, at {width} px")
    lines = [line.get_attribute("d") for line in page.locator(".ff-chart__line").all()]
    assert lines
    with page.expect_navigation():
        pages.get_by_role("link", name="Next").click()
    assert f"Showing {SESSIONS_PER_PAGE + 1} to {SESSIONS_PER_PAGE + 3}." in page.inner_text(
        "main")
    assert page.locator("#sessions").is_visible()
    assert [line.get_attribute("d") for line in page.locator(".ff-chart__line").all()] == lines
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_no_axe_violations(page, f"the family page, older sessions, at {width} px")
    screenshot(page, f"family-sessions-paged-{width}.png")


def test_the_record_session_page_is_accessible_fresh_and_with_errors(live_world, live_server,
                                                                     page):
    """Given the practitioner on their family's record-session page,
    When they first open it, and then save it with a mark out of range and nothing else chosen,
    Then axe finds no violation either time, and every error is summarised and shown."""
    family = live_world.family
    adult = family.people.order_by("date_of_birth", "id").first()
    sign_in(page, live_server, live_world.practitioner)
    visit(page, live_server, f"/families/{family.pk}/sessions/new/")
    assert_no_axe_violations(page, "the record-session page")

    page.check(f"#p{adult.pk}-ors-status")
    page.fill(f"#p{adult.pk}-ors-item_1", "11")
    page.fill("#date-day", "")
    submit(page, "Save session")
    assert_error_summary_shows(page, "must include a day", f"{adult.first_name}'s ORS")
    assert page.locator(".govuk-error-message").count() >= 4
    assert page.locator(f"#p{adult.pk}-ors-item_1").get_attribute("class").endswith(
        "govuk-input--error")
    assert_no_axe_violations(page, "the record-session page with errors")


def test_the_session_and_correct_administration_pages_are_accessible(
        family_with_sessions, live_world, live_server, page):
    """Given a recorded session,
    When the practitioner opens it, opens a record's correction page, and saves it wrongly,
    Then axe finds no violation on any of them."""
    _, session, adult = family_with_sessions
    record = Administration.objects.get(session=session, person=adult, tool="ORS")
    sign_in(page, live_server, live_world.practitioner)
    visit(page, live_server, f"/sessions/{session.pk}/")
    assert page.locator("main table tbody tr").count() == 8
    assert_no_axe_violations(page, "the session page")

    visit(page, live_server, f"/administrations/{record.pk}/correct/")
    assert page.locator("#item_1").input_value() == "6.0"
    assert_no_axe_violations(page, "the correct-record page")
    page.fill("#item_1", "")
    submit(page, "Save correction")
    assert_error_summary_shows(page, "Give the reason for the correction")
    assert_no_axe_violations(page, "the correct-record page with errors")


def test_the_add_and_edit_person_pages_are_accessible_with_and_without_errors(
        live_world, live_server, page):
    """Given the practitioner's family,
    When they open add a person and change a person's details, and save each with a mistake,
    Then axe finds no violation on the forms or their errors."""
    family = live_world.family
    person = family.people.first()
    sign_in(page, live_server, live_world.practitioner)
    visit(page, live_server, f"/families/{family.pk}/people/new/")
    assert_no_axe_violations(page, "the add-person page")
    submit(page, "Save")
    assert_error_summary_shows(page, "Enter the person's first name")
    assert_no_axe_violations(page, "the add-person page with errors")

    visit(page, live_server, f"/people/{person.pk}/edit/")
    assert page.locator("#first_name").input_value() == person.first_name
    assert_no_axe_violations(page, "the edit-person page")
    page.fill("#first_name", "")
    page.fill("#date_of_birth-year", "")
    submit(page, "Save")
    assert_error_summary_shows(page, "Enter the person's first name", "must include a year")
    assert_no_axe_violations(page, "the edit-person page with errors")


def test_the_record_of_access_is_accessible_to_the_familys_manager(
        family_with_sessions, live_world, live_server, page):
    """Given a family with sessions its practitioner recorded,
    When its team manager follows the family page's link to the record of access, and shows
    one person's entries only,
    Then axe finds no violation on either."""
    family, _, adult = family_with_sessions
    sign_in(page, live_server, live_world.manager)
    visit(page, live_server, f"/families/{family.pk}/")
    page.get_by_role("link", name="See who viewed or changed this family's records").click()
    page.wait_for_url(f"{live_server.url}/families/{family.pk}/record-of-access/")
    assert page.locator("main table tbody tr").count() > 1
    assert_no_axe_violations(page, "the record of access")
    page.get_by_label("Show what was opened or changed about").select_option(str(adult.pk))
    submit(page, "Show")
    assert page.get_by_text(f"about {adult}").is_visible()
    assert_no_axe_violations(page, "the record of access for one person")


def test_the_audit_log_is_accessible_to_an_administrator(family_with_sessions, live_world,
                                                         live_server, page):
    """Given some audited changes, and an alert of unusual viewing,
    When the administrator signs in and reads the audit log, and one person's entries,
    Then axe finds no violation on their home page or the log."""
    BulkViewAlert.objects.create(user=live_world.practitioner, raised_at=timezone.now(),
                                 window_minutes=60, families=51)
    sign_in(page, live_server, live_world.administrator)
    assert_no_axe_violations(page, "the administrator's home page")
    page.get_by_role("link", name="Read the audit log").click()
    page.wait_for_url(f"{live_server.url}/audit/")
    assert page.locator("main table tbody tr").count() > 0
    assert page.get_by_role("heading", name="Unusual viewing").is_visible()
    assert_no_axe_violations(page, "the audit log")
    page.get_by_role("link", name="see their entries").click()
    assert page.get_by_role("heading", name=f"Entries by {live_world.practitioner}").is_visible()
    assert_no_axe_violations(page, "the audit log filtered to one person")


def test_the_data_dictionary_is_accessible_and_fits_a_phone(live_world, live_server, page):
    """Given an administrator,
    When they follow the link to what the service holds, on a wide screen and on a phone,
    Then axe finds no violation, and at 320 pixels nothing runs off the side."""
    sign_in(page, live_server, live_world.administrator)
    page.get_by_role("link", name="See what the service holds").click()
    page.wait_for_url(f"{live_server.url}/privacy/data-dictionary/")
    assert page.get_by_role("heading", name="Data dictionary", level=1).is_visible()
    assert page.get_by_role("heading", name="casework.Person Person").is_visible()
    assert_no_axe_violations(page, "the data dictionary")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page, "the data dictionary on a phone")


@pytest.mark.parametrize("persona", ["evaluator", "data_team"])
def test_the_home_page_is_accessible_to_people_who_do_not_work_with_families(
        persona, live_world, live_server, page):
    """Given an evaluator or someone in the data team,
    When they sign in,
    Then their home page has no axe violation."""
    sign_in(page, live_server, getattr(live_world, persona))
    assert page.get_by_role("heading", name="Signed in as").is_visible()
    assert_no_axe_violations(page, f"the {persona} home page")


def test_the_page_not_found_is_accessible(live_world, live_server, page):
    """Given a signed-in practitioner,
    When they follow a link to a family that is not theirs,
    Then they get the page-not-found page, and axe finds no violation on it."""
    sign_in(page, live_server, live_world.practitioner)
    visit(page, live_server, f"/families/{live_world.other_family.pk}/", status=404)
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert_no_axe_violations(page, "the page-not-found page")


def test_the_pages_refusing_too_many_searches_or_downloads_are_accessible(
        live_world, live_server, page, new_context, settings, monkeypatch):
    """Given a practitioner allowed one search a minute and a manager one download an hour,
    When each asks once more,
    Then the search page says there is a problem, keeping the words, and the download a page
    saying when to try again, both answered 429; axe finds no violation on either."""
    settings.SEARCHES_PER_MINUTE = 1
    settings.EXPORTS_PER_HOUR = 1
    # Both requests in one minute, however slow the browser.
    now = timezone.now()
    monkeypatch.setattr(rate_limits, "clock", lambda: now)
    sign_in(page, live_server, live_world.practitioner)
    for _ in range(2):
        visit(page, live_server, "/families/find/")
        page.get_by_label("Find a family").fill("Ashdown")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            submit(page, "Search")
    assert answer.value.status == 429
    assert_error_summary_shows(page, "You have made 1 search in a minute")
    assert page.get_by_label("Find a family").input_value() == "Ashdown"
    assert_no_axe_violations(page, "the search refused for too many searches")

    rate_limits.check_rate(live_world.manager, "export")
    manager_page = new_context().new_page()
    sign_in(manager_page, live_server, live_world.manager)
    visit(manager_page, live_server, "/dashboards/coverage.csv", status=429)
    heading = manager_page.get_by_role("heading", name="Sorry, you cannot do that again yet")
    assert heading.is_visible()
    assert_no_axe_violations(manager_page, "the download refused for too many downloads")


def test_each_face_radio_is_named_by_its_word_alone(live_world, live_server, page):
    """Given the practitioner recording a session for a family with a 4-year-old,
    When the faces are offered,
    Then each face radio is named Sad, In between or Happy, with no markup shown."""
    child = live_world.family.people.order_by("date_of_birth", "id").last()
    sign_in(page, live_server, live_world.practitioner)
    visit(page, live_server, f"/families/{live_world.family.pk}/sessions/new/")
    faces = page.locator(f"#person-{child.pk} .ff-faces").first
    for word in ("Sad", "In between", "Happy"):
        assert faces.get_by_role("radio", name=word, exact=True,
                                 include_hidden=True).count() == 1, word
    assert "<span>" not in faces.text_content()


def test_a_session_can_be_recorded_with_javascript_switched_off(live_world, live_server,
                                                                new_context):
    """Given the practitioner's browser has JavaScript switched off,
    When they record a session for one adult, typing the four marks, with the session rating not
    administered (family in crisis),
    Then the lines are not offered (without a script they could not fill the boxes, and an
    untouched line would be a made-up 5.0), and the session is saved with exactly those marks."""
    page = new_context(java_script_enabled=False).new_page()
    family = live_world.family
    adult, *others = family.people.order_by("date_of_birth", "id")
    p = f"p{adult.pk}"
    sign_in(page, live_server, live_world.practitioner)
    visit(page, live_server, f"/families/{family.pk}/sessions/new/")
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')") \
        is False, "JavaScript should be off"
    # Without JavaScript every conditional part is open: the reasons are shown straight away.
    assert page.locator(f"#{p}-srs-reason").is_visible()
    assert not page.locator(f"#{p}-ors-item_1_line").is_visible()

    for other in others:
        page.uncheck(f"input[name=present][value='{other.pk}']")
    page.check(f"#{p}-ors-status")
    page.fill(f"#{p}-ors-item_1", "7.0")
    page.fill(f"#{p}-ors-item_2", "4.0")
    page.fill(f"#{p}-ors-item_3", "6.0")
    page.fill(f"#{p}-ors-item_4", "5.5")
    page.check(f"#{p}-srs-status-2")
    page.check(f"#{p}-srs-reason")  # Family in crisis
    submit(page, "Save session")

    session = Session.objects.get(family=family)
    assert page.url == f"{live_server.url}/sessions/{session.pk}/"
    assert "Session recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert list(session.present.all()) == [adult]
    ors = Administration.objects.get(session=session, tool="ORS")
    assert [ors.item_1, ors.item_2, ors.item_3, ors.item_4] == [
        Decimal("7.0"), Decimal("4.0"), Decimal("6.0"), Decimal("5.5")]
    assert ors.total == Decimal("22.5")
    srs = Administration.objects.get(session=session, tool="SRS")
    assert (srs.status, srs.reason, srs.total) == ("not_administered", "crisis", None)
    assert Administration.objects.filter(session=session).count() == 2


def test_back_then_save_again_asks_whether_it_is_another_session(live_world, live_server, page):
    """Given the practitioner saved a session for one adult,
    When they press Back and save the page again,
    Then nothing is saved until they say it is another session, the question passes axe, and
    "Yes, save it as another session" records the second one."""
    family = live_world.family
    adult, *others = family.people.order_by("date_of_birth", "id")
    sign_in(page, live_server, live_world.practitioner)

    def fill_and_save():
        for other in others:
            page.uncheck(f"input[name=present][value='{other.pk}']")
        page.check(f"#p{adult.pk}-ors-status")
        for n, mark in enumerate(("7.0", "4.0", "6.0", "5.5"), start=1):
            page.fill(f"#p{adult.pk}-ors-item_{n}", mark)
        page.check(f"#p{adult.pk}-srs-status-2")
        page.check(f"#p{adult.pk}-srs-reason")
        submit(page, "Save session")

    visit(page, live_server, f"/families/{family.pk}/sessions/new/")
    fill_and_save()
    first = Session.objects.get(family=family)
    page.go_back()
    fill_and_save()
    assert page.get_by_role("heading", name="Is this another session?").is_visible()
    assert Session.objects.filter(family=family).count() == 1
    assert page.input_value(f"#p{adult.pk}-ors-item_4") == "5.5"
    assert page.get_by_role("link", name="No, it is the same session").get_attribute(
        "href") == f"/sessions/{first.pk}/"
    assert_no_axe_violations(page, "the record-session page asking about a second session")
    submit(page, "Yes, save it as another session")
    assert Session.objects.filter(family=family).count() == 2
    assert "Session recorded" in page.locator(".govuk-notification-banner").inner_text()
