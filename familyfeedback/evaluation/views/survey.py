"""Practitioners answering a trial's survey, signed in or through their personal link (which lets
them in for the browser session, then steps aside). They can stop and come back: every answer
given is kept."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.evaluation import actions, presenters
from familyfeedback.evaluation.access import (
    follow_survey_link,
    get_respondent_for,
    get_wave_for,
    open_waves,
    respondent_by_link,
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
@require_safe
def link(request: HttpRequest, token: str) -> HttpResponse:
    """The personal link, followed: it lets its holder in for this session and sends them on to
    pages without the token, which would otherwise sit in access logs and browser history."""
    respondent = follow_survey_link(request.session, token)
    if respondent is None:
        return _link_not_working(request)
    return redirect("survey_by_link")


@login_not_required
@require_safe
def by_link(request: HttpRequest) -> HttpResponse:
    respondent = respondent_by_link(request.session)
    if respondent is None:
        return _link_not_working(request)
    return render(request, "evaluation/link.html",
                  {"respondent": respondent, "waves": open_waves(respondent)})


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_by_link(request: HttpRequest, wave_id: int) -> HttpResponse:
    respondent = respondent_by_link(request.session)
    if respondent is None:
        return _link_not_working(request)
    return _survey(request, respondent, get_wave_for(respondent, wave_id),
                   done_url="survey_by_link")


def _link_not_working(request) -> HttpResponse:
    return render(request, "evaluation/link_not_working.html",
                  {"days": settings.SURVEY_LINK_DAYS}, status=404)


def _survey(request, respondent: TrialPractitioner, wave: Wave, done_url) -> HttpResponse:
    page = presenters.survey_page(respondent, wave)
    if page["not_taking"]:
        # Nothing sent is saved: the page says why, plainly, instead of the questions.
        return render(request, "evaluation/survey_closed.html", {**page, "back": done_url})
    form = SurveyForm(request.POST if request.method == "POST" else None,
                      measures=page["measures"], questions=page["questions"])
    if form.is_bound:
        valid = form.is_valid()
        page["unanswered"] = form.to_confirm(page["given"]) if valid else 0
        if valid and not page["unanswered"]:
            actions.save_answers(respondent, wave, form.answers())
            messages.success(request, "Your answers are saved. Come back to finish"
                             if form.saved_for_later() else "Thank you: your answers are saved")
            return redirect(done_url)
        # What was sent is shown again, as sent, with the messages.
        page["given"].update(form.typed())
    return render(request, "evaluation/survey.html", {**page, "errors": error_summary(form)})
