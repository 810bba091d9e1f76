"""An evaluator sets up and randomises a trial and opens the baseline survey; a practitioner
answers it; the evaluator sees the response. Every page on the way passes axe."""

from familyfeedback.accounts.models import Team
from familyfeedback.evaluation.models import Response, Trial
from tests import factories
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in


def test_an_evaluator_runs_a_trial_and_a_practitioner_answers(live_world, page, live_server,
                                                              new_context):
    """Given three teams, When the evaluator creates a trial, groups two teams into one unit,
    randomises and opens the baseline wave, and a practitioner completes the survey,
    Then the evaluator's response table counts that practitioner's answer."""
    central = Team.objects.create(name="Central")
    factories.user("cara@example.test", team=central)
    sign_in(page, live_server, live_world.evaluator)
    page.goto(f"{live_server.url}/evaluation/")
    assert_no_axe_violations(page, "trials")
    page.get_by_role("button", name="Create a trial").click()
    page.get_by_label("Name").fill("Pilot")
    with page.expect_navigation():
        page.get_by_role("button", name="Create trial").click()
    trial = Trial.objects.get(name="Pilot")
    assert_no_axe_violations(page, "a new trial")

    for team in (live_world.team, live_world.other_team, central):
        page.check(f"#team-{team.pk}")
    page.fill(f"#unit-{live_world.team.pk}", "North and South")
    page.fill(f"#unit-{live_world.other_team.pk}", "North and South")
    with page.expect_navigation():
        page.get_by_role("button", name="Save teams").click()
    page.fill("#seed", "20221004")
    with page.expect_navigation():
        page.get_by_role("button", name="Randomise").click()
    arms = {t.team_name: t.arm for t in trial.teams.all()}
    assert arms["North 1"] == arms["South 2"] != arms["Central"]
    assert page.get_by_text(trial.allocation.digest).is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Open the baseline survey").click()
    assert_no_axe_violations(page, "a randomised trial")

    practitioner_page = new_context().new_page()
    sign_in(practitioner_page, live_server, live_world.practitioner)
    practitioner_page.goto(f"{live_server.url}/surveys/")
    with practitioner_page.expect_navigation():
        practitioner_page.get_by_role("link", name="Pilot: baseline survey").click()
    assert_no_axe_violations(practitioner_page, "the baseline survey")
    for group in practitioner_page.locator(".govuk-radios").all()[:5]:
        group.locator("input").nth(5).check()
    with practitioner_page.expect_navigation():
        practitioner_page.get_by_role("button", name="Send my answers").click()
    # Questions are left unanswered: the page asks once, with the answers kept.
    assert practitioner_page.get_by_text("Send anyway?").is_visible()
    assert_no_axe_violations(practitioner_page, "the survey asking whether to send anyway")
    with practitioner_page.expect_navigation():
        practitioner_page.get_by_role("button", name="Send anyway").click()
    assert Response.objects.filter(respondent__user=live_world.practitioner).count() == 5

    page.reload()
    row = page.locator("#responses tr").filter(has_text="North 1")
    assert row.locator("td").nth(2).inner_text() == "1"
    assert_no_axe_violations(page, "the trial page with response rates")
    with page.expect_navigation():
        page.get_by_role("button", name="Close the baseline survey now").click()
    with practitioner_page.expect_navigation():
        practitioner_page.get_by_role("link", name="Pilot: baseline survey").click()
    assert practitioner_page.get_by_text("This survey closed on").is_visible()
    assert_no_axe_violations(practitioner_page, "a closed survey")
    page.goto(f"{live_server.url}/evaluation/{trial.pk}/consent/")
    assert_no_axe_violations(page, "consent")
    with page.expect_navigation():
        page.get_by_role("link", name="Record consent or withdrawal for P001").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Record consent").click()
    assert page.get_by_text("Tick each statement the practitioner agreed to").first.is_visible()
    assert_no_axe_violations(page, "a practitioner's consent, with errors")
    page.get_by_label("I agree to answer the practitioner surveys").check()
    page.fill("#given_on-day", "1")
    page.fill("#given_on-month", "6")
    page.fill("#given_on-year", "2026")
    page.fill("#information_sheet_version", "2.1")
    with page.expect_navigation():
        page.get_by_role("button", name="Record consent").click()
    assert page.locator("#consents").get_by_text("information sheet 2.1").is_visible()
    page.goto(f"{live_server.url}/evaluation/{trial.pk}/consent/"
              f"{trial.practitioners.get(practitioner_code='P001').pk}/")
    assert_no_axe_violations(page, "a practitioner's consent, with a withdrawal form")
    page.goto(f"{live_server.url}/evaluation/{trial.pk}/analysis/")
    assert_no_axe_violations(page, "the analysis")
    page.goto(f"{live_server.url}/evaluation/{trial.pk}/report/")
    assert_no_axe_violations(page, "the report")
    page.goto(f"{live_server.url}/evaluation/{trial.pk}/report/sections/1.4/")
    page.get_by_label("What the evaluation found").fill("Reach was **good**.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "Reach was good." in page.locator(".ff-report__finding").first.inner_text()
    assert_no_axe_violations(page, "the report with a section written")
    page.goto(f"{live_server.url}/evaluation/{trial.pk}/report/sections/1.4/")
    page.get_by_label("What the evaluation found").fill("x" * 20_001)
    page.get_by_role("button", name="Save").click()
    assert_no_axe_violations(page, "a report section with an error")
    page.goto(f"{live_server.url}/evaluation/{trial.pk}/report/limitations/")
    assert_no_axe_violations(page, "the limitations")
    page.goto(f"{live_server.url}/evaluation/power/?clusters=10")
    assert_no_axe_violations(page, "power")
