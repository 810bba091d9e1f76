import csv

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from familyfeedback.accounts import rate_limits
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
    OpenWaveForm,
    QuestionForm,
    RandomiseForm,
    ResearchQuestionForm,
    RetentionForm,
    SurveyLinkForm,
    TeamsForm,
    TrialForm,
)
from familyfeedback.evaluation.models import WAVES, Trial
from familyfeedback.lib.errors import conflict_summary, error_summary
from familyfeedback.lib.sent import Sent, saved
from familyfeedback.lib.spreadsheet import csv_cell


@require_safe
def trials(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/trials.html", {"trials": list(trials_for(request.user))})


@require_http_methods(["GET", "HEAD", "POST"])
def new_trial(request: HttpRequest) -> HttpResponse:
    require_evaluator(request.user)
    form = TrialForm(request.POST if request.method == "POST" else None)
    sent = Sent(form, lambda: actions.create_trial(request.user, **form.cleaned_data),
                refused_on="name")
    if sent.done:
        return saved(request, "Trial created with the pilot's research questions",
                     "trial", trial_id=sent.result.pk)
    return render(request, "evaluation/new_trial.html", {"form": form, "errors": sent.errors})


def _trial_page(request: HttpRequest, trial: Trial, changed: list | None = None,
                **refused_form) -> HttpResponse:
    """The trial's page; a form sent from it that was refused comes back with its messages and
    what was typed, and after an edit conflict with what changed."""
    allocation = actions.reveal_allocation(request.user, trial)
    return render(request, "evaluation/trial.html", {
        **presenters.trial_page(trial, allocation, changed=changed, **refused_form),
        "errors": error_summary(*refused_form.values()) or conflict_summary(changed or [])})


@require_safe
def trial(request: HttpRequest, trial_id: int) -> HttpResponse:
    return _trial_page(request, get_trial_for(request.user, trial_id))


@require_POST
def set_teams(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    return _sent_from_trial_page(
        request, trial, "teams_form", TeamsForm(request.POST, teams=service_teams(trial)),
        "Teams saved", lambda form: actions.set_teams(request.user, trial, form.units(),
                                                      opened=form.cleaned_data["version"]),
        refused_on="teams", labels={"teams": "Teams"})


@require_POST
def randomise(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    return _sent_from_trial_page(
        request, trial, "randomise_form", RandomiseForm(request.POST),
        "Randomised. The allocation can no longer change",
        lambda form: actions.randomise(request.user, trial, **form.cleaned_data))


def _sent_from_trial_page(request: HttpRequest, trial: Trial, name: str, form, done: str, act,
                          refused_on: str | None = None,
                          labels: dict[str, str] | None = None) -> HttpResponse:
    """A form sent from the trial page: `act(form)` done, or the page again with the form as
    sent and why it was refused, or after an edit conflict with what changed."""
    sent = Sent(form, lambda: act(form), refused_on, labels)
    if not sent.done:
        return _trial_page(request, trial, changed=sent.changed, **{name: sent.form})
    return saved(request, done, "trial", trial_id=trial.pk)


@require_POST
def open_wave(request: HttpRequest, trial_id: int, kind: str) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    if kind not in dict(WAVES):
        raise Http404("No such wave")
    return _sent_from_trial_page(
        request, trial, "open_wave_form", OpenWaveForm(request.POST, prefix=kind),
        "Survey wave opened", lambda form: actions.open_wave(request.user, trial, kind,
                                                             **form.cleaned_data))


@require_POST
def close_wave(request: HttpRequest, trial_id: int, kind: str) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    try:
        actions.close_wave(request.user, trial, kind)
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Survey wave closed: it takes no more answers")
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
    code = respondent.practitioner_code
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
    return _sent_from_trial_page(
        request, trial, "question_form", QuestionForm(request.POST), "Question added",
        lambda form: actions.add_question(request.user, trial, **form.cleaned_data))


QUESTION_LABELS = {"text": "Question", "methods": "Methods"}


@require_http_methods(["GET", "HEAD", "POST"])
def research_question(request: HttpRequest, trial_id: int, number: str) -> HttpResponse:
    question = get_research_question_for(request.user, trial_id, number)
    values = actions.research_question_values(question)
    form = ResearchQuestionForm(request.POST if request.method == "POST" else None,
                                record=values)
    sent = Sent(form, lambda: actions.change_research_question(request.user, question,
                                                               **form.edit()),
                refused_on="text", labels=QUESTION_LABELS)
    if sent.done:
        return saved(request, f"Research question {number} saved",
                     "trial", trial_id=question.trial_id)
    return render(request, "evaluation/research_question.html", {
        "trial": question.trial, "question": question, "form": sent.form,
        "changed": sent.changed, "errors": sent.errors})


@require_POST
def set_retention(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    return _sent_from_trial_page(
        request, trial, "retention_form", RetentionForm(request.POST), "Retention date saved",
        lambda form: actions.set_retention_date(request.user, trial, **form.cleaned_data),
        refused_on="retention_date")


@require_safe
@rate_limits.limited("export")
def survey_links_csv(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    rows = actions.export_survey_links(request.user, trial, settings.SITE_URL)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="survey-links.csv"'
    csv.writer(response).writerows([csv_cell(value) for value in row] for row in rows)
    return response
