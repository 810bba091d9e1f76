"""A session given in two halves on the practitioner's tablet: each person rates on their own
screen, the tablet handed round between them."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.casework import actions, queries
from familyfeedback.casework.access import get_session_for
from familyfeedback.casework.models import Administration
from familyfeedback.casework.views.rating import rating_screen

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
    person = queries.next_to_rate(session, tool)
    if person is None:
        return redirect("session", session_id=session.pk)
    actions.log_view(request.user, "session.view_hand_over", session)
    return render(request, "casework/hand_over.html",
                  {"session": session, "person": person, "tool": tool})
