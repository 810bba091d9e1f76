"""Closing a family's support (with a summary for the family) and starting it again."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.casework import actions, queries
from familyfeedback.casework.access import get_episode_for, get_family_for
from familyfeedback.casework.forms import CloseSupportForm, ReopenSupportForm
from familyfeedback.casework.presenters import closure_lines
from familyfeedback.lib.sent import Sent, saved


@require_http_methods(["GET", "HEAD", "POST"])
def close_support(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    form = CloseSupportForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    sent = Sent(form, lambda: actions.close_support(
        request.user, family, on=form.cleaned_data["closed_on"], note=form.cleaned_data["note"]),
        refused_on="closed_on")
    if sent.done:
        return saved(request, "Support closed. Print the summary for the family below",
                     "closure_summary", episode_id=sent.result.pk)
    return render(request, "casework/close_support.html",
                  {"family": family, "form": form, "errors": sent.errors})


REOPENED = {
    True: "Support reopened. Everyone's next outcome rating is a new starting point",
    False: "Closing support was undone: support carries on as before, from the same starting "
           "points",
}


@require_http_methods(["GET", "HEAD", "POST"])
def reopen_support(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    form = ReopenSupportForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    sent = Sent(form, lambda: actions.reopen_support(request.user, family,
                                                     on=form.cleaned_data["opened_on"]),
                refused_on="opened_on")
    if sent.done:
        _, new_baseline = sent.result
        return saved(request, REOPENED[new_baseline], "family", family_id=family.pk)
    return render(request, "casework/reopen_support.html",
                  {"family": family, "form": form, "errors": sent.errors})


@require_safe
def closure_summary(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    if episode.is_open:
        raise Http404("No closed support")
    family = episode.family
    actions.log_view(request.user, "episode.view_summary", episode)
    return render(request, "casework/closure_summary.html", {
        "family": family, "episode": episode,
        "lines": closure_lines(queries.people_of(family), queries.episode_records(episode),
                               queries.attendance(episode), episode.closed_on),
    })
