"""The demo's evaluation: the five teams in a trial (the two North teams, which share a manager,
randomised together), randomised, all three survey waves answered, and admin data taken from the
demo's own sessions, so an evaluator signing in sees a full analysis."""

import random

from familyfeedback.accounts.models import Team, User
from familyfeedback.evaluation import actions
from familyfeedback.evaluation.models import WAVES, Question, Response, Trial
from familyfeedback.measures import surveys

QUESTIONS = [
    ("prev_ors", "baseline", "Have you used the ORS with children or families before?",
     "choice", ["Yes", "No", "Not sure"]),
    ("know_more", "post_training",
     "I would like to know more about systemic principles, ideas and practices.", "likert",
     ["Completely disagree", "Disagree", "Neither agree nor disagree", "Agree",
      "Completely agree"]),
    ("continue_tools", "endline", "Would you like to keep using the ORS and SRS?", "choice",
     ["Yes", "No", "Not sure"]),
]


def load_trial(rng: random.Random, evaluator: User, seed: int) -> Trial:
    trial = actions.create_trial(evaluator, name="Demo pilot",
                                 protocol_note="Teams randomised to training and the feedback "
                                               "tools, or business as usual.")
    teams = list(Team.objects.order_by("name"))
    actions.set_teams(evaluator, trial, {t: ("North" if t.name.startswith("North") else "")
                                         for t in teams})
    actions.randomise(evaluator, trial, method="simple", seed=seed, ratio=(1, 1))
    Question.objects.bulk_create([
        Question(trial=trial, question_code=q, wave=w, text=t, kind=k, options=o)
        for q, w, t, k, o in QUESTIONS])
    rows = []
    for kind, _ in WAVES:
        wave = actions.open_wave(evaluator, trial, kind)
        for respondent in trial.practitioners.select_related("team"):
            if respondent.team.arm not in wave.arms or rng.random() > 0.85:
                continue
            for code in wave.measures:
                measure = surveys.get_survey_measure(code)
                for item in measure.items:
                    rows.append(Response(trial=trial, respondent=respondent, wave=kind,
                                         item=item.key, value=str(_answer(rng, measure, item))))
            for q, w, _, _, options in QUESTIONS:
                if w == kind:
                    rows.append(Response(trial=trial, respondent=respondent, wave=kind, item=q,
                                         value=rng.choice(options[1:] + options[-2:])))
    Response.objects.bulk_create(rows)
    actions.refresh_admin_data(evaluator, trial)
    return trial


def _answer(rng: random.Random, measure, item) -> int:
    """Answers near the top of each scale, as in the pilot (its outcomes had a ceiling effect);
    reversed items near the bottom."""
    top, bottom = measure.scale_max, measure.scale_min
    value = top - abs(round(rng.gauss(0, 1.1)))
    if item.reversed:
        value = bottom + (top - value)
    return max(bottom, min(top, value))
