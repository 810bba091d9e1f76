"""A family member's rating on their own phone. From a started session the practitioner makes a
one-time link for someone who has not yet rated, shows it as a QR code or sends it by text
message or email; the link opens just that person's form, with no sign-in, once."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.casework import actions, presenters, queries
from familyfeedback.casework.access import feedback_link_in, followed_link, get_session_for
from familyfeedback.casework.forms import MakeLinkForm, SendLinkForm
from familyfeedback.casework.models import Administration
from familyfeedback.casework.views.rating import rating_screen
from familyfeedback.lib.sent import Sent


@require_http_methods(["GET", "HEAD", "POST"])
def phone_links(request: HttpRequest, session_id: int) -> HttpResponse:
    """Who can be given a link; a link made, shown at once (its token is kept nowhere, so the
    page that shows it is the answer to the press, not a page to come back to)."""
    session = get_session_for(request.user, session_id)
    posted = request.method == "POST"
    if not posted:
        actions.log_view(request.user, "session.view_phone_links", session)
    form = MakeLinkForm(request.POST if posted else None,
                        people=queries.still_to_rate(session, Administration.Tool.SRS))
    sent = Sent(form, lambda: actions.make_feedback_link(request.user, session, *form.chosen()),
                refused_on="person")
    if sent.done:
        link, token = sent.result
        return render(request, "casework/phone_link.html", presenters.phone_link_page(
            session, link, token, _link_url(request, token), SendLinkForm.for_link(token)))
    return render(request, "casework/phone_links.html",
                  presenters.phone_links_page(session, form, sent.errors))


@require_http_methods(["GET", "HEAD", "POST"])
def send_phone_link(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_session_for(request.user, session_id)
    form = SendLinkForm(request.POST if request.method == "POST" else None)
    token = form.data.get("link", "")
    link = feedback_link_in(session, token)
    if link is None:  # the address typed or bookmarked, or a form not drawn by us: no link
        messages.info(request, "Make a new link to show or send")
        return redirect("phone_links", session_id=session.pk)
    url = _link_url(request, token)
    sent = Sent(form, lambda: actions.send_feedback_link(request.user, link, url=url,
                                                         **form.sent()))
    if sent.done:
        said = {"sms": "by text message", "email": "by email"}[link.sent_by]
        if sent.result:
            messages.success(request, f"Link sent {said} to {link.person.first_name}")
        else:
            messages.info(request, f"Already sent {said}: nothing more was sent")
    return render(request, "casework/phone_link.html", {
        **presenters.phone_link_page(session, link, token, url, form), "errors": sent.errors})


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link opened on the family member's phone: their own form for this session, or a kind
    page saying why the link no longer works."""
    link, why = followed_link(token)
    if link is None:
        return render(request, "family/link_not_working.html", {"why": why},
                      status=404 if why == "unknown" else 200)
    response = rating_screen(request, link.session, link.person, link.tool,
                             channel=Administration.Channel.OWN_DEVICE,
                             then=reverse("feedback_thanks"), actor=None, named=False)
    if request.method == "POST":
        actions.use_feedback_link(link)
    return response


@login_not_required
@require_safe
def feedback_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "family/link_thanks.html")


def _link_url(request: HttpRequest, token: str) -> str:
    """The link as the family member will open it: at the address people reach the service at,
    or (none set) the one this page was asked for at."""
    path = reverse("feedback_link", args=[token])
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)
