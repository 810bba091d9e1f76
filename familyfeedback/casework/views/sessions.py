from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.casework import actions, queries
from familyfeedback.casework.access import get_family_for, get_session_for
from familyfeedback.casework.forms import RecordSessionForms
from familyfeedback.casework.models import Episode
from familyfeedback.casework.presenters import record_session_page, session_page


def open_episode(request: HttpRequest, family, *, viewed: str) -> Episode | None:
    """The family's open support, or None with a message saying to reopen it. A page drawn to
    record a session in it is audited as `viewed`."""
    episode = queries.current_episode(family)
    if episode is None or not episode.is_open:
        messages.info(request, "Support for this family is closed: reopen it to record a session")
        return None
    if request.method != "POST":
        actions.log_view(request.user, viewed, family)
    return episode


def save_session(request: HttpRequest, family, form, recorded: dict):
    """Record a session: (session, created, None), or (None, False, the session this practitioner
    already has that day) to ask whether this is another, or (None, False, None) with the reason
    it cannot be saved put on the form."""
    try:
        session, created = actions.record_session(request.user, family, **recorded)
    except actions.SameDaySession as question:
        return None, False, question.session
    except ValidationError as error:
        form.add_error(None, error)
        return None, False, None
    return session, created, None


@require_http_methods(["GET", "HEAD", "POST"])
def record_session(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    episode = open_episode(request, family, viewed="family.view_record_form")
    if episode is None:
        return redirect("family", family_id=family.pk)
    posted = request.method == "POST"
    people = queries.people_of(family)
    page = RecordSessionForms(request.POST if posted else None, request.FILES if posted else None,
                              episode=episode, people=people, due=lambda on, kind: queries
                              .due_today(settings.SCHEDULE, episode, people, on, kind))
    same_day = None
    if posted and page.is_valid():
        session, created, same_day = save_session(request, family, page.session,
                                                  page.recorded())
        if session is not None:
            if created:
                messages.success(request, "Session recorded")
            else:
                messages.info(request, "This session was already recorded: it was saved once")
            return redirect("session", session_id=session.pk)
    return render(request, "casework/record_session.html",
                  record_session_page(family, page, same_day, photos_sent=bool(request.FILES)))


@require_safe
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_session_for(request.user, session_id)
    actions.log_view(request.user, "session.view", session)
    return render(request, "casework/session.html", session_page(session))
