"""The team pages: an administrator creates, renames and archives teams and chooses their
managers. A team with open families cannot be archived until they move."""

import re

from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry, Membership, Role, Team
from familyfeedback.casework import actions
from tests import factories
from tests.edit_pages import opened


def team_urls(team) -> dict[str, str]:
    return {"teams": reverse("teams"), "new team": reverse("new_team"),
            "edit team": reverse("edit_team", args=[team.pk]),
            "managers": reverse("team_managers", args=[team.pk]),
            "archive": reverse("archive_team", args=[team.pk])}


def close_support(fam):
    fam.episodes.filter(closed_on__isnull=True).update(closed_on=timezone.localdate())


def test_only_administrators_reach_the_team_pages(world, client):
    for persona, user in world.everyone().items():
        client.force_login(user)
        for name, url in team_urls(world.team).items():
            if name != "managers":
                code = client.get(url).status_code
                assert code == (200 if persona == "administrator" else 404), (persona, name)
            if persona != "administrator" and name != "teams":  # the list only shows
                assert client.post(url, {"name": "Taken over"}).status_code == 404
    assert not Team.objects.filter(name="Taken over").exists()
    assert Team.objects.get(pk=world.team.pk).archived_on is None


def test_an_administrator_creates_a_team(world, signed_in):
    client = signed_in(world.administrator)
    response = client.post(reverse("new_team"), {"name": "  East 3 "})
    team = Team.objects.get(name="East 3")
    assert response["Location"] == reverse("edit_team", args=[team.pk])
    assert AuditEntry.objects.filter(action="team.create", object_id=team.pk).exists()
    assert "East 3" in client.get(reverse("teams")).content.decode()


def test_a_team_name_in_use_is_refused_whatever_its_capitals(world, signed_in):
    page = signed_in(world.administrator).post(reverse("new_team"), {"name": "north 1"})
    assert "There is already a team called north 1" in page.content.decode()
    assert Team.objects.count() == 2


def test_renaming_a_team_keeps_its_families_and_people(world, signed_in):
    client = signed_in(world.administrator)
    url = reverse("edit_team", args=[world.team.pk])
    client.post(url, {**opened(client, url), "name": "North One"})
    world.team.refresh_from_db()
    assert world.team.name == "North One" and world.family.team_id == world.team.pk


def test_a_rename_meanwhile_is_shown_not_overwritten(world, signed_in):
    client = signed_in(world.administrator)
    url = reverse("edit_team", args=[world.team.pk])
    version = opened(client, url)
    Team.objects.filter(pk=world.team.pk).update(name="North Central")
    page = client.post(url, {**version, "name": "North One"}).content.decode()
    assert "was North 1, now North Central" in page
    assert Team.objects.get(pk=world.team.pk).name == "North Central"


def test_choosing_managers_gives_the_new_one_the_teams_families_and_ends_the_old(world,
                                                                               signed_in, client):
    newcomer = factories.user("nell@example.test", Role.TEAM_MANAGER)
    admin = signed_in(world.administrator)
    page = admin.get(reverse("edit_team", args=[world.team.pk])).content.decode()
    offered = re.search(r"<legend.*?Managers.*?</fieldset>", page, re.S).group(0)
    assert "Nell" in offered and "Mona" in offered and "Pat" not in offered
    assert re.findall(r'href="/administration/people/\d+/">(\w+)</a>', page) == ["Mona", "Pat"]
    admin.post(reverse("team_managers", args=[world.team.pk]), {"managers": [newcomer.pk]})
    assert [m.user for m in Membership.objects.current().filter(
        team=world.team, kind=Membership.Kind.MANAGER)] == [newcomer]
    client.force_login(newcomer)
    assert client.get(reverse("family", args=[world.family.pk])).status_code == 200
    client.force_login(world.manager)
    assert client.get(reverse("family", args=[world.family.pk])).status_code == 404


def test_a_team_with_open_families_cannot_be_archived_and_says_how_many(world, signed_in):
    factories.family(world.team, world.practitioner, name="Second family")
    client = signed_in(world.administrator)
    url = reverse("archive_team", args=[world.team.pk])
    assert "has 2 open families" in client.get(url).content.decode()
    page = client.post(url).content.decode()
    assert "North 1 still has 2 open families: move them to another team" in page
    assert Team.objects.get(pk=world.team.pk).archived_on is None


def test_a_team_whose_families_are_all_closed_is_archived_and_leaves_the_lists(world,
                                                                              signed_in):
    close_support(world.family)
    client = signed_in(world.administrator)
    response = client.post(reverse("archive_team", args=[world.team.pk]))
    assert response["Location"] == reverse("teams")
    world.team.refresh_from_db()
    assert world.team.archived_on == timezone.localdate()
    assert not Membership.objects.current().filter(team=world.team).exists()
    listed = client.get(reverse("teams")).content.decode()
    assert re.findall(r'href="/administration/teams/\d+/">([^<]+)<', listed) == ["South 2"]
    invite = client.get(reverse("invite")).content.decode()
    assert "North 1" not in invite and "South 2" in invite
    assert AuditEntry.objects.filter(action="team.archive", object_id=world.team.pk).exists()


def test_archiving_twice_is_refused_plainly(world):
    close_support(world.family)
    actions.archive_team(world.administrator, world.team)
    try:
        actions.archive_team(world.administrator, world.team)
    except actions.ValidationError as error:
        assert "already archived" in error.message
    else:
        raise AssertionError("archived twice")
