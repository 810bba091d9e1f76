"""A council starts from an empty database and, through the pages alone, sets up its teams and
people; a practitioner opens a family and records a session; a manager moves it to the other
team, and the practitioner can no longer see it (issue 10's proof). Nothing is made through the
ORM: the test reads only what a person would (the printed link, the email, the key on the page,
from which it computes codes as an authenticator app does). axe finds nothing on any new page."""

import io
import re
from dataclasses import dataclass

from django.core import mail
from django.core.management import call_command

from familyfeedback.accounts.models import Team, User
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_accessibility import submit, visit
from tests.browser.test_families import HOUSEHOLD, fill_person
from tests.browser.test_two_factor import App, password


@dataclass
class Newcomer:
    name: str
    email: str
    password: str


ADMIN = Newcomer("Ada Admin", "ada@council.example", "a long and unusual passphrase 42")
MANAGER = Newcomer("Mo Manager", "mo@council.example", "another long passphrase for mo 7")
PRACTITIONER = Newcomer("Pip Practitioner", "pip@council.example", "pip's own long passphrase 19")


def link_path(text: str, live_server) -> str:
    """The path of the set-up link in a printed message or an email, which must name the
    service's own address."""
    return re.search(rf"{re.escape(live_server.url)}(/invitation/\S+/)", text).group(1)


def emailed_link(person: Newcomer, live_server) -> str:
    [sent] = [m for m in mail.outbox if m.to == [person.email]]
    return link_path(sent.body, live_server)


def accepts_and_enrols(page, live_server, person: Newcomer, link: str) -> None:
    """They open their link, set a password, sign in with it and set up their authenticator
    app from the key the page shows, keep their recovery codes, and land on the home page."""
    visit(page, live_server, link)
    assert page.get_by_role("heading", name="Set your password").is_visible()
    assert_no_axe_violations(page, "the set-password page")
    page.fill("#password", person.password)
    page.fill("#confirm", person.password)
    submit(page, "Set password")
    assert "Your password is set" in page.locator(".govuk-notification-banner").inner_text()

    password(page, live_server, person.email, person.password)
    assert page.get_by_role("heading", name="Set up your authenticator app").is_visible()
    assert_no_axe_violations(page, "setting up an authenticator app")
    page.fill("#code", App(page.locator(".ff-secret").inner_text()).code())
    submit(page, "Continue")
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    assert_no_axe_violations(page, "the recovery codes")
    with page.expect_navigation():
        page.get_by_role("link", name="I have kept my codes, continue").click()
    assert page.url == f"{live_server.url}/"


def administration(page, part: str) -> None:
    """Go to People or Teams by the Administration sub-navigation."""
    page.get_by_role("navigation", name="Administration").get_by_role("link", name=part).click()


def create_team(page, name: str) -> None:
    administration(page, "Teams")
    assert_no_axe_violations(page, "the teams list")
    page.get_by_role("button", name="Create a team").click()
    assert_no_axe_violations(page, "the new team page")
    page.fill("#name", name)
    submit(page, "Create team")
    assert page.get_by_role("heading", name=name).is_visible()
    assert_no_axe_violations(page, "a team's page")


def invite(page, person: Newcomer, role: str, team: str, *, manages: bool) -> None:
    administration(page, "People")
    assert_no_axe_violations(page, "the people list")
    page.get_by_role("button", name="Invite a person").click()
    assert_no_axe_violations(page, "the invite page")
    page.fill("#full_name", person.name)
    page.fill("#email", person.email)
    page.get_by_label(role, exact=True).check()
    legend = "Teams they manage" if manages else "Teams they work in"
    page.locator("fieldset", has_text=legend).get_by_label(team).check()
    submit(page, "Send invitation")
    assert page.get_by_role("heading", name=person.name).is_visible()
    assert_no_axe_violations(page, "a person's page")


def complete(page, label: str) -> str:
    """Tick "<name> completed the <measure>" and give back the form's prefix."""
    radio = page.get_by_label(label, exact=True)
    radio.check()
    return radio.get_attribute("id").removesuffix("-status")


def type_marks(page, prefix: str, *marks: str) -> None:
    for n, mark in enumerate(marks, start=1):
        page.fill(f"#{prefix}-item_{n}", mark)


