"""The people list: everyone in the service, searched by name or email, filtered by team and
role, a page at a time, each with their status, roles and current teams."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts import actions
from familyfeedback.accounts.models import Membership, Role, User
from familyfeedback.accounts.people_views import PER_PAGE
from tests import factories

URL = reverse("people")


def names(page: str) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/administration/people/\d+/">([^<]+)</a>',
                      page)


def test_only_administrators_reach_the_people_list(world, client):
    for persona, user in world.everyone().items():
        client.force_login(user)
        assert client.get(URL).status_code == (200 if persona == "administrator" else 404)


def test_it_lists_everyone_with_status_roles_and_current_teams(world, signed_in):
    actions.invite(world.administrator, email="nia@example.test", full_name="Nia Newton",
                   roles=[Role.PRACTITIONER], site="https://ff.example")
    User.objects.filter(pk=world.outsider.pk).update(is_active=False)
    page = signed_in(world.administrator).get(URL).content.decode()
    assert names(page) == ["Ada", "Cole", "Dana", "Eve", "Mona", "Nia Newton", "Otto", "Pat"]
    rows = dict(re.findall(r'>([^<]+)</a><br>.*?</td>(.*?)</tr>', page, re.DOTALL))
    assert "Invited" in rows["Nia Newton"]
    assert "Switched off" in rows["Otto"]
    assert "Active" in rows["Mona"] and "Team manager" in rows["Mona"]
    assert "North 1 (manager)" in rows["Mona"]


def test_it_finds_people_by_part_of_their_name_or_email(world, signed_in):
    client = signed_in(world.administrator)
    assert names(client.get(URL, {"q": "mon"}).content.decode()) == ["Mona"]
    assert names(client.get(URL, {"q": "COLE@EXAMPLE"}).content.decode()) == ["Cole"]
    page = client.get(URL, {"q": "nobody"}).content.decode()
    assert names(page) == [] and "No one matches this search" in page


def test_it_filters_by_current_team_and_by_role(world, signed_in):
    client = signed_in(world.administrator)
    assert names(client.get(URL, {"team": world.team.pk}).content.decode()) == ["Mona", "Pat"]
    assert names(client.get(URL, {"role": Role.EVALUATOR}).content.decode()) == ["Eve"]
    assert names(client.get(URL, {"team": world.team.pk, "role": Role.PRACTITIONER})
                 .content.decode()) == ["Pat"]
    Membership.objects.filter(user=world.practitioner).update(ended_on=timezone.localdate())
    assert names(client.get(URL, {"team": world.team.pk}).content.decode()) == ["Mona"]


def test_a_search_it_cannot_read_is_ignored_not_an_error(world, signed_in):
    client = signed_in(world.administrator)
    response = client.get(URL, {"team": "north", "role": "king", "page": "x"})
    assert response.status_code == 200 and len(names(response.content.decode())) == 7


def test_it_shows_a_page_at_a_time_keeping_the_search(world, signed_in):
    for n in range(PER_PAGE + 2):
        factories.user(f"worker{n:02d}@example.test", team=world.other_team)
    client = signed_in(world.administrator)
    first = client.get(URL, {"q": "worker"}).content.decode()
    assert len(names(first)) == PER_PAGE and "Page 1 of 2" in first
    assert 'href="?page=2&amp;q=worker"' in first
    second = client.get(URL, {"q": "worker", "page": 2}).content.decode()
    assert names(second) == ["Worker25", "Worker26"]


def test_someone_not_signed_in_is_asked_to_sign_in_on_every_administration_page(world,
                                                                                client):
    membership = Membership.objects.current().get(user=world.practitioner)
    for url in (URL, reverse("invite"), reverse("person", args=[world.practitioner.pk]),
                reverse("join_team", args=[world.practitioner.pk]),
                reverse("resend_invitation", args=[world.practitioner.pk]),
                reverse("end_membership", args=[membership.pk]),
                reverse("move_team", args=[membership.pk]), reverse("teams"),
                reverse("new_team"), reverse("edit_team", args=[world.team.pk]),
                reverse("team_managers", args=[world.team.pk]),
                reverse("archive_team", args=[world.team.pk])):
        response = client.post(url) if "/end/" in url else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_longer_list_takes_no_more_queries(world, signed_in):
    # Each person's roles and teams come with the page's own queries, not one query a person.
    client = signed_in(world.administrator)
    client.get(URL)  # the session's first page notes when it was last used: a write of its own
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(15):
        factories.user(f"extra{n}@example.test", roles=[Role.PRACTITIONER, Role.TEAM_MANAGER],
                       team=world.team)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
