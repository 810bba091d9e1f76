"""Response rates by team, arm and wave: who answered, of those each wave was asked of."""

from django.test import Client
from django.urls import reverse

from familyfeedback.evaluation.presenters import Rate, response_rates
from tests.evaluation.builders import open_baseline

# Five practitioners: team A (intervention) 1, 2, 3; team B (intervention) 4; team C
# (comparison) 5, and 6 in a team not randomised.
PEOPLE = [(1, "A", "intervention"), (2, "A", "intervention"), (3, "A", "intervention"),
          (4, "B", "intervention"), (5, "C", "comparison"), (6, "D", "")]
WAVES = [("baseline", "Baseline", ["intervention", "comparison"]),
         ("post_training", "Post-training", ["intervention"])]
ANSWERED = {(1, "baseline"), (2, "baseline"), (5, "baseline"), (1, "post_training"),
            (4, "post_training"), (6, "baseline")}  # 6 was not asked: not counted


def test_rates_count_those_asked_by_team_arm_and_wave_worked_by_hand():
    rates = response_rates(PEOPLE, ANSWERED, WAVES)
    by_team = {row["name"]: row["rates"] for row in rates["by_team"]}
    assert by_team["A"] == [Rate(2, 3), Rate(1, 3)]
    assert by_team["B"] == [Rate(0, 1), Rate(1, 1)]
    assert by_team["C"] == [Rate(1, 1), None]  # post-training was not asked of comparison
    assert by_team["D"] == [None, None]
    by_arm = {row["name"]: row["rates"] for row in rates["by_arm"]}
    assert by_arm["intervention"] == [Rate(2, 4), Rate(2, 4)]
    assert by_arm["comparison"] == [Rate(1, 1), None]
    assert rates["by_wave"] == [Rate(3, 5), Rate(2, 4)]
    assert rates["waves"] == ["Baseline", "Post-training"]


def test_a_rate_reads_as_numerator_denominator_and_percentage():
    assert str(Rate(2, 3)) == "2 of 3 (67%)"
    assert Rate(2, 3).pct == 200 / 3
    assert str(Rate(0, 0)) == "0 of 0 (–)"


def test_the_trial_page_shows_the_rates(world, client):
    trial, me, wave = open_baseline(world, client)
    practitioner = Client()
    practitioner.force_login(world.practitioner)
    practitioner.post(reverse("survey_answer", args=[me.pk, wave.pk]), {"proqol_cs_1": "4"})
    asked_in_team = trial.practitioners.filter(team=me.team).count()
    everyone = trial.practitioners.count()
    page = client.get(reverse("trial", args=[trial.pk])).content.decode()
    table = page[page.index('id="rates-team"'):page.index('id="rates-arm"')]
    assert f"1 of {asked_in_team} ({100 / asked_in_team:.0f}%)" in table
    assert f"1 of {everyone} ({100 / everyone:.0f}%)" in page
