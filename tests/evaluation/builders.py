"""A trial run in the app, through its pages: teams chosen, randomised, the baseline open."""

from django.urls import reverse

from familyfeedback.evaluation.models import Trial, TrialPractitioner, Wave
from tests.edit_pages import opened


def teams_version(client, trial: Trial) -> dict:
    """The version the trial page's teams form carries, as the evaluator's browser sends it."""
    return opened(client, reverse("trial", args=[trial.pk]))


def open_baseline(world, client, *, questions=()) -> tuple[Trial, TrialPractitioner, Wave]:
    """The pilot trial with North 1 and South 2, randomised, the baseline survey open and any
    custom questions added; returns the trial, the practitioner's respondent and the wave.
    Leaves the evaluator signed in."""
    client.force_login(world.evaluator)
    client.post(reverse("new_trial"), {"name": "Pilot"})
    trial = Trial.objects.get(name="Pilot")
    client.post(reverse("trial_teams", args=[trial.pk]),
                {"teams": [world.team.pk, world.other_team.pk], **teams_version(client, trial)})
    for question in questions:
        client.post(reverse("add_question", args=[trial.pk]), question)
    client.post(reverse("randomise", args=[trial.pk]),
                {"method": "simple", "seed": "7", "ratio": "1:1"})
    client.post(reverse("open_wave", args=[trial.pk, "baseline"]))
    return (trial, trial.practitioners.get(user=world.practitioner),
            trial.waves.get(kind="baseline"))
