"""Two-factor sign-in through the pages: after the password, a person sets up an authenticator app
(the codes here are computed from its secret as the app would) or gives a code from it; until
then no page of the service is reached."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from familyfeedback.accounts import actions
from familyfeedback.accounts.models import AuditEntry
from tests import factories


def password_step(client, user, next_page=""):
    response = client.post(reverse("login") + next_page,
                           {"username": user.email, "password": factories.PASSWORD,
                            "next": next_page.removeprefix("?next=")})
    assert response.status_code == 302
    return client.get(response["Location"])


def enrol(client, person) -> list[str]:
    """Set up an authenticator app through the pages; the recovery codes shown."""
    password_step(client, person)
    client.get(reverse("enrol_two_factor"))
    device = TOTPDevice.objects.get(user=person)
    response = client.post(reverse("enrol_two_factor"), {"code": factories.code_now(device)})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    return re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>", page)


def test_a_person_without_an_app_is_taken_to_set_one_up_after_their_password(world, client):
    response = password_step(client, world.practitioner)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('enrol_two_factor')}?next=/"
    page = client.get(response["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=world.practitioner, confirmed=False)
    assert "<svg" in page and "QR code for your authenticator app" in page
    assert factories.code_now(device) not in page
    # The key as text, in groups of four, for a phone that cannot scan.
    assert re.search(r"<code class=\"ff-secret\">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>", page)
    assert "My families" not in page  # no navigation to pages not yet reachable


def test_reloading_the_set_up_page_keeps_the_same_secret(world, client):
    password_step(client, world.practitioner)
    first = client.get(reverse("enrol_two_factor")).content.decode()
    again = client.get(reverse("enrol_two_factor")).content.decode()
    secret = re.search(r"ff-secret\">([^<]+)<", first)[1]
    assert secret in again and TOTPDevice.objects.filter(user=world.practitioner).count() == 1


def test_the_first_code_confirms_the_app_and_ten_recovery_codes_are_shown_once(world, client):
    codes = enrol(client, world.practitioner)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=world.practitioner).confirmed
    stored = set(StaticToken.objects.filter(device__user=world.practitioner)
                 .values_list("token", flat=True))
    plain = {c.replace("-", "") for c in codes} | set(codes)
    assert len(stored) == 10 and not stored & plain  # kept as hashes, not the codes
    assert client.get(reverse("recovery_codes")).status_code == 404  # never shown again
    assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(action="two_factor.enrol",
                                     object_id=world.practitioner.pk).count() == 1


def test_a_wrong_first_code_says_so_and_sets_up_nothing(world, client):
    password_step(client, world.practitioner)
    client.get(reverse("enrol_two_factor"))
    device = TOTPDevice.objects.get(user=world.practitioner)
    wrong = f"{(int(factories.code_now(device)) + 1) % 1_000_000:06d}"
    page = client.post(reverse("enrol_two_factor"), {"code": wrong}).content.decode()
    assert "That code is not right, or has been used" in page and "There is a problem" in page
    assert not TOTPDevice.objects.get(user=world.practitioner).confirmed
    assert not StaticDevice.objects.filter(user=world.practitioner).exists()
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter the 6-digit code from your authenticator app"),
    ("12345", "The code is 6 digits, like 123456"),
    ("12ab56", "The code is 6 digits, like 123456"),
])
def test_a_code_of_the_wrong_shape_is_named_plainly(world, client, typed, message):
    factories.authenticator(world.practitioner)
    password_step(client, world.practitioner)
    page = client.post(reverse("verify_code"), {"code": typed}).content.decode()
    assert message in page


def test_a_person_with_an_app_gives_its_code_and_goes_where_they_were_going(world, client):
    device = factories.authenticator(world.practitioner)
    family_page = reverse("family", args=[world.family.pk])
    response = password_step(client, world.practitioner, f"?next={family_page}")
    assert response["Location"].startswith(reverse("verify_code"))
    code = factories.code_now(device)
    response = client.post(response["Location"], {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302 and response["Location"] == family_page
    assert client.get(family_page).status_code == 200


def test_a_code_works_once(world):
    device = factories.authenticator(world.practitioner)
    code = factories.code_now(device)
    first, second = Client(), Client()
    password_step(first, world.practitioner)
    assert first.post(reverse("verify_code"), {"code": code}).status_code == 302
    # Someone who saw the code over the person's shoulder, with their password, a moment later.
    password_step(second, world.practitioner)
    page = second.post(reverse("verify_code"), {"code": code}).content.decode()
    assert "That code is not right, or has been used" in page
    assert second.get(reverse("home")).status_code == 302
    device.refresh_from_db()
    assert device.last_t >= 0  # django-otp keeps the time step last used


def test_wrong_codes_are_slowed_down_even_before_the_right_one(world, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 600  # ten minutes after one wrong code, for the test
    device = factories.authenticator(world.practitioner)
    password_step(client, world.practitioner)
    wrong = f"{(int(factories.code_now(device)) + 1) % 1_000_000:06d}"
    client.post(reverse("verify_code"), {"code": wrong})
    page = client.post(reverse("verify_code"),
                       {"code": factories.code_now(device)}).content.decode()
    assert "You have entered too many wrong codes. Wait 10 minutes, then try again" in page
    assert client.get(reverse("home")).status_code == 302


def test_a_recovery_code_signs_in_once_instead_of_the_app(world, client):
    codes = enrol(client, world.practitioner)
    client.post(reverse("logout"))
    password_step(client, world.practitioner)
    response = client.post(reverse("recovery_code_sign_in"), {"code": codes[3].upper()})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "You have 9 recovery codes left" in client.get(reverse("home")).content.decode()
    used = AuditEntry.objects.get(action="two_factor.recovery_code_used")
    assert used.changes == {"codes_left": "9"}
    client.post(reverse("logout"))
    password_step(client, world.practitioner)
    page = client.post(reverse("recovery_code_sign_in"), {"code": codes[3]}).content.decode()
    assert "That recovery code is not right, or has been used" in page


def test_until_the_code_is_given_only_the_sign_in_pages_and_public_pages_answer(world, client):
    factories.authenticator(world.practitioner)
    password_step(client, world.practitioner)
    for url in [reverse("home"), reverse("family", args=[world.family.pk]), reverse("surveys"),
                reverse("reminders"), reverse("audit_log"), reverse("dashboards")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("verify_code")), url
        assert client.post(url).status_code == 302, url
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("survey_link", args=["x" * 43])).status_code == 404
    assert client.get(reverse("verify_code")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_a_signed_in_person_past_the_code_does_not_see_the_sign_in_steps(world, client):
    client.force_login(world.practitioner)
    for name in ("enrol_two_factor", "verify_code", "recovery_code_sign_in", "recovery_codes"):
        assert client.get(reverse(name)).status_code == 404, name


def test_the_setting_can_relax_it_for_the_demo(world, client, settings):
    settings.REQUIRE_TWO_FACTOR = False
    response = password_step(client, world.practitioner)
    assert response.status_code == 200


def test_an_administrator_resets_a_lost_phone_and_the_person_is_signed_out_everywhere(world):
    person = world.practitioner
    on_the_phone = Client()
    enrol(on_the_phone, person)
    assert on_the_phone.get(reverse("home")).status_code == 200
    colleague_session = Client()
    colleague_session.force_login(world.colleague_other_team)

    actions.reset_second_factor(world.administrator, person)

    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    assert on_the_phone.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert colleague_session.get(reverse("home")).status_code == 200  # nobody else's session
    reset = AuditEntry.objects.get(action="two_factor.reset")
    assert reset.actor == world.administrator and reset.object_id == person.pk
    assert reset.changes == {"devices_removed": "2", "sessions_ended": "1"}
    # Their next sign-in sets up a new app.
    response = password_step(Client(), person)
    assert response["Location"].startswith(reverse("enrol_two_factor"))


def test_only_an_administrator_resets_a_second_factor(world):
    factories.authenticator(world.practitioner)
    for persona in (world.manager, world.practitioner, world.data_team, world.evaluator):
        with pytest.raises(PermissionDenied):
            actions.reset_second_factor(persona, world.practitioner)
    assert TOTPDevice.objects.filter(user=world.practitioner).exists()
    assert not AuditEntry.objects.filter(action="two_factor.reset").exists()
