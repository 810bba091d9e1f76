import random

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from familyfeedback.accounts import audit
from familyfeedback.evaluation import actions, admin_data, progress
from familyfeedback.evaluation.access import get_trial_for, service_teams, trials_for
from familyfeedback.evaluation.models import WAVES


@require_GET
def trials(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/trials.html", {"trials": list(trials_for(request.user))})


@require_http_methods(["GET", "POST"])
def new_trial(request: HttpRequest) -> HttpResponse:
    trials_for(request.user)  # evaluators only
    problems = []
    if request.method == "POST":
        try:
            trial = actions.create_trial(request.user, name=request.POST.get("name", ""),
                                         protocol_note=request.POST.get("protocol_note", ""))
        except ValidationError as error:
            problems = [{"text": error.message, "href": "#name"}]
        else:
            messages.success(request, "Trial created with the pilot's research questions")
            return redirect("trial", trial_id=trial.pk)
    return render(request, "evaluation/new_trial.html",
                  {"errors": problems, "posted": request.POST})


@require_GET
def trial(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    allocation = getattr(trial, "allocation", None)
    if allocation is not None:
        # Seeing the allocation is recorded: who knew the arms, and when, can matter later.
        audit.record(request.user, "trial.reveal", allocation)
    teams = list(trial.teams.all())
    waves = {w.kind: w for w in trial.waves.all()}
    return render(request, "evaluation/trial.html", {
        "trial": trial, "allocation": allocation, "teams": teams,
        "service_teams": service_teams(),
        "in_trial": {t.service_team_id: t.unit_id for t in teams},
        "waves": [(kind, label, waves.get(kind)) for kind, label in WAVES],
        "responses": progress.responses_by_team(trial),
        "suggested_seed": random.SystemRandom().randrange(10**8, 10**9),
        "questions": list(trial.questions_asked.all()),
        "admin_records": trial.admin_records.count(),
        "in_app": bool(teams) and all(t.service_team_id for t in teams),
        "custom_questions": list(trial.custom_questions.all()),
    })


@require_POST
def set_teams(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    chosen = {team: request.POST.get(f"unit-{team.pk}", "").strip()
              for team in service_teams(request.POST.getlist("teams"))}
    try:
        actions.set_teams(request.user, trial, chosen)
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Teams saved")
    return redirect("trial", trial_id=trial.pk)


@require_POST
def randomise(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    try:
        seed = int(request.POST.get("seed", ""))
        first, second = (int(part) for part in request.POST.get("ratio", "1:1").split(":"))
    except ValueError:
        messages.error(request, "The seed must be a whole number and the ratio like 1:1 or 2:1")
        return redirect("trial", trial_id=trial.pk)
    try:
        actions.randomise(request.user, trial, method=request.POST.get("method", "simple"),
                          seed=seed, ratio=(first, second))
    except ValidationError as error:
        messages.error(request, error.message)
    else:
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
        sent = actions.remind_non_responders(request.user, trial, wave, settings.SITE_URL)
        messages.success(request, f"Reminder sent to {sent} "
                                  f"{'practitioner' if sent == 1 else 'practitioners'}")
    return redirect("trial", trial_id=trial.pk)


@require_POST
def add_question(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    try:
        actions.add_question(request.user, trial, question_id=request.POST.get("question_id", ""),
                             wave=request.POST.get("wave", "baseline"),
                             text=request.POST.get("text", ""),
                             kind=request.POST.get("kind", "text"),
                             options=request.POST.get("options", "").splitlines())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Question added")
    return redirect("trial", trial_id=trial.pk)


@require_http_methods(["GET", "POST"])
def research_question(request: HttpRequest, trial_id: int, number: str) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    question = trial.questions_asked.filter(number=number).first()
    if question is None:
        return render(request, "errors/404.html", status=404)
    problems = []
    if request.method == "POST":
        try:
            actions.change_research_question(
                request.user, question, text=request.POST.get("text", ""),
                methods=request.POST.get("methods", "").splitlines())
        except ValidationError as error:
            problems = [{"text": error.message, "href": "#text"}]
        else:
            messages.success(request, f"Research question {number} saved")
            return redirect("trial", trial_id=trial.pk)
    return render(request, "evaluation/research_question.html", {
        "trial": trial, "question": question, "errors": problems,
        "text": request.POST.get("text", question.text) if problems else question.text,
        "methods": request.POST.get("methods", "") if problems else "\n".join(question.methods),
    })
