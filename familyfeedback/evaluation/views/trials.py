from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from familyfeedback.evaluation import actions, presenters
from familyfeedback.evaluation.access import (
    get_research_question_for,
    get_trial_for,
    get_trial_respondent_for,
    require_evaluator,
    service_teams,
    trials_for,
)
from familyfeedback.evaluation.forms import (
    QuestionForm,
    RandomiseForm,
    ResearchQuestionForm,
    SurveyLinkForm,
    TeamsForm,
    TrialForm,
)
from familyfeedback.evaluation.models import Trial
from familyfeedback.lib import versions
from familyfeedback.lib.errors import conflict_summary, error_summary


@require_safe
def trials(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/trials.html", {"trials": list(trials_for(request.user))})


@require_http_methods(["GET", "HEAD", "POST"])
def new_trial(request: HttpRequest) -> HttpResponse:
    require_evaluator(request.user)
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


def _trial_page(request: HttpRequest, trial: Trial, **refused_form) -> HttpResponse:
    """The trial's page; a form sent from it that was refused comes back with its messages and
    what was typed."""
    allocation = actions.reveal_allocation(request.user, trial)
    return render(request, "evaluation/trial.html", {
        **presenters.trial_page(trial, allocation, **refused_form),
        "errors": error_summary(*refused_form.values())})


@require_safe
def trial(request: HttpRequest, trial_id: int) -> HttpResponse:
    return _trial_page(request, get_trial_for(request.user, trial_id))


@require_POST
def set_teams(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    form = TeamsForm(request.POST, teams=service_teams())
    return _sent_from_trial_page(
        request, trial, "teams_form", form, "Teams saved",
        lambda: actions.set_teams(request.user, trial, form.units()), field="teams")


@require_POST
def randomise(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    form = RandomiseForm(request.POST)
    return _sent_from_trial_page(
        request, trial, "randomise_form", form, "Randomised. The allocation can no longer change",
        lambda: actions.randomise(request.user, trial, **form.cleaned_data))


def _sent_from_trial_page(request: HttpRequest, trial: Trial, name: str, form, done: str, act,
                          field: str | None = None) -> HttpResponse:
    """A form sent from the trial page: its action done, or the page again with the form as
    sent and why it was refused (the action's reasons shown against `field`)."""
    if form.is_valid():
        try:
            act()
        except ValidationError as error:
            form.add_error(field, error)
    if form.errors:
        return _trial_page(request, trial, **{name: form})
    messages.success(request, done)
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
        counts = actions.refresh_admin_data(request.user, trial)
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, presenters.admin_data_text(counts))
    return redirect("trial", trial_id=trial.pk)


@require_POST
def remind(request: HttpRequest, trial_id: int, kind: str) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    try:
        done = actions.remind_non_responders(request.user, trial, kind, settings.SITE_URL)
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        all_sent, text = presenters.reminded_text(done)
        (messages.success if all_sent else messages.error)(request, text)
    return redirect("trial", trial_id=trial.pk)


@require_POST
def change_survey_link(request: HttpRequest, trial_id: int, respondent_id: int) -> HttpResponse:
    respondent = get_trial_respondent_for(request.user, trial_id, respondent_id)
    form = SurveyLinkForm(request.POST)
    code = respondent.practitioner_id
    if not form.is_valid():
        messages.error(request, form.errors["what"][0])
    elif form.cleaned_data["what"] == "revoke":
        actions.revoke_survey_link(request.user, respondent)
        messages.success(request, f"{code}'s survey link no longer works")
    else:
        try:
            actions.reissue_survey_link(request.user, respondent, settings.SITE_URL)
        except ValidationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"A new survey link was emailed to {code}; the old one "
                                      "no longer works")
    return redirect(reverse("trial", args=[trial_id]) + "#survey-links")


@require_POST
def add_question(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    form = QuestionForm(request.POST)
    return _sent_from_trial_page(
        request, trial, "question_form", form, "Question added",
        lambda: actions.add_question(request.user, trial, **form.cleaned_data))


QUESTION_LABELS = {"text": "Question", "methods": "Methods"}


@require_http_methods(["GET", "HEAD", "POST"])
def research_question(request: HttpRequest, trial_id: int, number: str) -> HttpResponse:
    question = get_research_question_for(request.user, trial_id, number)
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
            return redirect("trial", trial_id=question.trial_id)
    return render(request, "evaluation/research_question.html", {
        "trial": question.trial, "question": question, "form": form, "changed": changed,
        "errors": error_summary(form) or conflict_summary(changed)})
