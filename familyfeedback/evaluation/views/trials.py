import random

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from familyfeedback.accounts import audit
from familyfeedback.evaluation import actions, admin_data, progress
from familyfeedback.evaluation.access import get_trial_for, service_teams, trials_for
from familyfeedback.evaluation.forms import (
    QuestionForm,
    RandomiseForm,
    ResearchQuestionForm,
    TeamsForm,
    TrialForm,
)
from familyfeedback.evaluation.models import WAVES, Trial
from familyfeedback.lib import versions
from familyfeedback.lib.errors import conflict_summary, error_summary


@require_safe
def trials(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/trials.html", {"trials": list(trials_for(request.user))})


@require_http_methods(["GET", "HEAD", "POST"])
def new_trial(request: HttpRequest) -> HttpResponse:
    trials_for(request.user)  # evaluators only
    form = TrialForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            trial = actions.create_trial(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, "Trial created with the pilot's research questions")
            return redirect("trial", trial_id=trial.pk)
    return render(request, "evaluation/new_trial.html",
                  {"form": form, "errors": error_summary(form)})


def _trial_page(request: HttpRequest, trial: Trial, *, teams_form: TeamsForm | None = None,
                randomise_form: RandomiseForm | None = None,
                question_form: QuestionForm | None = None) -> HttpResponse:
    """The trial's page; a form sent from it that was refused comes back with its messages and
    what was typed."""
    allocation = getattr(trial, "allocation", None)
    if allocation is not None:
        # Seeing the allocation is recorded: who knew the arms, and when, can matter later.
        audit.record(request.user, "trial.reveal", allocation)
    teams = list(trial.teams.all())
    waves = {w.kind: w for w in trial.waves.all()}
    refused = [f for f in (teams_form, randomise_form, question_form) if f is not None]
    in_trial = {str(t.service_team_id): t.unit_id for t in teams}
    return render(request, "evaluation/trial.html", {
        "trial": trial, "allocation": allocation, "teams": teams,
        "imported": progress.imported_arms(trial),
        "service_teams": service_teams(),
        "teams_form": teams_form or TeamsForm(
            initial={"teams": list(in_trial), **{f"unit-{pk}": unit
                                                 for pk, unit in in_trial.items()}},
            teams=service_teams()),
        "randomise_form": randomise_form or RandomiseForm(initial={
            "method": "simple", "ratio": "1:1",
            "seed": random.SystemRandom().randrange(10**8, 10**9)}),
        "question_form": question_form or QuestionForm(initial={"wave": "baseline",
                                                                "kind": "likert"}),
        "waves": [(kind, label, waves.get(kind)) for kind, label in WAVES],
        "responses": progress.responses_by_team(trial),
        "questions": list(trial.questions_asked.all()),
        "admin_records": trial.admin_records.count(),
        "in_app": bool(teams) and all(t.service_team_id for t in teams),
        "custom_questions": list(trial.custom_questions.all()),
        "errors": error_summary(*refused),
    })


@require_safe
def trial(request: HttpRequest, trial_id: int) -> HttpResponse:
    return _trial_page(request, get_trial_for(request.user, trial_id))


@require_POST
def set_teams(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    form = TeamsForm(request.POST, teams=service_teams())
    if form.is_valid():
        try:
            actions.set_teams(request.user, trial, form.units())
        except ValidationError as error:
            form.add_error("teams", error)
    if form.errors:
        return _trial_page(request, trial, teams_form=form)
    messages.success(request, "Teams saved")
    return redirect("trial", trial_id=trial.pk)


@require_POST
def randomise(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    form = RandomiseForm(request.POST)
    if form.is_valid():
        try:
            actions.randomise(request.user, trial, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _trial_page(request, trial, randomise_form=form)
    messages.success(request, "Randomised. The allocation can no longer change")
    return redirect("trial", trial_id=trial.pk)
@require_POST
def open_wave(request: HttpRequest, trial_id: int, kind: str) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    try:
        actions.open_wave(request.user, trial, kind)
    except (ValidationError, KeyError) as error:
        messages.error(request, getattr(error, "message", "There is no such wave"))
    else:
        messages.success(request, "Survey wave opened")
    return redirect("trial", trial_id=trial.pk)


@require_POST
def refresh_admin_data(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    try:
        counts = admin_data.refresh(request.user, trial)
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Admin data taken from the records: "
                                  f"{counts['administrations']} ORS and SRS records and "
                                  f"{counts['training']} training records, pseudonymised")
    return redirect("trial", trial_id=trial.pk)


@require_POST
def remind(request: HttpRequest, trial_id: int, kind: str) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    wave = trial.waves.filter(kind=kind, is_open=True).first()
    if wave is None:
        messages.error(request, "That survey wave is not open")
    else:
        try:
            done = actions.remind_non_responders(request.user, trial, wave, settings.SITE_URL)
        except ValidationError as error:
            messages.error(request, error.message)
        else:
            text = (f"Reminder sent to {done.sent} "
                    f"{'practitioner' if done.sent == 1 else 'practitioners'}")
            if done.failed:
                messages.error(request, f"{text}; {done.failed} could not be sent: try again "
                                        "later")
            else:
                messages.success(request, text)
    return redirect("trial", trial_id=trial.pk)


@require_POST
def add_question(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            actions.add_question(request.user, trial, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
    if form.errors:
        return _trial_page(request, trial, question_form=form)
    messages.success(request, "Question added")
    return redirect("trial", trial_id=trial.pk)


QUESTION_LABELS = {"text": "Question", "methods": "Methods"}


@require_http_methods(["GET", "HEAD", "POST"])
def research_question(request: HttpRequest, trial_id: int, number: str) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    question = trial.questions_asked.filter(number=number).first()
    if question is None:
        return render(request, "errors/404.html", status=404)
    values = actions.research_question_values(question)
    form = ResearchQuestionForm(request.POST if request.method == "POST" else None,
                                initial={**values, "version": versions.stamp(values)})
    changed = []
    if form.is_bound and form.is_valid():
        opened, text, methods = (form.cleaned_data[key] for key in ("version", "text",
                                                                     "methods"))
        try:
            actions.change_research_question(request.user, question, text=text,
                                             methods=methods, opened=opened)
        except versions.EditConflict as conflict:
            changed, form = form.redrawn(conflict, {"text": text, "methods": "\n".join(methods)},
                                         QUESTION_LABELS)
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, f"Research question {number} saved")
            return redirect("trial", trial_id=trial.pk)
    return render(request, "evaluation/research_question.html", {
        "trial": trial, "question": question, "form": form, "changed": changed,
        "errors": error_summary(form) or conflict_summary(changed)})
