"""Changing a family's key worker, or moving it to another team: audited with from and to, the
key worker a member of the receiving team, the history going with the family (the receiving
team sees it all, the sending team no longer sees the family), and two people moving one family
at once never overwrite each other silently."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts import actions
from familyfeedback.accounts.models import AuditEntry, Membership
from familyfeedback.casework import actions as casework
from tests import factories
from tests.edit_pages import opened


def url(family) -> str:
    return reverse("transfer_family", args=[family.pk])


def placed(team, key_worker=None) -> dict:
    return {"team": str(team.pk), "key_worker": str(key_worker.pk) if key_worker else ""}


def test_the_page_shows_where_the_family_is_now(world, signed_in):
    page = signed_in(world.practitioner).get(url(world.family)).content.decode()
    assert f'<option value="{world.team.pk}" selected>' in page
    assert f'<option value="{world.practitioner.pk}" selected>' in page
    # Every team of the service is offered, each with its key workers under it.
    assert f'<optgroup label="{world.other_team.name}">' in page
    assert f'<option value="{world.colleague_other_team.pk}"' in page


def test_a_practitioner_hands_the_family_to_a_colleague_in_the_team(world, signed_in):
    colleague = factories.user("cara@example.test", team=world.team)
    client = signed_in(world.practitioner)
    response = client.post(url(world.family), {**placed(world.team, colleague),
                                               **opened(client, url(world.family))})
    assert response["Location"] == reverse("family", args=[world.family.pk])
    world.family.refresh_from_db()
    assert (world.family.team, world.family.key_worker) == (world.team, colleague)
    entry = AuditEntry.objects.get(action="family.key_worker")
    assert (entry.actor, entry.object_id) == (world.practitioner, world.family.pk)
    assert entry.changes == {"key_worker": [str(world.practitioner.pk), str(colleague.pk)]}


def test_a_manager_transfers_a_family_and_history_goes_with_it(world, signed_in):
    session = factories.session(world.practitioner, world.family,
                                timezone.localdate() - timedelta(days=5))
    client = signed_in(world.manager)
    response = client.post(url(world.family), {
        **placed(world.other_team, world.colleague_other_team),
        **opened(client, url(world.family))})
    # The manager does not manage the receiving team: they are taken to their own list.
    assert response["Location"] == reverse("home")
    entry = AuditEntry.objects.get(action="family.transfer")
    assert entry.actor == world.manager
    assert entry.changes == {
        "team": [str(world.team.pk), str(world.other_team.pk)],
        "key_worker": [str(world.practitioner.pk), str(world.colleague_other_team.pk)]}

    receiving = Client()
    receiving.force_login(world.colleague_other_team)
    assert receiving.get(reverse("family", args=[world.family.pk])).status_code == 200
    assert receiving.get(reverse("session", args=[session.pk])).status_code == 200
    assert world.family.name in receiving.get(reverse("home")).content.decode()

    for sender in (world.practitioner, world.manager):
        sending = Client()
        sending.force_login(sender)
        assert sending.get(reverse("family", args=[world.family.pk])).status_code == 404
        assert sending.get(reverse("session", args=[session.pk])).status_code == 404
        assert sending.get(url(world.family)).status_code == 404


def test_a_family_moves_to_a_team_with_no_key_worker_yet(world, signed_in):
    client = signed_in(world.practitioner)
    client.post(url(world.family), {**placed(world.other_team),
                                    **opened(client, url(world.family))})
    world.family.refresh_from_db()
    assert (world.family.team, world.family.key_worker) == (world.other_team, None)


def test_the_key_worker_must_be_a_member_of_the_receiving_team(world, signed_in):
    client = signed_in(world.practitioner)
    response = client.post(url(world.family), {**placed(world.other_team, world.practitioner),
                                               **opened(client, url(world.family))})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Select a key worker who is a member of {world.other_team.name}" in page
    world.family.refresh_from_db()
    assert world.family.team == world.team
    assert not AuditEntry.objects.filter(action__startswith="family.").exclude(
        action="family.view").exists()


def test_someone_who_left_the_team_cannot_be_made_key_worker(world, signed_in):
    leaver = factories.user("lee@example.test", team=world.team)
    client = signed_in(world.practitioner)
    version = opened(client, url(world.family))
    actions.end_membership(world.administrator, Membership.objects.current().get(user=leaver))
    page = client.post(url(world.family), {**placed(world.team, leaver),
                                           **version}).content.decode()
    assert "Select one of the key workers listed" in page
    world.family.refresh_from_db()
    assert world.family.key_worker == world.practitioner


def test_a_second_move_sees_the_first_and_overwrites_nothing(world):
    colleague = factories.user("cara@example.test", team=world.team)
    first, second = Client(), Client()
    first.force_login(world.practitioner)
    second.force_login(world.manager)
    first_version, second_version = opened(first, url(world.family)), opened(
        second, url(world.family))
    first.post(url(world.family), {**placed(world.team, colleague), **first_version})
    response = second.post(url(world.family), {**placed(world.other_team), **second_version})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Changed by someone else since you opened this page" in page
    assert "was Pat, now Cara" in page
    world.family.refresh_from_db()
    assert (world.family.team, world.family.key_worker) == (world.team, colleague)
    # The manager's own choice, the other team, is kept on the page to save knowingly.
    assert f'<option value="{world.other_team.pk}" selected>' in page
    again = second.post(url(world.family), {**placed(world.other_team),
                                            "version": page.split('name="version" value="')[1]
                                            .split('"')[0]})
    assert again.status_code == 302
    world.family.refresh_from_db()
    assert (world.family.team, world.family.key_worker) == (world.other_team, None)


def test_sending_the_same_move_twice_logs_it_once(world, signed_in):
    client = signed_in(world.practitioner)
    version = opened(client, url(world.family))
    for _ in range(2):
        client.post(url(world.family), {**placed(world.other_team), **version})
    assert AuditEntry.objects.filter(action="family.transfer").count() == 1


def test_the_family_page_links_to_the_move(world, signed_in):
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    assert f'href="{url(world.family)}"' in page


def test_an_archived_team_is_not_offered_and_cannot_take_the_family(world, signed_in):
    world.other_team.archived_on = timezone.localdate()
    world.other_team.save()
    client = signed_in(world.practitioner)
    page = client.get(url(world.family)).content.decode()
    assert f'<option value="{world.other_team.pk}"' not in page
    page = client.post(url(world.family), {**placed(world.other_team),
                                           **opened(client, url(world.family))}).content.decode()
    assert "Select one of the teams listed" in page
    world.family.refresh_from_db()
    assert world.family.team == world.team


def test_the_move_itself_refuses_an_archived_team_whatever_page_sent_it(world):
    world.other_team.archived_on = timezone.localdate()
    world.other_team.save()
    with pytest.raises(ValidationError, match="archived: choose a team that works with families"):
        casework.transfer_family(world.practitioner, world.family, team=world.other_team,
                                 key_worker=None, opened={})
    world.family.refresh_from_db()
    assert world.family.team == world.team
