"""The administration pages and the set-up link in a real browser: each passes axe's WCAG 2.2 AA
rules, empty, filled and with errors."""

import re

from django.core import mail

from familyfeedback.accounts.models import User
from tests import factories
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import assert_error_summary_shows, submit, visit

PASSWORD = "a long and unusual passphrase 42"


def test_the_people_pages_are_accessible_from_inviting_to_setting_a_password(
        live_world, live_server, page, new_context):
    """Given the administrator,
    When they open the people list, invite a person (first wrongly, then rightly) and change
    their roles and teams, and the person opens their link and sets a password (first wrongly),
    Then axe finds no violation on any page, and the person signs in with the new password."""
    sign_in(page, live_server, live_world.administrator)
    page.get_by_role("link", name="Administration").click()
    assert page.get_by_role("heading", name="People").is_visible()
    assert_no_axe_violations(page, "the people list")
    page.fill("#q", "pat")
    submit(page, "Search")
    assert page.locator("main tbody tr").count() == 1
    assert_no_axe_violations(page, "the people list searched")

    page.get_by_role("button", name="Invite a person").click()
    assert_no_axe_violations(page, "the invite page")
    page.fill("#email", "pat@example.test")
    submit(page, "Send invitation")
    assert_error_summary_shows(page, "Enter the person's full name", "already has an account",
                               "Choose at least one role")
    assert_no_axe_violations(page, "the invite page with errors")
    page.fill("#full_name", "Nia Newton")
    page.fill("#email", "nia@example.test")
    page.get_by_label("Practitioner", exact=True).check()
    page.locator("fieldset", has_text="Teams they work in").get_by_label("North 1").check()
    submit(page, "Send invitation")
    assert page.get_by_role("heading", name="Nia Newton").is_visible()
    assert_no_axe_violations(page, "a person's page")

    page.get_by_label("Senior practitioner").check()
    submit(page, "Save roles")
    page.select_option("#move-" + re.search(r'id="move-(\d+)-to"', page.content()).group(1)
                       + "-to", label="South 2")
    submit(page, "Move")
    assert "moved from North 1 to South 2" in page.locator(".govuk-notification-banner")\
        .inner_text()
    assert_no_axe_violations(page, "a person's page after a move")
    submit(page, "Add to team")
    assert_error_summary_shows(page, "Choose a team")
    assert_no_axe_violations(page, "a person's page with an error")

    link = re.search(r"http://\S+(/invitation/\S+/)", mail.outbox[-1].body).group(1)
    person_page = new_context().new_page()
    visit(person_page, live_server, link)
    assert person_page.get_by_role("heading", name="Set your password").is_visible()
    assert_no_axe_violations(person_page, "the set-password page")
    person_page.fill("#password", "short")
    person_page.fill("#confirm", "short")
    submit(person_page, "Set password")
    assert_error_summary_shows(person_page, "too short")
    assert_no_axe_violations(person_page, "the set-password page with errors")
    person_page.fill("#password", PASSWORD)
    person_page.fill("#confirm", PASSWORD)
    submit(person_page, "Set password")
    assert "Your password is set" in person_page.content()
    sign_in(person_page, live_server, User.objects.get(email="nia@example.test"), PASSWORD)
    visit(person_page, live_server, link, status=404)
    assert person_page.get_by_role("heading", name="This link no longer works").is_visible()
    assert_no_axe_violations(person_page, "a spent set-up link")


def test_the_team_pages_are_accessible_from_creating_to_archiving(live_world, live_server,
                                                                  page):
    """Given the administrator and a team manager,
    When they create a team (first with a name in use), choose its manager, rename it, and try
    to archive a team with open families, then archive the new one,
    Then axe finds no violation on any page."""
    factories.user("nell@example.test", "team_manager")
    sign_in(page, live_server, live_world.administrator)
    visit(page, live_server, "/administration/teams/")
    assert_no_axe_violations(page, "the teams list")
    page.get_by_role("button", name="Create a team").click()
    assert_no_axe_violations(page, "the new team page")
    page.fill("#name", "north 1")
    submit(page, "Create team")
    assert_error_summary_shows(page, "There is already a team called north 1")
    assert_no_axe_violations(page, "the new team page with an error")
    page.fill("#name", "East 3")
    submit(page, "Create team")
    assert page.get_by_role("heading", name="East 3").is_visible()
    assert_no_axe_violations(page, "a team's page")
    page.get_by_label("Nell").check()
    submit(page, "Save managers")
    page.fill("#name", "East Three")
    submit(page, "Rename team")
    assert page.get_by_role("heading", name="East Three").is_visible()

    visit(page, live_server, f"/administration/teams/{live_world.team.pk}/archive/")
    assert "has 1 open family" in page.content()
    assert_no_axe_violations(page, "archiving a team with open families")
    visit(page, live_server, "/administration/teams/")
    page.get_by_role("link", name="East Three").click()
    page.get_by_role("link", name="Archive East Three").click()
    assert_no_axe_violations(page, "archiving a team")
    submit(page, "Archive team")
    assert page.get_by_role("heading", name="Teams").is_visible()
    assert page.get_by_role("link", name="East Three").count() == 0


def test_switching_an_account_off_and_on_and_resetting_a_sign_in_are_accessible(
        live_world, live_server, page, new_context):
    """Given the administrator and a practitioner signed in on their own tablet,
    When the administrator resets the practitioner's sign-in, switches their account off (and
    tries to switch off their own), then switches it back on, each through its confirmation page,
    Then axe finds no violation on any page, and the practitioner's tablet is signed out."""
    tablet = new_context().new_page()
    sign_in(tablet, live_server, live_world.practitioner)
    sign_in(page, live_server, live_world.administrator)
    visit(page, live_server, f"/administration/people/{live_world.practitioner.pk}/")

    page.get_by_role("button", name="Reset sign-in (lost phone)").click()
    assert page.get_by_role("heading", name="Reset Pat's sign-in").is_visible()
    assert_no_axe_violations(page, "resetting a sign-in")
    submit(page, "Reset sign-in")
    assert "Pat's sign-in is reset" in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("button", name="Switch off account").click()
    assert_no_axe_violations(page, "switching an account off")
    submit(page, "Switch off account")
    assert "switched off" in page.locator(".govuk-notification-banner").inner_text()
    assert_no_axe_violations(page, "a switched-off person's page")
    visit(tablet, live_server, "/")
    assert tablet.url.startswith(f"{live_server.url}/sign-in/")

    visit(page, live_server, f"/administration/people/{live_world.administrator.pk}/switch-off/")
    submit(page, "Switch off account")
    assert_error_summary_shows(page, "You cannot switch off your own account")
    assert_no_axe_violations(page, "switching off one's own account")

    visit(page, live_server, f"/administration/people/{live_world.practitioner.pk}/")
    page.get_by_role("button", name="Switch account back on").click()
    assert_no_axe_violations(page, "switching an account back on")
    submit(page, "Switch account back on")
    assert "switched back on" in page.locator(".govuk-notification-banner").inner_text()
