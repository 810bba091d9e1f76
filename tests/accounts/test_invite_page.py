"""The invite page: an administrator invites a person by email with their roles and teams; the
person gets one email with their set-up link; an address already in use is refused plainly."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from familyfeedback.accounts.models import AuditEntry, Membership, Role, User
from tests.mail_server import no_mail_server  # noqa: F401 - a fixture

URL = reverse("invite")


def invite(client, world, **changes):
    data = {"full_name": "Nia Newton", "email": "Nia@Example.test",
            "roles": [Role.PRACTITIONER, Role.SENIOR_PRACTITIONER], "teams": [world.team.pk],
            "manages": [world.other_team.pk], **changes}
    return client.post(URL, data)


def test_only_administrators_reach_the_invite_page(world, client):
    for persona, user in world.everyone().items():
        client.force_login(user)
        assert client.get(URL).status_code == (200 if persona == "administrator" else 404)
        if persona != "administrator":
            assert invite(client, world).status_code == 404
    assert not User.objects.filter(email="nia@example.test").exists()


def test_an_administrator_invites_a_person_with_roles_and_teams(world, signed_in):
    client = signed_in(world.administrator)
    response = invite(client, world)
    person = User.objects.get(email="nia@example.test")
    assert response.status_code == 302 and response["Location"] == reverse("person",
                                                                           args=[person.pk])
    assert person.roles == {Role.PRACTITIONER, Role.SENIOR_PRACTITIONER}
    assert not person.has_usable_password()
    kinds = dict(Membership.objects.current().filter(user=person).values_list("team", "kind"))
    assert kinds == {world.team.pk: "member", world.other_team.pk: "manager"}
    [email] = mail.outbox
    assert email.to == ["nia@example.test"]
    assert re.search(r"http://testserver/invitation/[\w-]+/[\w-]+/", email.body)
    entry = AuditEntry.objects.get(action="user.invite")
    assert entry.actor == world.administrator and entry.object_id == person.pk
    assert entry.changes["roles"] == "Practitioner and Senior practitioner"


def test_an_email_already_in_use_is_refused_whatever_its_capitals(world, signed_in):
    client = signed_in(world.administrator)
    response = invite(client, world, email="PAT@example.test", full_name="Another Pat")
    assert response.status_code == 200
    page = response.content.decode()
    assert "pat@example.test already has an account" in page
    assert 'href="#email"' in page and "Another Pat" in page  # what was typed is kept
    assert User.objects.filter(email__iexact="pat@example.test").count() == 1
    assert mail.outbox == []


def test_an_invite_with_nothing_filled_in_names_each_missing_answer(world, signed_in):
    page = signed_in(world.administrator).post(URL, {"full_name": ""}).content.decode()
    for message in ("Enter the person&#39;s full name", "Enter the person&#39;s email address",
                    "Choose at least one role"):
        assert message in page


@pytest.mark.usefixtures("no_mail_server")
def test_when_mail_cannot_be_sent_the_person_is_kept_and_the_administrator_told(world,
                                                                               signed_in):
    client = signed_in(world.administrator)
    response = invite(client, world)
    person = User.objects.get(email="nia@example.test")
    page = client.get(response["Location"]).content.decode()
    assert "the email was not sent" in page and "Could not reach the mail server" in page
    assert "Send the invitation again" in page
    assert person.invited_at is not None
