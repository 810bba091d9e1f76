"""From a person's page an administrator switches their account off (their live sessions end at
once) and back on, and resets their sign-in when they have lost their phone; each through a
confirmation page, each audited."""

import re
from html import unescape

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from familyfeedback.accounts import actions
from familyfeedback.accounts.models import AuditEntry
from tests import factories
from tests.accounts.test_navigation import navigation_of

PAGES = ("switch_off_account", "switch_on_account", "reset_sign_in")


def signed_in_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def banner(response) -> str:
    """The success message on the page a form went on to."""
    heading = response.content.decode().split('govuk-notification-banner__heading">')[1]
    return unescape(heading.split("<")[0]).strip()


def test_non_administrators_are_told_there_is_no_such_page(world):
    for persona, user in world.everyone().items():
        if persona == "administrator":
            continue
        client = signed_in_as(user)
        for name in PAGES:
            url = reverse(name, args=[world.practitioner.pk])
            assert client.get(url).status_code == 404, (persona, name)
            assert client.post(url).status_code == 404, (persona, name)
    world.practitioner.refresh_from_db()
    assert world.practitioner.is_active and TOTPDevice.objects.filter(
        user=world.practitioner).exists()  # force_login gave them an app; it is still there


def test_switching_an_account_off_ends_its_live_session_and_keeps_it_out(world):
    pat = signed_in_as(world.practitioner)
    assert pat.get(reverse("home")).status_code == 200
    admin = signed_in_as(world.administrator)
    person_page = admin.get(reverse("person", args=[world.practitioner.pk])).content.decode()
    url = reverse("switch_off_account", args=[world.practitioner.pk])
    assert f'href="{url}"' in person_page and "Switch account back on" not in person_page
    confirm = admin.get(url).content.decode()
    assert "Switch off Pat&#39;s account" in confirm and "signed out everywhere" in confirm
    assert re.findall(r'aria-current="[^"]+"[^>]*>\s*(?:<strong[^>]*>)?\s*([^<]+?)\s*<',
                      navigation_of(confirm)) == ["Administration"]

    done = admin.post(url, follow=True)
    assert banner(done) == "Pat's account is switched off: they have been signed out everywhere"
    assert "Switch account back on" in done.content.decode()
    response = pat.get(reverse("family", args=[world.family.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    refused = Client().post(reverse("login"), {"username": "pat@example.test",
                                               "password": factories.PASSWORD})
    assert refused.status_code == 200  # the sign-in page again, with its message
    assert "Enter a correct email address and password" in refused.content.decode()
    assert AuditEntry.objects.filter(action="user.deactivate", actor=world.administrator,
                                     object_id=world.practitioner.pk).count() == 1


def test_switching_an_account_back_on_lets_the_person_sign_in_afresh(world):
    actions.deactivate(world.administrator, world.practitioner)
    admin = signed_in_as(world.administrator)
    url = reverse("switch_on_account", args=[world.practitioner.pk])
    assert "Switch Pat&#39;s account back on" in admin.get(url).content.decode()
    done = admin.post(url, follow=True)
    assert banner(done) == "Pat's account is switched back on: they can sign in again"
    world.practitioner.refresh_from_db()
    assert world.practitioner.is_active
    assert Client().post(reverse("login"), {"username": "pat@example.test",
                                            "password": factories.PASSWORD}).status_code == 302
    assert AuditEntry.objects.filter(action="user.reactivate",
                                     object_id=world.practitioner.pk).count() == 1


def test_an_administrator_cannot_switch_their_own_account_off(world):
    admin = signed_in_as(world.administrator)
    response = admin.post(reverse("switch_off_account", args=[world.administrator.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "You cannot switch off your own account" in page
    world.administrator.refresh_from_db()
    assert world.administrator.is_active
    assert admin.get(reverse("people")).status_code == 200  # and they are still signed in


def test_resetting_the_sign_in_of_someone_who_lost_their_phone(world):
    factories.recovery_codes(world.practitioner, "abcd-efgh-2345")
    pat = signed_in_as(world.practitioner)
    admin = signed_in_as(world.administrator)
    url = reverse("reset_sign_in", args=[world.practitioner.pk])
    assert "Reset Pat&#39;s sign-in" in admin.get(url).content.decode()

    done = admin.post(url, follow=True)
    assert banner(done).startswith("Pat's sign-in is reset: they have been signed out everywhere")
    assert not TOTPDevice.objects.filter(user=world.practitioner).exists()
    assert not StaticDevice.objects.filter(user=world.practitioner).exists()
    assert pat.get(reverse("home"))["Location"].startswith(reverse("login"))
    # Their password still works; then they set up an app again.
    again = Client()
    again.post(reverse("login"), {"username": "pat@example.test",
                                  "password": factories.PASSWORD})
    assert again.get(reverse("home"))["Location"].startswith(reverse("enrol_two_factor"))
    assert AuditEntry.objects.filter(action="two_factor.reset", actor=world.administrator,
                                     object_id=world.practitioner.pk).count() == 1
