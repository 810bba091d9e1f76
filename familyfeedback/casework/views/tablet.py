"""A session given in two halves on the practitioner's tablet: each person rates on their own
screen, the tablet handed round between them."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.casework import actions, queries
from familyfeedback.casework.access import get_family_for, get_session_for
from familyfeedback.casework.forms import EndSessionForms, StartSessionForm
from familyfeedback.casework.models import Administration, Session
from familyfeedback.casework.views.rating import rating_screen
from familyfeedback.casework.views.sessions import open_episode, save_session
from familyfeedback.lib.errors import error_summary

TOOLS = ("ORS", "SRS")


@require_http_methods(["GET", "HEAD", "POST"])
def session_rate(request: HttpRequest, session_id: int, person_id: int,
                 tool: str) -> HttpResponse:
    session = get_session_for(request.user, session_id)
    if tool not in TOOLS:
        raise Http404
    person = queries.present_person(session, person_id)
    if request.method != "POST":
        actions.log_view(request.user, "session.view_rating_screen", session)
    return rating_screen(request, session, person, tool,
                         channel=Administration.Channel.TABLET, actor=request.user,
                         then=reverse("session_hand_over", args=[session.pk, tool]))


@require_safe
def session_hand_over(request: HttpRequest, session_id: int, tool: str) -> HttpResponse:
    session = get_session_for(request.user, session_id)
    if tool not in TOOLS:
        raise Http404
    waiting = queries.still_to_rate(session, tool)
    if not waiting:
        return redirect("session", session_id=session.pk)
    actions.log_view(request.user, "session.view_hand_over", session)
    return render(request, "casework/hand_over.html", {
        "session": session, "person": waiting[0], "others": waiting[1:], "tool": tool})


@require_http_methods(["GET", "HEAD", "POST"])
def start_session(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    episode = open_episode(request, family, viewed="family.view_start_session")
    if episode is None:
        return redirect("family", family_id=family.pk)
    posted = request.method == "POST"
    form = StartSessionForm(request.POST if posted else None, episode=episode,
                            people=queries.people_of(family))
    session, same_day = None, None
    if posted and form.is_valid():
        session, _, same_day = save_session(request, family, form, form.started())
    if session is not None:
        return redirect("session_hand_over", session_id=session.pk, tool="ORS")
    return render(request, "casework/start_session.html", {
        "family": family, "form": form, "same_day": same_day, "errors": error_summary(form)})


@require_http_methods(["GET", "HEAD", "POST"])
def end_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_session_for(request.user, session_id)
    if session.stage != Session.Stage.STARTED:
        return redirect("session", session_id=session.pk)
    posted = request.method == "POST"
    if not posted:
        actions.log_view(request.user, "session.view_end_form", session)
    page = EndSessionForms(request.POST if posted else None, request.FILES if posted else None,
                           session=session, missing=queries.missing_ratings(session))
    if posted and page.is_valid():
        _, kept = actions.finish_session(request.user, session, page.entries())
        if kept:
            names = ", ".join(sorted({person.first_name for person in kept}))
            messages.info(request, f"Session ended. {names} rated on their own while you were "
                                   "on this page: their own rating is kept")
        else:
            messages.success(request, "Session ended")
        return redirect("session", session_id=session.pk)
    return render(request, "casework/end_session.html", {
        "session": session, "family": session.family, "forms": page.forms,
        "labels": {f.measure.code: f.words for f in page.forms}, "errors": page.errors(),
        "photos_to_choose_again": posted and bool(request.FILES)})
