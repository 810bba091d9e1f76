"""Opening a family, moving it to another key worker or team, and finding one."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from familyfeedback.accounts import rate_limits
from familyfeedback.casework import actions, queries
from familyfeedback.casework.access import (
    can_see_family,
    families_for,
    get_family_for,
    get_teams_for,
    teams_in_service,
)
from familyfeedback.casework.forms import (
    PLACEMENT_LABELS,
    FindFamilyForm,
    OpenFamilyPage,
    TransferForm,
)
from familyfeedback.lib import versions
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.sent import Sent, saved


@require_http_methods(["GET", "HEAD", "POST"])
def open_family(request: HttpRequest) -> HttpResponse:
    teams = get_teams_for(request.user)
    page = OpenFamilyPage(request.POST or None, teams=teams, user=request.user)
    if request.method == "POST" and page.is_valid():
        try:
            family = actions.open_family(request.user, **page.opened())
        except ValidationError as error:
            page.family.add_error(None, error)
        else:
            return saved(request, f"{family.name} opened", "family", family_id=family.pk)
    return render(request, "casework/open_family.html", {"page": page, "errors": page.errors()})


@require_http_methods(["GET", "HEAD", "POST"])
def transfer_family(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    form = TransferForm(request.POST or None, teams=list(teams_in_service(request.user)),
                        initial={"team": family.team_id, "key_worker": family.key_worker_id,
                                 "version": versions.stamp(actions.placement(family))})
    sent = Sent(form, lambda: actions.transfer_family(request.user, family, **form.edit()),
                labels=PLACEMENT_LABELS)
    if sent.done:
        moved = sent.result
        # Moved to a team this person does not work in: the family's page is no longer theirs.
        to = ("family", {"family_id": moved.pk}) if can_see_family(request.user, moved) else (
            "home", {})
        return saved(request, f"{moved.name}: {moved.team}, key worker "
                              f"{moved.key_worker or 'not set yet'}", to[0], **to[1])
    return render(request, "casework/transfer_family.html", {
        "family": family, "form": sent.form, "changed": sent.changed, "errors": sent.errors})


@require_http_methods(["GET", "HEAD", "POST"])
def find_family(request: HttpRequest) -> HttpResponse:
    """A POST, so that the name or reference searched for stays out of URLs and access logs
    (docs/decisions/0017-finding-a-family.md)."""
    get_teams_for(request.user)
    form = FindFamilyForm(request.POST or None)
    found = refusal = None
    if request.method == "POST" and form.is_valid():
        refusal = rate_limits.refused_on(form, "words", request.user, "search")
        if refusal is None:
            found = queries.found_families(families_for(request.user),
                                           form.cleaned_data["words"])
    return rate_limits.answered(render(request, "casework/find_family.html", {
        "form": form, "found": found, "errors": error_summary(form)}), refusal)
