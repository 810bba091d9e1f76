"""Two evaluators editing one research question never overwrite each other silently."""

from django.test import Client
from django.urls import reverse

from familyfeedback.accounts.models import Role
from tests import factories
from tests.edit_pages import opened, version_in
from tests.evaluation.test_trial_pages import make_trial


def test_a_second_edit_of_a_research_question_sees_the_first_and_overwrites_nothing(
        world, client):
    trial, _ = make_trial(world, client)
    url = reverse("research_question", args=[trial.pk, "1.4"])
    colleague = Client()
    colleague.force_login(factories.user("evan@example.test", Role.EVALUATOR))
    mine, theirs = opened(client, url), opened(colleague, url)
    question = trial.questions_asked.get(number="1.4")
    methods = "\n".join(question.methods)
    assert colleague.post(url, {"text": "Reach: who took part?", "methods": methods,
                                **theirs}).status_code == 302
    response = client.post(url, {"text": question.text, "methods": "Admin data\nInterviews",
                                 **mine})
    page = response.content.decode()
    question.refresh_from_db()
    assert response.status_code == 200
    assert question.text == "Reach: who took part?"
    assert question.methods == methods.split("\n")
    assert "Changed by someone else since you opened this page" in page
    assert "Reach: who took part?" in page and "Admin data\nInterviews" in page
    # Saving again, having seen the colleague's question, keeps it and adds the methods.
    assert client.post(url, {"text": "Reach: who took part?", "methods": "Admin data\nInterviews",
                             **version_in(page)}).status_code == 302
    question.refresh_from_db()
    assert (question.text, question.methods) == ("Reach: who took part?",
                                                 ["Admin data", "Interviews"])


def test_two_evaluators_choosing_the_teams_at_once_see_each_other_and_lose_nothing(world,
                                                                                  client):
    trial, third = make_trial(world, client)
    url, page_url = reverse("trial_teams", args=[trial.pk]), reverse("trial", args=[trial.pk])
    north, south = world.team, world.other_team
    client.post(url, {"teams": [north.pk, south.pk], **opened(client, page_url)})
    colleague = Client()
    colleague.force_login(factories.user("evan@example.test", Role.EVALUATOR))
    mine, theirs = opened(client, page_url), opened(colleague, page_url)
    # The colleague adds a third team in a unit of its own name; this evaluator, on a page
    # opened before that, groups the first two into one unit.
    assert colleague.post(url, {"teams": [north.pk, south.pk, third.pk],
                                f"unit-{third.pk}": "Centre", **theirs}).status_code == 302
    response = client.post(url, {"teams": [north.pk, south.pk], f"unit-{north.pk}": "Pair",
                                 f"unit-{south.pk}": "Pair", **mine})
    page = response.content.decode()
    assert response.status_code == 200
    assert {(t.team_name, t.unit_code) for t in trial.teams.all()} == {
        (north.name, ""), (south.name, ""), (third.name, "Centre")}
    assert "Changed by someone else since you opened this page" in page
    assert f"was {north.name}, {south.name}, now {third.name}, {north.name}, {south.name}" in page
    assert "Unit for Central" in page
    # Both changes are on the page again: the colleague's team ticked with its unit, and the
    # units this evaluator typed.
    assert f'value="{third.pk}" checked' in page and 'value="Centre"' in page
    assert page.count('value="Pair"') == 2
    assert client.post(url, {"teams": [north.pk, south.pk, third.pk], f"unit-{north.pk}": "Pair",
                             f"unit-{south.pk}": "Pair", f"unit-{third.pk}": "Centre",
                             **version_in(page)}).status_code == 302
    assert {(t.team_name, t.unit_code) for t in trial.teams.all()} == {
        (north.name, "Pair"), (south.name, "Pair"), (third.name, "Centre")}


def test_the_same_teams_sent_twice_are_saved_not_refused_as_a_conflict(world, client):
    trial, _ = make_trial(world, client)
    url = reverse("trial_teams", args=[trial.pk])
    sent = {"teams": [world.team.pk, world.other_team.pk],
            **opened(client, reverse("trial", args=[trial.pk]))}
    assert client.post(url, sent).status_code == 302
    assert client.post(url, sent).status_code == 302
    assert trial.teams.count() == 2
