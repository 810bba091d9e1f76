"""How long a signed-in session lasts, and that signing out or being switched off ends every
session of that person. Time is moved the way it passes for a real session: the times stored in
it are set back."""

from datetime import timedelta

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from familyfeedback.accounts import actions
from familyfeedback.accounts.models import AuditEntry, User
from familyfeedback.accounts.session_limits import LAST_SEEN, SIGNED_IN_AT
from tests import factories

MINUTE, HOUR = 60, 60 * 60


def signed_in(email: str = "pat@example.test") -> Client:
    """A browser signed in through the sign-in page and its code step, that has since opened a
    page."""
    browser = Client()
    app = factories.authenticator(User.objects.get(email=email))
    response = browser.post(reverse("login"), {"username": email,
                                               "password": factories.PASSWORD})
    assert response["Location"] == reverse("home")
    assert browser.get(reverse("home"))["Location"].startswith(reverse("verify_code"))
    browser.post(reverse("verify_code"), {"code": factories.unused_code(app)})
    assert browser.get(reverse("home")).status_code == 200
    return browser


def set_back(browser: Client, key: str, seconds: int) -> None:
    session = browser.session
    session[key] -= seconds
    session.save()


def is_signed_in(browser: Client) -> bool:
    return browser.get(reverse("home")).status_code == 200


def test_a_session_left_alone_for_over_half_an_hour_is_signed_out_and_says_why(world):
    browser = signed_in()
    set_back(browser, LAST_SEEN, 31 * MINUTE)
    response = browser.get(reverse("family", args=[world.family.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[0][0] == (
        f"{reverse('login')}?next={reverse('family', args=[world.family.pk])}")
    assert "You were signed out because Family Feedback was not used for 30 minutes" in page
    assert not is_signed_in(browser)


def test_a_session_used_within_half_an_hour_carries_on(world):
    browser = signed_in()
    for _ in range(3):
        set_back(browser, LAST_SEEN, 29 * MINUTE)
        assert is_signed_in(browser)


def test_the_idle_timeout_is_a_setting(world, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=10)
    browser = signed_in()
    set_back(browser, LAST_SEEN, 11 * MINUTE)
    assert not is_signed_in(browser)


def test_a_session_ends_eight_hours_after_signing_in_however_busy(world):
    browser = signed_in()
    set_back(browser, SIGNED_IN_AT, 8 * HOUR - MINUTE)
    assert is_signed_in(browser)
    set_back(browser, SIGNED_IN_AT, 2 * MINUTE)
    page = browser.get(reverse("home"), follow=True).content.decode()
    assert "you had been signed in for 8 hours" in page
    assert not is_signed_in(browser)


def test_the_session_cookie_goes_when_the_browser_closes(world, client):
    response = client.post(reverse("login"), {"username": "pat@example.test",
                                              "password": factories.PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_signing_out_in_one_browser_signs_the_person_out_in_every_other(world):
    tablet, office = signed_in(), signed_in()
    colleague = signed_in("cole@example.test")
    assert tablet.post(reverse("logout"))["Location"] == reverse("login")
    assert not is_signed_in(tablet)
    assert not is_signed_in(office)
    assert is_signed_in(colleague)
    assert AuditEntry.objects.filter(action="user.sessions_end",
                                     object_id=world.practitioner.pk).count() == 1
    assert is_signed_in(signed_in())  # and signing in again works


def test_ending_all_sessions_ends_a_live_one_at_its_next_request(world):
    browser = signed_in()
    actions.end_all_sessions(world.practitioner, by=world.administrator)
    assert not is_signed_in(browser)


def test_switching_an_account_off_ends_its_live_session_and_it_cannot_sign_in(world):
    browser = signed_in()
    actions.deactivate(world.administrator, world.practitioner)
    assert not is_signed_in(browser)
    page = Client().post(reverse("login"), {"username": "pat@example.test",
                                            "password": factories.PASSWORD}).content.decode()
    assert "Enter a correct email address and password" in page
    assert AuditEntry.objects.filter(action="user.deactivate", actor=world.administrator,
                                     object_id=world.practitioner.pk).exists()


def test_being_switched_off_is_refused_at_the_next_request_even_with_the_session_intact(world):
    """The backend refuses a switched-off account by itself; the session version is a second
    lock, not the only one."""
    browser = signed_in()
    world.practitioner.is_active = False
    world.practitioner.save(update_fields=["is_active"])
    assert not is_signed_in(browser)


def test_switching_an_account_back_on_lets_it_sign_in_but_brings_no_old_session_back(world):
    browser = signed_in()
    actions.deactivate(world.administrator, world.practitioner)
    actions.reactivate(world.administrator, world.practitioner)
    assert not is_signed_in(browser)
    assert is_signed_in(signed_in())
    assert AuditEntry.objects.filter(action="user.reactivate").count() == 1


def test_nobody_can_switch_off_their_own_account(world):
    with pytest.raises(ValidationError, match="your own account"):
        actions.deactivate(world.administrator, world.administrator)
    assert is_signed_in(signed_in("ada@example.test"))


def test_sessions_from_before_the_session_version_are_not_ended_by_it(world):
    user = world.practitioner
    assert user.session_version == 0
    assert user.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(user)


def test_a_lifetime_of_less_than_an_hour_is_told_in_minutes(world, settings):
    settings.SESSION_COOKIE_AGE = 45 * MINUTE
    browser = signed_in()
    set_back(browser, SIGNED_IN_AT, 46 * MINUTE)
    page = browser.get(reverse("home"), follow=True).content.decode()
    assert "you had been signed in for 45 minutes" in page
