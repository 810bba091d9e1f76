"""A family's privacy page, for administrators: find it by its case reference, hold its records,
correct a person's details, erase the family's records when the law allows."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from familyfeedback.accounts import rate_limits
from familyfeedback.accounts.access import require_administrator
from familyfeedback.casework import queries as casework_queries
from familyfeedback.casework.actions import log_view
from familyfeedback.casework.models import Family
from familyfeedback.casework.views.family import person_details_page
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.sent import Sent, saved
from familyfeedback.privacy import actions, presenters, queries
from familyfeedback.privacy.access import get_family_for, get_person_for
from familyfeedback.privacy.forms import (
    ErasureForm,
    FindByReferenceForm,
    LegalHoldForm,
    LiftHoldForm,
    RectifyPersonForm,
)

NOT_FOUND = ("No family in the service has this case reference. Check it against the case "
             "system: a family whose records were erased is not found")


@require_http_methods(["GET", "HEAD", "POST"])
def find_family(request: HttpRequest) -> HttpResponse:
    """A POST, so that the reference stays out of URLs and access logs (docs/decisions/0017);
    counted as a search, like casework's, so that no script runs through every reference."""
    require_administrator(request.user)
    form = FindByReferenceForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        refusal = rate_limits.refused_on(form, "case_reference", request.user, "search")
        if refusal is None:
            found = casework_queries.family_with_reference(form.cleaned_data["case_reference"])
            if found is not None:
                return redirect("family_privacy", family_id=found.pk)
            form.add_error("case_reference", NOT_FOUND)
    return rate_limits.answered(render(request, "privacy/find_family.html", {
        "form": form, "errors": error_summary(form), "title": "Find a family's records"}),
        refusal)


@require_safe
def family_privacy(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    return _family_page(request, family)


@require_POST
def set_legal_hold(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    return _change_hold(request, family, LegalHoldForm, actions.set_legal_hold,
                        "Legal hold set: the family's records are kept until it is lifted",
                        refused_on="legal_hold_reason")


@require_POST
def lift_legal_hold(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    return _change_hold(request, family, LiftHoldForm, actions.lift_legal_hold,
                        "Legal hold lifted: the retention rules apply to the family again")


@require_POST
def erase_family(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    form = _erasure_form(family, casework_queries.people_of(family), request.POST)
    sent = Sent(form, lambda: actions.erase_family(request.user, family,
                                                   reason=form.cleaned_data["reason"]))
    if sent.done:
        return saved(request, "The family's records were erased. What was removed, when and "
                     "why is kept, with no personal data", "privacy_find_family")
    return _family_page(request, family, erasure_form=sent.form, errors=sent.errors)


@require_http_methods(["GET", "HEAD", "POST"])
def rectify_person(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(request.user, person_id)
    return person_details_page(
        request, person, RectifyPersonForm,
        lambda values: actions.rectify_person(request.user, person, **values),
        done="corrected", to="family_privacy", template="privacy/rectify_person.html",
        title="Correct")


def _change_hold(request: HttpRequest, family: Family, form_class, act, done: str, *,
                 refused_on: str | None = None) -> HttpResponse:
    """Setting and lifting a hold: the same form round, with its own words."""
    form = form_class(request.POST)
    sent = Sent(form, lambda: act(request.user, family, **form.edit()), refused_on=refused_on,
                labels=presenters.HOLD_LABELS)
    if sent.done:
        return saved(request, done, "family_privacy", family_id=family.pk)
    return _family_page(request, family, hold_form=sent.form, changed=sent.changed,
                        errors=sent.errors)


def _family_page(request: HttpRequest, family: Family, *, hold_form=None, erasure_form=None,
                 changed: list[dict] | None = None, errors: list[dict] | None = None):
    """The page as it is now (read again: a colleague may have changed it since the form was
    sent), with the form that was sent, if any, as it came back. It names the family's people,
    so each drawing of it is a look at the family."""
    try:
        family.refresh_from_db()
    except Family.DoesNotExist:  # erased meanwhile, from another page
        messages.info(request, actions.ERASED)
        return redirect("privacy_find_family")
    people = casework_queries.people_of(family)
    log_view(request.user, "family.view_privacy", family)
    hold = actions.hold_of(family)
    if hold_form is None:
        hold_form = (LiftHoldForm if family.legal_hold_reason else LegalHoldForm)(record=hold)
    return render(request, "privacy/family.html", presenters.family_page(
        family, people, casework_queries.episodes_of(family),
        refusal=queries.erasure_refusal(family), hold_form=hold_form,
        erasure_form=erasure_form or _erasure_form(family, people),
        changed=changed or [], errors=errors or []))


def _erasure_form(family: Family, people, data=None) -> ErasureForm:
    return ErasureForm(data, names=presenters.names_in(family, people),
                       references=presenters.references_in(family, people))
