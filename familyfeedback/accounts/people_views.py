"""The administrator's people pages (the list, inviting, a person's roles and teams, switching
their account off and on, resetting their sign-in) and the invited person's set-up page."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from familyfeedback.accounts import actions, presenters, queries
from familyfeedback.accounts.access import (
    get_membership_for,
    get_user_for,
    invited_person,
    require_administrator,
)
from familyfeedback.accounts.forms import (
    InviteForm,
    JoinTeamForm,
    MoveTeamForm,
    PeopleFilterForm,
    RolesForm,
    SetPasswordForm,
)
from familyfeedback.accounts.models import User
from familyfeedback.lib.sent import Sent, saved

PER_PAGE = 25
ROLE_LABELS = {"roles": "Roles"}
# The set-up page's address once the link's token is moved into the session, so that the token
# is in the address bar (and any access log) only for the one redirect.
SET_PASSWORD = "set-password"
_TOKEN_KEY = "invitation_token"


def site_of(request: HttpRequest) -> str:
    """Where links in emails point: the configured address, else the one this page was asked
    at (its host already checked against ALLOWED_HOSTS)."""
    return settings.SITE_URL or request.build_absolute_uri("/")


@require_safe
def people(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)
    form = PeopleFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(queries.people(**filters), PER_PAGE).get_page(filters.get("page"))
    others = request.GET.copy()
    others.pop("page", None)
    return render(request, "accounts/people.html", {
        "form": form, "page": page, "rows": [presenters.person_row(p) for p in page],
        "others": others.urlencode(), "title": "People"})


@require_http_methods(["GET", "HEAD", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)
    form = InviteForm(request.POST or None)
    try:
        sent = Sent(form, lambda: actions.invite(request.user, **form.cleaned_data,
                                                 site=site_of(request)), refused_on="email")
    except actions.InvitationNotSent as error:
        messages.warning(request, f"{error.person} was added, but the email was not sent "
                         f"({error.why}). Send the invitation again once email works")
        return redirect("person", user_id=error.person.pk)
    if sent.done:
        return saved(request, f"Invitation sent to {sent.result.email}", "person",
                     user_id=sent.result.pk)
    return render(request, "accounts/invite.html", {
        "form": sent.form, "errors": sent.errors, "title": "Invite a person",
        "invitation_days": settings.INVITATION_DAYS})


@require_http_methods(["GET", "HEAD", "POST"])
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_user_for(request.user, user_id)
    form = RolesForm.of(person, request.POST or None)
    sent = Sent(form, lambda: actions.grant_roles(request.user, person, **form.edit()),
                refused_on="roles", labels=ROLE_LABELS)
    if sent.done:
        return saved(request, f"{person}'s roles saved", "person", user_id=person.pk)
    return _person_page(request, person, roles_form=sent.form, changed=sent.changed,
                        errors=sent.errors)


@require_POST
def resend_invitation(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_user_for(request.user, user_id)
    try:
        actions.resend_invitation(request.user, person, site=site_of(request))
    except actions.InvitationNotSent as error:
        messages.warning(request, f"The email was not sent ({error.why}): try again later")
    except ValidationError as error:
        messages.warning(request, error.message)
    else:
        messages.success(request, f"A new invitation was sent to {person.email}; the "
                                  "earlier link no longer works")
    return redirect("person", user_id=person.pk)


@require_POST
def join_team(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_user_for(request.user, user_id)
    form = JoinTeamForm(request.POST)
    sent = Sent(form, lambda: actions.join_team(request.user, person, **form.cleaned_data),
                refused_on="team")
    if sent.done:
        return saved(request, f"{person} is now in {sent.result.team}", "person",
                     user_id=person.pk)
    return _person_page(request, person, join_form=form, errors=sent.errors)


@require_POST
def end_membership(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_membership_for(request.user, membership_id)
    try:
        actions.end_membership(request.user, membership)
    except ValidationError as error:
        messages.warning(request, error.message)
    else:
        messages.success(request, f"{membership.user} has left {membership.team}")
    return redirect("person", user_id=membership.user_id)


@require_POST
def move_team(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_membership_for(request.user, membership_id)
    form = MoveTeamForm(request.POST, prefix=f"move-{membership.pk}")
    sent = Sent(form, lambda: actions.move_team(request.user, membership, **form.cleaned_data),
                refused_on="to")
    if sent.done:
        return saved(request, f"{membership.user} moved from {membership.team} to "
                              f"{sent.result.team}", "person", user_id=membership.user_id)
    return _person_page(request, membership.user, move_forms={membership.pk: form},
                        errors=sent.errors)



@dataclass(frozen=True)
class AccountChange:
    """A change to a whole account, made from its confirmation page (what the page explains is
    in its template, accounts/<name>.html); {person} in the wording is the person's name."""
    act: Callable[[User, User], None]
    title: str
    done: str


