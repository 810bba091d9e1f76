"""A person's page: an administrator changes their roles (never overwriting a colleague's change
unseen) and their teams; leaving a team ends its membership today and with it the access."""

import pytest
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts import actions
from familyfeedback.accounts.models import AuditEntry, Membership, Role, Team
from tests import factories
from tests.edit_pages import opened


def page_url(user):
    return reverse("person", args=[user.pk])


def current_membership(user, team):
    return Membership.objects.current().get(user=user, team=team)


def roles_form(client, person) -> dict:
    """What the page's roles form sends as drawn (its version), as a browser would."""
    return {**opened(client, page_url(person)), "roles": sorted(person.roles)}


def test_only_administrators_reach_a_persons_page_and_its_changes(world, client):
    membership = current_membership(world.practitioner, world.team)
    urls = {"get": [page_url(world.practitioner)],
            "post": [page_url(world.practitioner),
                     reverse("resend_invitation", args=[world.practitioner.pk]),
                     reverse("join_team", args=[world.practitioner.pk]),
                     reverse("end_membership", args=[membership.pk]),
                     reverse("move_team", args=[membership.pk])]}
    for persona, user in world.everyone().items():
        client.force_login(user)
        for method, listed in urls.items():
            for url in listed:
                code = getattr(client, method)(url, {"roles": ["administrator"]}
                                               if method == "post" else None).status_code
                if persona == "administrator":
                    assert code in (200, 302), (persona, url)
                else:
                    assert code == 404, (persona, url)
    assert world.practitioner.role_grants.get().role == Role.PRACTITIONER


def test_an_administrator_gives_a_practitioner_a_second_role(world, signed_in):
    client = signed_in(world.administrator)
    data = roles_form(client, world.practitioner)
    response = client.post(page_url(world.practitioner),
                           {**data, "roles": [Role.PRACTITIONER, Role.TEAM_MANAGER]})
    assert response.status_code == 302
    assert set(world.practitioner.role_grants.values_list("role", flat=True)) == {
        Role.PRACTITIONER, Role.TEAM_MANAGER}
    entry = AuditEntry.objects.get(action="user.roles")
    assert entry.changes == {"roles": ["Practitioner", "Practitioner and Team manager"]}


def test_a_colleagues_change_to_the_roles_is_shown_not_overwritten(world, signed_in):
    client = signed_in(world.administrator)
    data = roles_form(client, world.practitioner)
    # Another administrator changes them meanwhile.
    colleague = factories.user("adam@example.test", Role.ADMINISTRATOR)
    actions.grant_roles(colleague, world.practitioner, roles=[Role.SENIOR_PRACTITIONER],
                        opened=actions.roles_version(world.practitioner))
    response = client.post(page_url(world.practitioner),
                           {**data, "roles": [Role.PRACTITIONER, Role.EVALUATOR]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Changed by someone else since you opened this page" in page
    assert "was Practitioner, now Senior practitioner" in page
    assert set(world.practitioner.role_grants.values_list("role", flat=True)) == {
        Role.SENIOR_PRACTITIONER}
    # Their own choice is kept on the page, ready to save knowingly.
    assert 'value="evaluator" checked' in page


def test_an_administrator_cannot_take_away_their_own_administrator_role(world, signed_in):
    client = signed_in(world.administrator)
    data = roles_form(client, world.administrator)
    page = client.post(page_url(world.administrator),
                       {**data, "roles": [Role.EVALUATOR]}).content.decode()
    assert "You cannot take away your own administrator role" in page
    assert world.administrator.role_grants.get().role == Role.ADMINISTRATOR


def test_choosing_no_role_is_refused_plainly(world, signed_in):
    client = signed_in(world.administrator)
    data = roles_form(client, world.practitioner)
    page = client.post(page_url(world.practitioner), {"version": data["version"]})
    assert "Choose at least one role" in page.content.decode()


def test_a_practitioner_who_leaves_a_team_no_longer_sees_its_families(world, signed_in, client):
    membership = current_membership(world.practitioner, world.team)
    signed_in(world.administrator).post(reverse("end_membership", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.ended_on == timezone.localdate()
    client.force_login(world.practitioner)
    assert client.get(reverse("family", args=[world.family.pk])).status_code == 404
    # The history stays: the page lists the ended membership with its dates.
    client.force_login(world.administrator)
    page = client.get(page_url(world.practitioner)).content.decode()
    assert "North 1" in page and "Leave North 1" not in page


def test_a_practitioner_moved_to_another_team_sees_its_families_and_not_the_old_ones(
        world, signed_in, client):
    membership = current_membership(world.practitioner, world.team)
    admin = signed_in(world.administrator)
    response = admin.post(reverse("move_team", args=[membership.pk]),
                          {f"move-{membership.pk}-to": world.other_team.pk})
    assert response.status_code == 302
    assert list(Membership.objects.current().filter(user=world.practitioner)
                .values_list("team__name", flat=True)) == ["South 2"]
    client.force_login(world.practitioner)
    assert client.get(reverse("family", args=[world.family.pk])).status_code == 404
    assert client.get(reverse("family", args=[world.other_family.pk])).status_code == 200


def test_a_person_joins_a_team_as_its_manager_from_today(world, signed_in):
    client = signed_in(world.administrator)
    client.post(reverse("join_team", args=[world.manager.pk]),
                {"team": world.other_team.pk, "manages": "on"})
    joined = current_membership(world.manager, world.other_team)
    assert joined.kind == Membership.Kind.MANAGER
    assert joined.started_on == timezone.localdate()


def test_joining_a_team_they_are_already_in_is_refused_plainly(world, signed_in):
    client = signed_in(world.administrator)
    page = client.post(reverse("join_team", args=[world.practitioner.pk]),
                       {"team": world.team.pk}).content.decode()
    assert "Pat is already in North 1" in page and "There is a problem" in page
    assert Membership.objects.filter(user=world.practitioner).count() == 1


def test_an_archived_team_is_not_offered_and_cannot_be_joined(world, signed_in):
    old = Team.objects.create(name="Old team", archived_on=timezone.localdate())
    client = signed_in(world.administrator)
    assert "Old team" not in client.get(page_url(world.practitioner)).content.decode()
    page = client.post(reverse("join_team", args=[world.practitioner.pk]),
                       {"team": old.pk}).content.decode()
    assert "Choose a team from the list" in page
    assert not Membership.objects.filter(team=old).exists()


def test_ending_a_membership_twice_says_it_has_already_ended(world, signed_in):
    membership = current_membership(world.practitioner, world.team)
    client = signed_in(world.administrator)
    client.post(reverse("end_membership", args=[membership.pk]))
    page = client.post(reverse("end_membership", args=[membership.pk]), follow=True)
    assert "has already ended" in page.content.decode()
    assert AuditEntry.objects.filter(action="membership.end").count() == 1


@pytest.mark.parametrize("persona", ["administrator"])
def test_the_page_shows_status_roles_and_teams(world, signed_in, persona):
    page = signed_in(getattr(world, persona)).get(page_url(world.manager)).content.decode()
    assert "Active" in page and "mona@example.test" in page
    assert "Manager" in page and "North 1" in page
