"""Signing in with two factors in a real browser: a new person sets up their authenticator app
from the key the page shows (the test computes codes from it, as the app would), keeps their
recovery codes, signs in again with a code and with a recovery code; and a council account signs
in through a provider on 127.0.0.1. axe finds nothing on each new page."""

import re
import time
from base64 import b32decode

from django_otp.oath import TOTP

from tests import oidc_provider
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_accessibility import assert_error_summary_shows, submit
from tests.factories import PASSWORD


class App:
    """An authenticator app holding the key a person typed in from the page."""

    def __init__(self, typed_key: str):
        self.totp = TOTP(b32decode(typed_key.replace(" ", "")))
        self.used = -1

    def code(self) -> str:
        # A code is accepted once: after using one, wait for the app's next, as a person would.
        while self.totp.t() <= self.used:
            time.sleep(1)
        self.used = self.totp.t()
        return f"{self.totp.token():06d}"


def password(page, live_server, email: str, typed: str = PASSWORD):
    """The first step of signing in: the email address and password on the sign-in form."""
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("#username", email)
    page.fill("#password", typed)
    submit(page, "Sign in")


def test_a_new_person_sets_up_their_app_and_signs_in_with_codes(live_world, live_server, page):
    """Given a practitioner who has never signed in,
    When they give their password, set up their app and keep their recovery codes,
    And sign in again with a code from the app, then with a recovery code,
    Then each step lands where it should and axe finds no violation on any of the pages."""
    person = live_world.practitioner
    password(page, live_server, person.email)
    assert page.get_by_role("heading", name="Set up your authenticator app").is_visible()
    assert page.locator("svg.ff-qr").is_visible()
    assert_no_axe_violations(page, "setting up an authenticator app")
    submit(page, "Continue")
    assert_error_summary_shows(page, "Enter the 6-digit code from your authenticator app")
    assert_no_axe_violations(page, "setting up an authenticator app, with an error")

    app = App(page.locator(".ff-secret").inner_text())
    page.fill("#code", app.code())
    submit(page, "Continue")
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    codes = re.findall(r"[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}",
                       page.locator(".ff-recovery-codes").inner_text())
    assert len(codes) == 10
    assert page.get_by_role("button", name="Print these codes").is_visible()
    assert_no_axe_violations(page, "the recovery codes")
    with page.expect_navigation():
        page.get_by_role("link", name="I have kept my codes, continue").click()
    assert page.url == f"{live_server.url}/"
    submit(page, f"Sign out {person.full_name}")

    password(page, live_server, person.email)
    assert page.get_by_role("heading", name="Enter the code from your authenticator app")
    assert_no_axe_violations(page, "entering a code")
    page.fill("#code", app.code())
    submit(page, "Continue")
    assert page.url == f"{live_server.url}/"
    submit(page, f"Sign out {person.full_name}")

    password(page, live_server, person.email)
    with page.expect_navigation():
        page.get_by_role("link", name="I cannot use my authenticator app").click()
    assert_no_axe_violations(page, "entering a recovery code")
    page.fill("#code", codes[0])
    submit(page, "Continue")
    assert page.url == f"{live_server.url}/"
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "You have 9 recovery codes left" in banner


def test_a_council_account_signs_in_and_an_uninvited_one_is_refused(live_world, live_server, page,
                                                                   settings):
    """Given single sign-on set up with the council's provider,
    When an invited practitioner presses "Sign in with your council account",
    Then they are signed in; and someone not invited sees a page saying why, which axe passes."""
    with oidc_provider.configured(settings) as provider:
        provider.signs_in = live_world.practitioner.email
        page.goto(f"{live_server.url}/sign-in/")
        assert_no_axe_violations(page, "the sign-in page with single sign-on")
        with page.expect_navigation(url=f"{live_server.url}/"):
            page.get_by_role("link", name="Sign in with your council account").click()
        assert page.get_by_role("heading", name="My families").is_visible()
        submit(page, f"Sign out {live_world.practitioner.full_name}")

        provider.signs_in = "stranger@example.test"
        with page.expect_navigation(url=f"{live_server.url}/sign-in/council/refused/"):
            page.get_by_role("link", name="Sign in with your council account").click()
        assert page.get_by_role("heading",
                                name="Your council account cannot sign in here yet").is_visible()
        assert_no_axe_violations(page, "the refused single sign-on")
