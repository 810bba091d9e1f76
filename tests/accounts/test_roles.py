"""A person may hold several roles, and then reaches what each of them reaches."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import Role
from familyfeedback.casework.access import families_for
from familyfeedback.implementation.access import dashboard_teams
from familyfeedback.measures import schedules
from tests import factories
from tests.accounts.test_navigation import navigation_of
from tests.implementation.test_reminders import session_with_one_unrated


def test_a_practitioner_who_also_manages_another_team_sees_both_teams_families(world, client):
    both = factories.user("bea@example.test", team=world.team, manages=world.other_team,
                          roles=(Role.PRACTITIONER, Role.TEAM_MANAGER))
    assert set(families_for(both)) == {world.family, world.other_family}
    assert list(dashboard_teams(both)) == [world.other_team]
    client.force_login(both)
    assert client.get(reverse("family", args=[world.family.pk])).status_code == 200
    assert client.get(reverse("family", args=[world.other_family.pk])).status_code == 200
    assert client.get(reverse("team")).status_code == 200


def test_a_manager_alone_sees_only_the_teams_they_manage_not_those_they_are_in(world):
    manager = factories.user("max@example.test", Role.TEAM_MANAGER, team=world.other_team,
                             manages=world.team)
    assert list(families_for(manager)) == [world.family]


def test_a_senior_practitioner_sees_their_teams_families_like_a_practitioner(world, client):
    senior = factories.user("sen@example.test", Role.SENIOR_PRACTITIONER, team=world.team)
    client.force_login(senior)
    assert client.get(reverse("family", args=[world.family.pk])).status_code == 200
    assert client.get(reverse("family", args=[world.other_family.pk])).status_code == 404


def test_an_evaluator_who_is_also_an_administrator_gets_both_menus_and_no_family(world,
                                                                                 client):
    both = factories.user("eva@example.test", roles=(Role.EVALUATOR, Role.ADMINISTRATOR))
    client.force_login(both)
    page = client.get(reverse("home")).content.decode()
    links = re.findall(r"<a [^>]*>\s*(?:<strong[^>]*>)?\s*([^<]+?)\s*<", navigation_of(page))
    assert "Trials" in links and "Audit log" in links
    assert "Evaluator and Administrator" in page
    assert client.get(reverse("trials")).status_code == 200
    assert client.get(reverse("audit_log")).status_code == 200
    assert client.get(reverse("family", args=[world.family.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_person_the_role_they_had():
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial")])
    old = executor.loader.project_state([("accounts", "0001_initial")]).apps
    old.get_model("accounts", "User").objects.create(email="m@example.test", full_name="M",
                                                     role="team_manager")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("accounts", "0003_remove_user_role")])
    new = executor.loader.project_state([("accounts", "0003_remove_user_role")]).apps
    grants = new.get_model("accounts", "RoleGrant").objects.values_list("user__email", "role")
    assert list(grants) == [("m@example.test", "team_manager")]
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_practitioner_who_also_manages_a_team_gets_both_weekly_emails(world, settings):
    settings.SCHEDULE = schedules.parse("every_session")
    both = factories.user("bea@example.test", team=world.team, manages=world.other_team,
                          roles=(Role.PRACTITIONER, Role.TEAM_MANAGER))
    fam = factories.family(world.team, both, ages=(35, 9), name="Crane family")
    adult, child = fam.people.order_by("date_of_birth")
    session_with_one_unrated(both, fam, timezone.localdate() - timedelta(days=10),
                             unrated=child, low_srs=adult)
    call_command("send_reminders", stdout=io.StringIO())
    subjects = sorted(m.subject for m in mail.outbox if m.to == [both.email])
    assert subjects == ["Family Feedback: ratings and alerts this week",
                        "Family Feedback: your team's use of the tools"]
