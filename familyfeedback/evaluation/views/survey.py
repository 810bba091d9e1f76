"""Practitioners answering a trial's survey, signed in or through their personal link. They can
stop and come back: every answer given is kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.evaluation import actions, presenters
from familyfeedback.evaluation.access import (
    get_respondent_for,
    get_wave_for,
    open_waves,
    respondent_by_token,
    respondents_for,
)
from familyfeedback.evaluation.forms import SurveyForm
from familyfeedback.evaluation.models import TrialPractitioner, Wave
from familyfeedback.lib.errors import error_summary


@require_safe
def my_surveys(request: HttpRequest) -> HttpResponse:
    waves = [(r, w) for r in respondents_for(request.user) for w in open_waves(r)]
    return render(request, "evaluation/my_surveys.html", {"waves": waves})


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, respondent_id: int, wave_id: int) -> HttpResponse:
    respondent = get_respondent_for(request.user, respondent_id)
    return _survey(request, respondent, get_wave_for(respondent, wave_id), done_url="surveys")


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_by_link(request: HttpRequest, token: str, wave_id: int) -> HttpResponse:
    respondent = respondent_by_token(token)
    return _survey(request, respondent, get_wave_for(respondent, wave_id), done_url=None)


@login_not_required
@require_safe
def link(request: HttpRequest, token: str) -> HttpResponse:
    respondent = respondent_by_token(token)
    return render(request, "evaluation/link.html",
                  {"respondent": respondent, "waves": open_waves(respondent), "token": token})


def _survey(request, respondent: TrialPractitioner, wave: Wave, done_url) -> HttpResponse:
    page = presenters.survey_page(respondent, wave)
    form = SurveyForm(request.POST if request.method == "POST" else None,
                      measures=page["measures"], questions=page["questions"])
    if form.is_bound:
        if form.is_valid():
            actions.save_answers(respondent, wave, form.answers())
            messages.success(request, "Your answers are saved. Come back to finish"
                             if form.saved_for_later() else "Thank you: your answers are saved")
            if done_url:
                return redirect(done_url)
            return redirect("survey_link", token=respondent.link_token)
        # What was sent is shown again, as sent, with the messages.
        page["given"].update(form.typed())
    return render(request, "evaluation/survey.html", {**page, "errors": error_summary(form)})
