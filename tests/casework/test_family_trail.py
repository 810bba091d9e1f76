"""The record of access ("who viewed this child"): the family's team manager sees every view and
change of the family's records, in plain words, newest first; nobody else sees it."""

from datetime import timedelta

from django.utils import timezone

from familyfeedback.accounts import actions as account_actions
from familyfeedback.accounts.models import AuditEntry, Membership
from familyfeedback.casework import actions
from tests import factories


def trail(client, family, query="") -> str:
    response = client.get(f"/families/{family.pk}/record-of-access/{query}")
    assert response.status_code == 200
    return response.content.decode()


def rows(page: str) -> list[str]:
    body = page.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    return [" ".join(row.split()) for row in body.split("</tr>")[:-1]]


def test_the_manager_sees_who_opened_and_changed_what_newest_first(world, signed_in):
    adult = world.family.people.order_by("date_of_birth").first()
    session = factories.session(world.practitioner, world.family,
                                timezone.localdate() - timedelta(days=3))
    practitioner = signed_in(world.practitioner)
    practitioner.get(f"/families/{world.family.pk}/")
    practitioner.get(f"/people/{adult.pk}/edit/")
    practitioner.get(f"/sessions/{session.pk}/")

    lines = rows(trail(signed_in(world.manager), world.family))
    assert "Opened this record of access" in lines[0] and str(world.manager) in lines[0]
    assert "Team manager" in lines[0]
    assert "Opened a session" in lines[1] and "Session on" in lines[1]
    assert "Opened a person&#39;s details" in lines[2] and str(adult) in lines[2]
    assert "Opened the family&#39;s page" in lines[3] and "The family" in lines[3]
    assert str(world.practitioner) in lines[3] and "Practitioner" in lines[3]
    assert any("Recorded a rating" in line and f"{adult}&#39;s ORS" in line for line in lines)
    assert any("Recorded a session" in line for line in lines)


def test_opening_the_record_of_access_is_itself_recorded(world, signed_in):
    trail(signed_in(world.manager), world.family)
    entry = AuditEntry.objects.get(action="family.view_record_of_access")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        world.manager, "family", world.family.pk)


def test_it_can_show_one_persons_records_only(world, signed_in):
    child, adult = (world.family.people.order_by("-date_of_birth").first(),
                    world.family.people.order_by("date_of_birth").first())
    practitioner = signed_in(world.practitioner)
    practitioner.get(f"/people/{child.pk}/edit/")
    practitioner.get(f"/people/{adult.pk}/edit/")
    page = trail(signed_in(world.manager), world.family, f"?person={child.pk}")
    lines = rows(page)
    assert len(lines) == 1 and str(child) in lines[0]
    assert f"1 entry about {child}" in page


def test_a_person_of_another_family_is_ignored_in_the_filter(world, signed_in):
    stranger = world.other_family.people.first()
    page = trail(signed_in(world.manager), world.family, f"?person={stranger.pk}&page=x")
    assert "selected" not in page.split('id="person"')[1].split("</select>")[0]
    assert " entries about " not in page


def test_another_familys_views_are_not_listed(world, signed_in):
    signed_in(world.colleague_other_team).get(f"/families/{world.other_family.pk}/")
    page = trail(signed_in(world.manager), world.family)
    assert str(world.colleague_other_team) not in page


def test_the_trail_pages_on_after_fifty_entries(world, signed_in):
    for _ in range(55):
        actions.log_view(world.practitioner, "family.view", world.family)
    client = signed_in(world.manager)
    first = trail(client, world.family)
    assert len(rows(first)) == 50 and 'href="?page=2"' in first
    # 55 views, and the manager's two openings of this page
    assert len(rows(trail(client, world.family, "?page=2"))) == 7


def test_only_the_familys_manager_sees_the_link_on_the_family_page(world, signed_in):
    link = f"/families/{world.family.pk}/record-of-access/"
    assert link in signed_in(world.manager).get(f"/families/{world.family.pk}/").content.decode()
    assert link not in signed_in(world.practitioner).get(
        f"/families/{world.family.pk}/").content.decode()


def test_practitioners_and_managers_of_other_teams_are_refused(world, signed_in):
    other_manager = factories.user("omar@example.test", "team_manager",
                                   manages=world.other_team)
    for person in [world.practitioner, world.colleague_other_team, other_manager,
                   world.administrator, world.outsider]:
        response = signed_in(person).get(f"/families/{world.family.pk}/record-of-access/")
        assert response.status_code == 404, person


def test_a_manager_who_no_longer_manages_the_team_is_refused(world, signed_in):
    membership = Membership.objects.current().get(user=world.manager, team=world.team)
    account_actions.end_membership(world.administrator, membership)
    response = signed_in(world.manager).get(f"/families/{world.family.pk}/record-of-access/")
    assert response.status_code == 404