# Each of its addresses names one (familyfeedback/urls.py).
ACCOUNT_CHANGES = {
    "switch_off": AccountChange(
        actions.deactivate, "Switch off {person}'s account",
        "{person}'s account is switched off: they have been signed out everywhere"),
    "switch_on": AccountChange(
        actions.reactivate, "Switch {person}'s account back on",
        "{person}'s account is switched back on: they can sign in again"),
    "reset_sign_in": AccountChange(
        actions.reset_second_factor, "Reset {person}'s sign-in",
        "{person}'s sign-in is reset: they have been signed out everywhere, and set up their "
        "authenticator app again when they next sign in"),
}


@require_http_methods(["GET", "HEAD", "POST"])
def change_account(request: HttpRequest, user_id: int, change: str) -> HttpResponse:
    """A confirmation page whose button makes the change; back on the person's page once done,
    or the same page with the action's refusal in its error summary."""
    person = get_user_for(request.user, user_id)
    wanted = ACCOUNT_CHANGES[change]
    errors = []
    if request.method == "POST":
        try:
            wanted.act(request.user, person)
        except ValidationError as error:
            errors = [{"text": error.message, "href": "#confirm"}]
        else:
            return saved(request, wanted.done.format(person=person), "person",
                         user_id=person.pk)
    return render(request, f"accounts/{change}.html", {
        "person": person, "errors": errors, "title": wanted.title.format(person=person)})


def _person_page(request, person, *, roles_form=None, join_form=None, move_forms=None,
                 changed=(), errors=()) -> HttpResponse:
    memberships = [presenters.membership_row(m) for m in queries.memberships_of(person)]
    move_forms = move_forms or {}
    for row in memberships:
        pk = row["membership"].pk
        row["move_form"] = move_forms.get(pk) or MoveTeamForm(prefix=f"move-{pk}")
    return render(request, "accounts/person.html", {
        "person": person, "status": presenters.status(person),
        "roles_form": roles_form or RolesForm.of(person),
        "changed": changed, "memberships": memberships, "join_form": join_form or JoinTeamForm(),
        "errors": errors, "title": str(person)})


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    person = invited_person(uidb64, request.session.get(_TOKEN_KEY, "")
                            if token == SET_PASSWORD else token)
    if person is None:
        return render(request, "accounts/invitation_invalid.html",
                      {"title": "This link no longer works"}, status=404)
    if token != SET_PASSWORD:
        request.session[_TOKEN_KEY] = token
        return redirect("accept_invitation", uidb64=uidb64, token=SET_PASSWORD)
    form = SetPasswordForm(person, request.POST or None)
    sent = Sent(form, lambda: actions.accept_invitation(person, form.cleaned_data["password"]),
                refused_on="password")
    if sent.done:
        request.session.pop(_TOKEN_KEY, None)
        return saved(request, "Your password is set. Sign in with your email address and the "
                              "new password", "login")
    return render(request, "accounts/set_password.html", {
        "form": form, "person": person, "errors": sent.errors, "title": "Set your password"})
