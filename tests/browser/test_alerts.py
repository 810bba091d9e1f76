"""A practitioner sees an alert on the caseload, opens it, and acknowledges it with a note."""

from datetime import timedelta

from django.utils import timezone

from familyfeedback.casework.models import AlertAcknowledgement
from tests import factories
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in


def test_a_practitioner_acknowledges_an_alert_from_the_caseload(live_world, page, live_server):
    """Given an adult whose outcome rating fell from 20.0 to 14.0 (a reliable deterioration),
    When the practitioner signs in, follows the alert from the caseload to the family and
    acknowledges it with a note of what they did,
    Then the alert leaves the caseload, and the note stays on the family's record."""
    family = live_world.family
    adult = family.people.order_by("date_of_birth", "id").first()
    today = timezone.localdate()
    for days_ago, marks in ((14, (5, 5, 5, 5)), (7, (3.5, 3.5, 3.5, 3.5))):
        factories.session(live_world.practitioner, family, today - timedelta(days=days_ago),
                          {adult.pk: (marks, (9, 9, 9, 9))})

    sign_in(page, live_server, live_world.practitioner)
    alert_link = page.get_by_role("link", name=f"{adult.first_name}: got worse")
    assert alert_link.is_visible()
    assert_no_axe_violations(page, "the caseload with an alert")
    alert_link.click()
    page.wait_for_url(f"{live_server.url}/families/{family.pk}/#alerts")
    alert = page.locator(".ff-alert").filter(has_text="Down from 20.0 to 14.0")
    assert alert.is_visible()
    assert_no_axe_violations(page, "the family page with an alert")

    alert.get_by_text("Acknowledge", exact=False).first.click()
    alert.get_by_label("What you did or will do").fill("Talked it through; booked a GP visit")
    with page.expect_navigation():
        alert.get_by_role("button", name="Acknowledge").click()
    assert "Alert for" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator(".ff-alert").count() == 0
    assert page.get_by_text("Talked it through; booked a GP visit").is_visible()
    assert_no_axe_violations(page, "the family page after acknowledging")

    page.goto(f"{live_server.url}/")
    assert page.get_by_role("link", name=f"{adult.first_name}: got worse").count() == 0
    acknowledgement = AlertAcknowledgement.objects.get()
    assert (acknowledgement.person, acknowledgement.code, acknowledgement.by) == (
        adult, "reliable_deterioration", live_world.practitioner)


def test_closing_and_reopening_support_pages_are_accessible(live_world, page, live_server):
    """Given a family with a session, When the practitioner closes support (first with a date
    before the last session), reads the summary, finds the family among the closed ones and
    undoes the closure, Then every page on the way passes axe and support is open again."""
    family = live_world.family
    today = timezone.localdate()
    factories.session(live_world.practitioner, family, today - timedelta(days=3))
    sign_in(page, live_server, live_world.practitioner)
    page.goto(f"{live_server.url}/families/{family.pk}/close/")
    assert_no_axe_violations(page, "close support")
    early = today - timedelta(days=10)
    page.fill("#closed_on-day", str(early.day))
    page.fill("#closed_on-month", str(early.month))
    page.fill("#closed_on-year", str(early.year))
    with page.expect_navigation():
        page.get_by_role("button", name="Close support").click()
    assert "cannot be before the last session" in page.locator(".govuk-error-summary").inner_text()
    assert_no_axe_violations(page, "close support with an error")
    page.fill("#closed_on-day", str(today.day))
    page.fill("#closed_on-month", str(today.month))
    page.fill("#closed_on-year", str(today.year))
    with page.expect_navigation():
        page.get_by_role("button", name="Close support").click()
    assert page.get_by_role("heading", name=f"How things went: {family.name}").is_visible()
    assert_no_axe_violations(page, "the closure summary")
    page.goto(f"{live_server.url}/families/{family.pk}/reopen/")
    assert_no_axe_violations(page, "reopen support")
    page.goto(f"{live_server.url}/families/closed/")
    assert_no_axe_violations(page, "the closed families")
    with page.expect_navigation():
        page.get_by_role("link", name=family.name).click()
    assert_no_axe_violations(page, "a closed family's page, with the undo")
    with page.expect_navigation():
        page.get_by_role("button", name="Undo closing support").click()
    assert page.get_by_role("button", name="Type in a session from paper").is_visible()
    assert "Closing support was undone" in page.locator(".govuk-notification-banner").inner_text()


def test_the_overdue_list_and_a_record_page_with_a_schedule_are_accessible(
        live_world, page, live_server, settings):
    """Given a service that rates every 4 weeks and a family last rated 50 days ago,
    When the practitioner opens the overdue list and the record-session page,
    Then both pass axe, the list names the family, and the page marks who is due."""
    from familyfeedback.measures.schedules import parse

    settings.SCHEDULE = parse("every_weeks:4")
    family = live_world.family
    factories.session(live_world.practitioner, family,
                      timezone.localdate() - timedelta(days=50))
    sign_in(page, live_server, live_world.practitioner)
    page.goto(f"{live_server.url}/overdue/")
    assert page.get_by_role("link", name=family.name).count() == 4
    assert_no_axe_violations(page, "the overdue list")
    page.goto(f"{live_server.url}/families/{family.pk}/sessions/new/")
    assert page.get_by_text("Due today").count() == 4
    assert_no_axe_violations(page, "record session with a schedule")
