"""The manager's pages pass axe: dashboards, training, the attendance register and supervision."""

from datetime import timedelta

from django.utils import timezone

from familyfeedback.accounts.models import Role
from familyfeedback.implementation.models import TrainingEvent
from tests import factories
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in


def test_a_manager_records_attendance_and_reads_the_dashboards(live_world, page, live_server):
    """Given a team with a session recorded and a training event,
    When the manager marks attendance from the team list and opens the dashboards and a
    practitioner's supervision page,
    Then each page passes axe and the register is saved."""
    today = timezone.localdate()
    factories.session(live_world.practitioner, live_world.family, today - timedelta(days=3))
    event = TrainingEvent.objects.create(kind="part_1", on=today - timedelta(days=30))
    event.invited_teams.set([live_world.team])
    sign_in(page, live_server, live_world.manager)

    page.goto(f"{live_server.url}/training/")
    assert_no_axe_violations(page, "training")
    page.goto(f"{live_server.url}/training/{event.pk}/attendance/")
    assert_no_axe_violations(page, "attendance register")
    page.get_by_label("Absent").first.check()
    page.get_by_label("Reason (optional)").first.fill("Annual leave")
    with page.expect_navigation():
        page.get_by_role("button", name="Save attendance").click()
    row = event.register.get()
    assert (row.user, row.attended, row.absence_reason) == (
        live_world.practitioner, False, "Annual leave")

    page.goto(f"{live_server.url}/training/new/")
    with page.expect_navigation():
        page.get_by_role("button", name="Add event").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_no_axe_violations(page, "add a training event with errors")

    page.goto(f"{live_server.url}/dashboards/")
    assert page.get_by_role("heading", name="Use of the ORS and SRS by month").is_visible()
    assert page.locator("svg.ff-chart").count() >= 1
    assert_no_axe_violations(page, "dashboards")
    page.goto(f"{live_server.url}/team/{live_world.practitioner.pk}/")
    assert page.get_by_role("link", name=live_world.family.name).is_visible()
    assert_no_axe_violations(page, "supervision")


def test_the_data_team_sees_every_team_side_by_side(live_world, page, live_server):
    data_team = factories.user("data@example.test", Role.DATA_TEAM)
    factories.session(live_world.practitioner, live_world.family,
                      timezone.localdate() - timedelta(days=3))
    factories.session(live_world.colleague_other_team, live_world.other_family,
                      timezone.localdate() - timedelta(days=3))
    sign_in(page, live_server, data_team)
    page.goto(f"{live_server.url}/dashboards/")
    usage = page.locator("#usage-heading ~ .ff-scroll table").first
    text = usage.inner_text()
    assert "North 1" in text and "South 2" in text
    assert_no_axe_violations(page, "dashboards for the data team")
    # On a phone the tables, a column a team's figure, scroll in their own boxes: the page not.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page, "dashboards for the data team on a phone")
