"""Wrong passwords cannot be used to keep a colleague out (ADR 0015): an account is slowed,
never locked, and its owner can always reset by email; a client guessing at many accounts is
refused; people behind the service's proxy are told apart by their own address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F, Sum
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from familyfeedback.lib.client_ip import client_ip
from tests import factories, oidc_provider
from tests.accounts.resetting import NEW_PASSWORD, ask_for_reset, choose_password, link_in
from tests.accounts.test_single_sign_on import sign_in_at_the_council

PROXY = "10.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.FF_TRUSTED_PROXIES = 1


def browser_at(address: str) -> Client:
    """A browser on a machine with this address, reaching the service through its proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def sign_in(client, email, password=factories.PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def failures_for(email: str) -> int:
    return AccessAttempt.objects.filter(username=email).aggregate(
        n=Sum("failures_since_start"))["n"] or 0


def time_passes(minutes: int) -> None:
    """Every wrong password recorded moves this far into the past."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_five_wrong_passwords_slow_the_account_down_but_never_lock_it(world, client):
    for _ in range(5):
        sign_in(client, "pat@example.test", "wrong")
    # Even the right password, typed with other capitals, waits.
    response = sign_in(client, "Pat@Example.test")
    page = response.content.decode()
    assert response.status_code == 429
    assert "too many wrong passwords for this email address. Wait 1 minute" in page
    assert client.get(reverse("home")).status_code == 302  # still signed out

    time_passes(2)
    assert sign_in(client, "pat@example.test")["Location"] == reverse("home")


def test_the_right_password_forgets_nothing_until_the_code_is_given_too(world, client):
    device = factories.authenticator(world.practitioner)
    for _ in range(3):
        sign_in(client, "pat@example.test", "wrong")
    sign_in(client, "pat@example.test")
    # Whoever typed the password may be the guesser, without the phone.
    assert failures_for("pat@example.test") == 3
    assert client.post(reverse("verify_code"), {"code": factories.code_now(device)}
                       ).status_code == 302
    assert failures_for("pat@example.test") == 0


def test_a_recovery_code_in_place_of_the_app_counts_as_signing_in(world, client):
    factories.authenticator(world.practitioner)
    factories.recovery_codes(world.practitioner, "abcd-efgh-2345")
    sign_in(client, "pat@example.test", "wrong")
    sign_in(client, "pat@example.test")
    assert failures_for("pat@example.test") == 1
    client.post(reverse("recovery_code_sign_in"), {"code": "abcd-efgh-2345"})
    assert failures_for("pat@example.test") == 0


def test_setting_up_the_app_counts_as_signing_in(world, client):
    sign_in(client, "pat@example.test", "wrong")
    sign_in(client, "pat@example.test")
    client.get(reverse("enrol_two_factor"))
    assert failures_for("pat@example.test") == 1
    device = TOTPDevice.objects.get(user=world.practitioner)
    client.post(reverse("enrol_two_factor"), {"code": factories.code_now(device)})
    assert failures_for("pat@example.test") == 0


def test_where_no_second_factor_is_asked_the_password_alone_forgets_them(world, client,
                                                                         settings):
    settings.REQUIRE_TWO_FACTOR = False
    sign_in(client, "pat@example.test", "wrong")
    assert sign_in(client, "pat@example.test")["Location"] == reverse("home")
    assert failures_for("pat@example.test") == 0


@pytest.mark.parametrize(("counts_as_two_factor", "left"), [(True, 0), (False, 1)])
def test_a_council_sign_in_forgets_them_only_where_it_counts_as_the_second_factor(
        world, client, settings, counts_as_two_factor, left):
    settings.SSO_COUNTS_AS_TWO_FACTOR = counts_as_two_factor
    sign_in(client, "pat@example.test", "wrong")
    with oidc_provider.configured(settings) as provider:
        sign_in_at_the_council(client, provider, "pat@example.test")
    assert failures_for("pat@example.test") == left


def test_tries_made_too_soon_count_for_nothing_so_hammering_does_not_lengthen_the_wait(
        world, client):
    for _ in range(5):
        sign_in(client, "pat@example.test", "wrong")
    for _ in range(30):
        assert sign_in(client, "pat@example.test", "wrong").status_code == 429
    assert failures_for("pat@example.test") == 5
    time_passes(2)
    assert sign_in(client, "pat@example.test")["Location"] == reverse("home")


def test_each_wrong_password_after_the_wait_doubles_the_next_wait(world, client):
    for _ in range(5):
        sign_in(client, "pat@example.test", "wrong")
    time_passes(2)
    sign_in(client, "pat@example.test", "wrong")
    assert "Wait 2 minutes" in sign_in(client, "pat@example.test").content.decode()


def test_an_attacker_cannot_keep_a_colleague_out_who_resets_and_signs_in(
        world, behind_proxy, mailoutbox):
    attacker, pat = browser_at("203.0.113.66"), browser_at("203.0.113.7")
    for _ in range(40):
        sign_in(attacker, "pat@example.test", "guess")
    assert "Wait" in sign_in(pat, "pat@example.test").content.decode()

    ask_for_reset(pat, "pat@example.test")
    done = choose_password(pat, link_in(mailoutbox[0].body))
    assert "Your password has been changed" in done.content.decode()
    assert sign_in(pat, "pat@example.test", NEW_PASSWORD)["Location"] == reverse("home")
    # Her password is taken: she goes on to set up her authenticator app.
    assert pat.get(reverse("home"))["Location"].startswith(reverse("enrol_two_factor"))


def test_the_locked_out_page_offers_the_reset_link(world, behind_proxy):
    sprayer = browser_at("203.0.113.66")
    for n in range(20):
        sign_in(sprayer, f"person{n}@example.test", "guess")
    page = sign_in(sprayer, "pat@example.test").content.decode()
    assert "There have been 20 wrong passwords from this device" in page
    assert f'href="{reverse("password_reset")}"' in page


def test_many_wrong_passwords_from_one_client_get_that_client_refused_even_the_right_one(
        world, behind_proxy):
    sprayer = browser_at("203.0.113.66")
    for n in range(19):
        assert sign_in(sprayer, f"person{n}@example.test", "guess").status_code == 200
    assert sign_in(sprayer, "person19@example.test", "guess").status_code == 429
    assert sign_in(sprayer, "pat@example.test").status_code == 429
    assert sprayer.get(reverse("home")).status_code == 302


def test_two_people_behind_the_same_proxy_are_counted_apart(world, behind_proxy):
    sprayer, colleague = browser_at("203.0.113.66"), browser_at("203.0.113.7")
    for n in range(20):
        sign_in(sprayer, f"person{n}@example.test", "guess")
    assert sign_in(sprayer, "cole@example.test").status_code == 429
    assert sign_in(colleague, "cole@example.test")["Location"] == reverse("home")


def test_a_client_writing_its_own_forwarded_for_is_still_counted_as_itself(world, behind_proxy):
    for n in range(20):
        # What the client wrote comes first; the proxy appends the address it saw.
        sneaky = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.66")
        sign_in(sneaky, f"person{n}@example.test", "guess")
    assert sign_in(browser_at("203.0.113.66"), "pat@example.test").status_code == 429


def test_signing_in_to_ones_own_account_does_not_wipe_the_count_of_guesses_at_others(
        world, behind_proxy):
    insider = browser_at("203.0.113.66")
    for n in range(19):
        sign_in(insider, f"person{n}@example.test", "guess")
    assert sign_in(insider, "otto@example.test")["Location"] == reverse("home")
    insider.post(reverse("logout"))
    sign_in(insider, "person19@example.test", "guess")
    assert sign_in(insider, "otto@example.test").status_code == 429


@pytest.mark.parametrize(("trusted", "remote", "forwarded", "client"), [
    (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no proxy: the header is the client's
    (1, PROXY, "198.51.100.1, 203.0.113.9", "203.0.113.9"),
    (2, PROXY, "198.51.100.1, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    (2, PROXY, "203.0.113.9", PROXY),  # not through both proxies: only the connection is known
    (1, PROXY, "not an address", PROXY),
    (1, PROXY, "2001:db8::1", "2001:db8::1"),
])
def test_the_client_address_is_read_from_the_right_past_the_trusted_proxies(
        settings, trusted, remote, forwarded, client):
    settings.FF_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client


def test_an_address_that_grows_too_long_in_lower_case_is_refused_plainly(world, client):
    response = sign_in(client, "İ" * 200 + "@example.test", "guess")
    assert "Enter a correct email address and password" in response.content.decode()
    assert not AccessAttempt.objects.exists()
