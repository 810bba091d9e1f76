"""The pages around signing in, and a personal survey link, in a real browser: a forgotten
password reset by the emailed link, and each page on the way passes axe."""

from django.test import Client

from tests.accounts.resetting import NEW_PASSWORD, link_in
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import assert_error_summary_shows, submit, visit
from tests.evaluation.builders import open_baseline


def test_a_practitioner_resets_a_forgotten_password_by_email(live_world, live_server, page,
                                                             mailoutbox):
    """Given a practitioner who has forgotten their password,
    When they follow Forgotten your password?, ask for a link, open it and choose a new one,
    Then they sign in with it; the link then does not work again; axe finds nothing."""
    visit(page, live_server, "/sign-in/")
    with page.expect_navigation():
        page.get_by_role("link", name="Forgotten your password?").click()
    assert_no_axe_violations(page, "the reset page")
    submit(page, "Send the link")
    assert_error_summary_shows(page, "Enter your email address")
    assert_no_axe_violations(page, "the reset page with errors")
    page.fill("#email", live_world.practitioner.email)
    submit(page, "Send the link")
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert_no_axe_violations(page, "check your email")

    link = link_in(mailoutbox[0].body)
    visit(page, live_server, link)
    assert page.get_by_role("heading", name="Choose a new password").is_visible()
    assert_no_axe_violations(page, "choose a new password")
    page.fill("#new_password1", NEW_PASSWORD)
    page.fill("#new_password2", "something else entirely")
    submit(page, "Save the new password")
    assert_error_summary_shows(page, "The two passwords are not the same")
    assert_no_axe_violations(page, "choose a new password with errors")
    page.fill("#new_password1", NEW_PASSWORD)
    page.fill("#new_password2", NEW_PASSWORD)
    submit(page, "Save the new password")
    assert page.get_by_role("heading", name="Your password has been changed").is_visible()
    assert_no_axe_violations(page, "password changed")

    visit(page, live_server, link)
    assert page.get_by_role("heading", name="This link does not work").is_visible()
    assert_no_axe_violations(page, "a used reset link")
    sign_in(page, live_server, live_world.practitioner, password=NEW_PASSWORD)


def test_a_personal_survey_link_and_the_evaluators_list_of_links(live_world, live_server, page,
                                                                 new_context):
    """Given a trial with the baseline open,
    When a practitioner follows their link, and someone follows a link that does not work,
    and the evaluator opens the trial page,
    Then the first lands on a page without the token, the second is told plainly, the evaluator
    sees each link by pseudonym; axe finds nothing."""
    trial, me, _ = open_baseline(live_world, Client())
    visit(page, live_server, f"/surveys/link/{me.link_token}/")
    assert page.url == f"{live_server.url}/surveys/by-link/"
    assert page.get_by_role("heading", name="Your surveys: Pilot").is_visible()
    assert_no_axe_violations(page, "surveys by link")

    stranger = new_context().new_page()
    visit(stranger, live_server, "/surveys/link/no-such-link/", status=404)
    assert stranger.get_by_role("heading", name="This survey link does not work").is_visible()
    assert_no_axe_violations(stranger, "a survey link that does not work")

    evaluator = new_context().new_page()
    sign_in(evaluator, live_server, live_world.evaluator)
    visit(evaluator, live_server, f"/evaluation/{trial.pk}/")
    code = me.practitioner_code
    with evaluator.expect_navigation():
        evaluator.get_by_role("button", name=f"Revoke {code}'s link").click()
    assert evaluator.get_by_text(f"{code}'s survey link no longer works").is_visible()
    assert_no_axe_violations(evaluator, "the trial page with survey links")
