"""The set-up link: it works once, until it expires, and only the newest one sent works. The
person sets a password the service's rules accept, then signs in with it."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from familyfeedback.accounts import actions
from familyfeedback.accounts.invitations import tokens
from familyfeedback.accounts.models import AuditEntry, Role, User

NEW_PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def invited(world):
    actions.invite(world.administrator, email="nia@example.test", full_name="Nia Newton",
                   roles=[Role.PRACTITIONER], teams=[world.team], site="https://ff.example")
    return User.objects.get(email="nia@example.test")


def link_in(email) -> str:
    return re.search(r"https://ff\.example(/invitation/\S+/)", email.body).group(1)


def set_password(client, link: str, password=NEW_PASSWORD, confirm=None):
    opened = client.get(link)
    assert opened.status_code == 302  # the token leaves the address bar at once
    assert "set-password" in opened["Location"] and link not in opened["Location"]
    return client.post(opened["Location"], {"password": password,
                                            "confirm": password if confirm is None else confirm})


def link_made_days_ago(person: User, days: int) -> str:
    """The link as it would have been made `days` ago (the token carries when it was made)."""
    made = tokens._num_seconds(tokens._now()) - days * 24 * 60 * 60
    token = tokens._make_token_with_timestamp(person, made, tokens.secret)
    return reverse("accept_invitation", args=[urlsafe_base64_encode(force_bytes(person.pk)),
                                              token])


def test_the_invited_person_sets_a_password_and_signs_in_with_it(invited, client):
    [email] = mail.outbox
    assert "Nia Newton" in email.body and "until" in email.body
    response = set_password(client, link_in(email))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "Your password is set" in client.get(reverse("login")).content.decode()
    signed_in = client.post(reverse("login"), {"username": "Nia@example.test",
                                               "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert AuditEntry.objects.filter(action="user.invitation_accepted",
                                     object_id=invited.pk, actor=invited).exists()


def test_the_link_works_only_once(invited, client):
    link = link_in(mail.outbox[0])
    set_password(client, link)
    again = client.get(link)
    assert again.status_code == 404
    assert "This link no longer works" in again.content.decode()
    assert User.objects.get(pk=invited.pk).check_password(NEW_PASSWORD)


def test_a_link_older_than_the_invitation_days_has_expired(invited, client, settings):
    settings.INVITATION_DAYS = 7
    assert client.get(link_made_days_ago(invited, 6)).status_code == 302
    expired = client.get(link_made_days_ago(invited, 8))
    assert expired.status_code == 404 and "no longer works" in expired.content.decode()


def test_resending_the_invitation_kills_the_old_link(world, invited, client):
    old = link_in(mail.outbox[0])
    actions.resend_invitation(world.administrator, invited, site="https://ff.example")
    new = link_in(mail.outbox[1])
    assert new != old
    assert client.get(old).status_code == 404
    assert set_password(client, new).status_code == 302


def test_a_password_the_rules_refuse_is_explained_and_nothing_is_set(invited, client):
    response = set_password(client, link_in(mail.outbox[0]), password="short")
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "too short" in page and 'href="#password"' in page
    assert not User.objects.get(pk=invited.pk).has_usable_password()


def test_two_different_passwords_are_refused(invited, client):
    response = set_password(client, link_in(mail.outbox[0]), confirm=NEW_PASSWORD + "x")
    assert "The passwords do not match" in response.content.decode()
    assert not User.objects.get(pk=invited.pk).has_usable_password()


def test_the_set_password_page_without_an_opened_link_is_refused(invited, client):
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    response = client.get(reverse("accept_invitation", args=[uid, "set-password"]))
    assert response.status_code == 404


def test_a_made_up_link_is_refused_like_a_spent_one(invited, client):
    for uid, token in (("MTIz", "abc-def"), ("!!", "x"), (
            urlsafe_base64_encode(force_bytes(invited.pk)), "cz3p4x-0123456789abcdef")):
        assert client.get(reverse("accept_invitation", args=[uid, token])).status_code == 404


def test_a_password_reset_token_is_not_an_invitation(invited, client):
    from django.contrib.auth.tokens import default_token_generator

    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    token = default_token_generator.make_token(invited)
    assert client.get(reverse("accept_invitation", args=[uid, token])).status_code == 404


def test_an_invitation_to_a_switched_off_account_does_not_work(invited, client):
    link = link_in(mail.outbox[0])
    User.objects.filter(pk=invited.pk).update(is_active=False)
    assert client.get(link).status_code == 404


def test_an_accepted_invitation_cannot_be_resent(world, invited, client):
    set_password(client, link_in(mail.outbox[0]))
    with pytest.raises(ValidationError, match="already set their password"):
        actions.resend_invitation(world.administrator, User.objects.get(pk=invited.pk),
                                  site="https://ff.example")
