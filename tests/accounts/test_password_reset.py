"""A forgotten password, reset by email: the link works once, runs out, and nobody learns from
the pages whether an address has an account."""

from datetime import datetime, timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from familyfeedback.accounts.models import AuditEntry
from tests import factories
from tests.accounts.resetting import NEW_PASSWORD, ask_for_reset, choose_password, link_in
from tests.mail_server import no_mail_server, smtp_inbox  # noqa: F401 (fixtures)


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_the_sign_in_page_offers_a_reset(world, client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}">Forgotten your password?' in page


def test_a_reset_link_reaches_a_real_mail_server_and_sets_a_new_password(
        world, client, smtp_inbox):  # noqa: F811
    response = ask_for_reset(client, "Pat@Example.test")
    assert response["Location"] == reverse("password_reset_done")
    assert smtp_inbox.recipients() == ["pat@example.test"]
    body = smtp_inbox.messages[0].content.decode()
    assert "works once, for 60 minutes" in body

    done = choose_password(client, link_in(body))
    assert "Your password has been changed" in done.content.decode()
    assert sign_in(client, "pat@example.test", factories.PASSWORD).status_code == 200
    assert sign_in(client, "pat@example.test", NEW_PASSWORD)["Location"] == reverse("home")
    assert AuditEntry.objects.filter(action="user.password_reset",
                                     actor=world.practitioner).count() == 1


def test_the_link_works_once_and_a_second_use_is_refused_plainly(world, client, mailoutbox):
    ask_for_reset(client, "pat@example.test")
    link = link_in(mailoutbox[0].body)
    choose_password(client, link)

    again = client.get(link, follow=True)
    page = again.content.decode()
    assert "This link does not work" in page
    assert "has been used already, has run out" in page
    assert 'name="new_password1"' not in page
    assert sign_in(client, "pat@example.test", NEW_PASSWORD)["Location"] == reverse("home")


class IssuedTwoHoursAgo(PasswordResetTokenGenerator):
    """A real token, made as the email would have made it two hours ago."""

    def _now(self):
        return datetime.now() - timedelta(hours=2)


def test_an_expired_link_is_refused(world, client):
    user = world.practitioner
    token = IssuedTwoHoursAgo().make_token(user)
    link = reverse("password_reset_confirm",
                   args=[urlsafe_base64_encode(force_bytes(user.pk)), token])
    page = client.get(link, follow=True).content.decode()
    assert "This link does not work" in page
    assert PasswordResetTokenGenerator().check_token(user, token) is False


def test_the_page_is_the_same_whether_or_not_the_address_has_an_account(world, client,
                                                                         mailoutbox):
    known = ask_for_reset(client, "pat@example.test")
    unknown = ask_for_reset(client, "nobody@example.test")
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert [m.to for m in mailoutbox] == [["pat@example.test"]]
    page = client.get(reverse("password_reset_done")).content.decode()
    assert "If the address you entered has an account" in page


def test_an_account_that_is_switched_off_gets_no_email(world, client, mailoutbox):
    world.practitioner.is_active = False
    world.practitioner.save()
    assert ask_for_reset(client, "pat@example.test")["Location"] == reverse(
        "password_reset_done")
    assert mailoutbox == []


def test_a_bad_address_and_a_weak_password_say_what_to_do(world, client, mailoutbox):
    page = ask_for_reset(client, "not an address").content.decode()
    assert "There is a problem" in page
    assert "Enter an email address in the correct format" in page
    assert 'value="not an address"' in page

    ask_for_reset(client, "pat@example.test")
    opened = client.get(link_in(mailoutbox[0].body))
    weak = client.post(opened["Location"], {"new_password1": "short",
                                            "new_password2": "shorter"}).content.decode()
    assert "There is a problem" in weak and "The two passwords are not the same" in weak
    weak = client.post(opened["Location"], {"new_password1": "password1234",
                                            "new_password2": "password1234"}).content.decode()
    assert "This password is too common" in weak


def test_no_mail_server_is_the_same_message_for_any_address(world, client,
                                                            no_mail_server):  # noqa: F811
    for email in ("pat@example.test", "nobody@example.test"):
        page = ask_for_reset(client, email).content.decode()
        assert "The service cannot send email just now" in page
        assert f'value="{email}"' in page
