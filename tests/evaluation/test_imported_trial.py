"""A trial whose arms came in an evaluation package already has its allocation: the page does not
offer to randomise it, the randomise action refuses it, and the page says where the arms came
from (and, for a trial randomised here, how)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from familyfeedback.evaluation import actions
from familyfeedback.evaluation.models import Allocation, Trial
from tests.evaluation.builders import open_baseline
from tests.evaluation.test_package import EXAMPLE


@pytest.fixture
def imported(db) -> Trial:
    call_command("import_evaluation", str(EXAMPLE), "--trial", "Example")
    return Trial.objects.get(name="Example")


def test_the_page_of_an_imported_trial_offers_no_randomisation(world, client, imported):
    client.force_login(world.evaluator)
    page = client.get(reverse("trial", args=[imported.pk])).content.decode()
    assert reverse("randomise", args=[imported.pk]) not in page
    assert reverse("trial_teams", args=[imported.pk]) not in page
    assert "imported from the evaluation package example-package on" in page


def test_the_randomise_action_refuses_an_imported_trial(world, imported):
    arms = dict(imported.teams.values_list("team_code", "arm"))
    with pytest.raises(ValidationError, match="came in an evaluation package"):
        actions.randomise(world.evaluator, imported, method="simple", seed=1, ratio=(1, 1))
    assert dict(imported.teams.values_list("team_code", "arm")) == arms
    assert not Allocation.objects.exists()


def test_posting_randomise_for_an_imported_trial_changes_no_arm(world, client, imported):
    arms = dict(imported.teams.values_list("team_code", "arm"))
    client.force_login(world.evaluator)
    response = client.post(reverse("randomise", args=[imported.pk]),
                           {"method": "simple", "seed": "1", "ratio": "1:1"})
    assert response.status_code == 200
    assert "came in an evaluation package" in response.content.decode()
    assert dict(imported.teams.values_list("team_code", "arm")) == arms


def test_the_teams_of_an_imported_trial_cannot_change(world, imported):
    with pytest.raises(ValidationError, match="cannot change"):
        actions.set_teams(world.evaluator, imported, {world.team: "", world.other_team: ""})


def test_a_trial_randomised_here_says_how_by_whom_and_with_which_seed(world, client):
    trial, _, _ = open_baseline(world, client)
    page = client.get(reverse("trial", args=[trial.pk])).content.decode()
    assert "Randomised in Family Feedback" in page
    assert "seed 7" in page and world.evaluator.email in page
