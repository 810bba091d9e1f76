"""manage.py create_administrator EMAIL: the first administrator, and a set-up link printed once."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from familyfeedback.accounts.models import AuditEntry, Role, User
from tests import factories

PASSWORD = "a long and unusual passphrase 42"


def run(*args) -> str:
    out = io.StringIO()
    call_command("create_administrator", *args, stdout=out)
    return out.getvalue()


def test_it_creates_an_administrator_who_sets_their_password_through_the_printed_link(
        db, client, settings):
    settings.SITE_URL = "https://feedback.council.example"
    out = run("Ada.Admin@Council.example", "--name", "Ada Admin")
    person = User.objects.get(email="ada.admin@council.example")
    assert person.roles == {Role.ADMINISTRATOR} and person.full_name == "Ada Admin"
    assert not person.has_usable_password()
    link = re.search(r"https://feedback\.council\.example(/invitation/\S+/)", out).group(1)
    opened = client.get(link)
    client.post(opened["Location"], {"password": PASSWORD, "confirm": PASSWORD})
    client.post(reverse("login"), {"username": "ada.admin@council.example", "password": PASSWORD})
    client.get(reverse("enrol_two_factor"))  # every role sets up an authenticator app first
    device = TOTPDevice.objects.get(user=person)
    client.post(reverse("enrol_two_factor"), {"code": factories.code_now(device)})
    assert client.get(reverse("people")).status_code == 200
    assert client.get(link).status_code == 404  # once only
    assert AuditEntry.objects.filter(action="user.invite", actor=None,
                                     object_id=person.pk).exists()


def test_it_refuses_an_email_that_already_has_an_account(world):
    with pytest.raises(CommandError, match="pat@example.test already has an account"):
        run("PAT@example.test")
    assert User.objects.filter(email="pat@example.test").get().roles == {Role.PRACTITIONER}


def test_it_refuses_something_that_is_not_an_email_address(db):
    with pytest.raises(CommandError, match="is not an email address"):
        run("not-an-address")
    assert not User.objects.exists()


def test_without_a_site_address_it_prints_the_path_and_says_what_to_set(db, settings):
    settings.SITE_URL = ""
    out = run("first@council.example")
    assert re.search(r"^  /invitation/\S+/$", out, re.MULTILINE)
    assert "Set FF_SITE_URL" in out
    assert User.objects.get(email="first@council.example").full_name == "First"
