"""The administrator's team pages: the list, a new team, renaming, managers and archiving. They
live in casework, not accounts, because archiving asks whether a team still has open families."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from familyfeedback.accounts import actions as accounts
from familyfeedback.accounts import queries as people
from familyfeedback.accounts.access import get_team_for, require_administrator
from familyfeedback.accounts.models import Membership
from familyfeedback.casework import actions, queries
from familyfeedback.casework.forms import ManagersForm, RenameTeamForm, TeamForm
from familyfeedback.casework.presenters import team_rows
from familyfeedback.lib.sent import Sent, saved

TEAM_LABELS = {"name": "Name"}


@require_safe
def teams(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)
    teams = people.teams()
    return render(request, "casework/teams.html", {
        "rows": team_rows(teams, queries.open_family_counts(teams)), "title": "Teams"})


@require_http_methods(["GET", "HEAD", "POST"])
def new_team(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)
    form = TeamForm(request.POST or None)
    sent = Sent(form, lambda: accounts.create_team(request.user, **form.cleaned_data),
                refused_on="name")
    if sent.done:
        return saved(request, f"{sent.result} created: now choose its managers", "edit_team",
                     team_id=sent.result.pk)
    return render(request, "casework/new_team.html",
                  {"form": form, "errors": sent.errors, "title": "Create a team"})


@require_http_methods(["GET", "HEAD", "POST"])
def edit_team(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_team_for(request.user, team_id)
    form = RenameTeamForm(request.POST or None, record={"name": team.name})
    sent = Sent(form, lambda: accounts.rename_team(request.user, team, **form.edit()),
                refused_on="name", labels=TEAM_LABELS)
    if sent.done:
        return saved(request, f"Team renamed {team}", "edit_team", team_id=team.pk)
    return _team_page(request, team, rename_form=sent.form, changed=sent.changed,
                      errors=sent.errors)


@require_POST
def team_managers(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_team_for(request.user, team_id)
    form = ManagersForm(request.POST, choices=people.possible_managers())
    sent = Sent(form, lambda: accounts.set_managers(request.user, team, **form.cleaned_data))
    if sent.done:
        return saved(request, f"{team}'s managers saved", "edit_team", team_id=team.pk)
    return _team_page(request, team, managers_form=form, errors=sent.errors)


@require_http_methods(["GET", "HEAD", "POST"])
def archive_team(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_team_for(request.user, team_id)
    errors = []
    if request.method == "POST":
        try:
            actions.archive_team(request.user, team)
        except ValidationError as error:
            errors = [{"text": error.message, "href": "#archive"}]
        else:
            messages.success(request, f"{team} archived")
            return redirect("teams")
    return render(request, "casework/archive_team.html", {
        "team": team, "open_families": queries.open_family_counts([team]).get(team.pk, 0),
        "errors": errors,
        "title": f"Archive {team}"})


def _team_page(request, team, *, rename_form=None, managers_form=None, changed=(),
               errors=()) -> HttpResponse:
    memberships = people.current_memberships(team)
    managers = [m.user for m in memberships if m.kind == Membership.Kind.MANAGER]
    return render(request, "casework/edit_team.html", {
        "team": team, "changed": changed, "errors": errors, "memberships": memberships,
        "rename_form": rename_form or RenameTeamForm(record={"name": team.name}),
        "managers_form": managers_form or ManagersForm(
            initial={"managers": [m.pk for m in managers]}, choices=people.possible_managers()),
        "title": str(team)})