def test_a_council_starts_from_nothing_and_moves_a_family_between_its_teams(
        transactional_db, live_server, settings, page, new_context):
    # Given an empty database, and the service's address known to it.
    assert not User.objects.exists() and not Team.objects.exists()
    settings.SITE_URL = live_server.url

    # When the council's IT creates the first administrator, who follows the printed link.
    printed = io.StringIO()
    call_command("create_administrator", ADMIN.email, "--name", ADMIN.name, stdout=printed)
    accepts_and_enrols(page, live_server, ADMIN, link_path(printed.getvalue(), live_server))

    # And the administrator creates two teams, and invites a manager and a practitioner.
    page.get_by_role("link", name="Administration").click()
    create_team(page, "North 1")
    create_team(page, "South 2")
    invite(page, MANAGER, "Team manager", "North 1", manages=True)
    invite(page, PRACTITIONER, "Practitioner", "North 1", manages=False)

    # And each opens their emailed link on their own device, sets a password and an app.
    manager = new_context().new_page()
    accepts_and_enrols(manager, live_server, MANAGER, emailed_link(MANAGER, live_server))
    practitioner = new_context().new_page()
    accepts_and_enrols(practitioner, live_server, PRACTITIONER,
                       emailed_link(PRACTITIONER, live_server))

    # And the practitioner opens a family of three...
    practitioner.get_by_role("button", name="Open a new family").click()
    practitioner.wait_for_url(f"{live_server.url}/families/new/")
    assert_no_axe_violations(practitioner, "the open-a-family page")
    practitioner.fill("#name", "Carrow family")
    practitioner.fill("#case_reference", "EH-7001")
    for n, person in enumerate(HOUSEHOLD):
        fill_person(practitioner, n, *person)
    submit(practitioner, "Open the family")
    assert practitioner.get_by_role("heading", name="Carrow family", level=1).is_visible()
    assert_no_axe_violations(practitioner, "a new family's page")
    family_page = re.search(r"/families/\d+/$", practitioner.url).group(0)

    # ...and records a session with each person's ratings.
    practitioner.get_by_role("button", name="Type in a session from paper").click()
    assert_no_axe_violations(practitioner, "the record-a-session page")
    type_marks(practitioner, complete(practitioner, "Dee completed the ORS"),
               "6.5", "7.0", "5.5", "8.0")
    type_marks(practitioner, complete(practitioner, "Dee completed the SRS"),
               "9.0", "9.5", "8.5", "10")
    type_marks(practitioner, complete(practitioner, "Eli completed the CORS"),
               "4.0", "5.0", "6.0", "7.0")
    type_marks(practitioner, complete(practitioner, "Eli completed the CSRS"),
               "9.0", "9.0", "9.0", "9.5")
    practitioner.check(f"#{complete(practitioner, 'Fin completed the YCORS')}-face-3")
    practitioner.check(f"#{complete(practitioner, 'Fin completed the YCSRS')}-face-2")
    submit(practitioner, "Save session")
    assert "Session recorded" in practitioner.locator(".govuk-notification-banner").inner_text()
    totals = practitioner.locator("main table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].slice(0, 4).map(c => c.innerText.trim()))")
    assert [row[1] for row in totals] == ["ORS", "SRS", "CORS", "CSRS", "YCORS", "YCSRS"]
    assert [row[3] for row in totals[:4]] == ["27.0", "37.0", "22.0", "36.5"]
    assert_no_axe_violations(practitioner, "a recorded session")

    # And the manager moves the family to the other team, no key worker chosen there yet.
    visit(manager, live_server, "/")
    assert manager.get_by_role("heading", name="Your team's families").is_visible()
    manager.get_by_role("link", name="Carrow family").click()
    manager.get_by_role("link", name="Change the key worker or team").first.click()
    assert_no_axe_violations(manager, "the change-key-worker-or-team page")
    manager.select_option("#team", label="South 2")
    manager.select_option("#key_worker", label="No key worker yet")
    submit(manager, "Save")
    assert ("Carrow family: South 2, key worker not set yet"
            in manager.locator(".govuk-notification-banner").inner_text())

    # Then the practitioner of the first team is told the family is not there,
    visit(practitioner, live_server, family_page, status=404)
    assert_no_axe_violations(practitioner, "the page for a family not there")
    # and the administrator's teams list shows it open in the second team.
    administration(page, "Teams")
    rows = page.locator("main tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")
    assert [(row[0], row[3]) for row in rows] == [("North 1", "0"), ("South 2", "1")]
