from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from familyfeedback.casework import actions
from familyfeedback.casework.access import (
    get_family_for,
    get_person_for,
    get_session_for,
    manages_team_of,
)
from familyfeedback.casework.forms import (
    AcknowledgeForm,
    EditPersonForm,
    PersonForm,
    SessionsPageForm,
)
from familyfeedback.casework.presenters import (
    PERSON_LABELS,
    family_page,
    printed_picture,
    session_picture,
)
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.sent import Sent, saved


@require_safe
def family(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    actions.log_view(request.user, "family.view", family)
    page = SessionsPageForm(request.GET).page_number()
    return render(request, "casework/family.html", {
        **family_page(family, sessions_page=page),
        "sees_trail": manages_team_of(request.user, family)})


@require_POST
def acknowledge_alert(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(request.user, person_id)
    form = AcknowledgeForm(request.POST)
    if Sent(form, lambda: actions.acknowledge_alert(request.user, person, **form.cleaned_data),
            refused_on="note").done:
        return saved(request, f"Alert for {person.first_name} acknowledged",
                     "family", family_id=person.family_id)
    # Show the family page again with the note kept and the problem named.
    context = family_page(person.family, acknowledge_form=form)
    context["errors"] = [{"text": str(e), "href": f"#{form.note_id(person)}"}
                         for errors in form.errors.values() for e in errors]
    return render(request, "casework/family.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def add_person(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = actions.add_person(request.user, family, **form.cleaned_data)
        return saved(request, f"{person.first_name} added to the family",
                     "family", family_id=family.pk)
    return render(request, "casework/person_form.html", {
        "family": family, "form": form, "title": "Add a person to the family",
        "errors": error_summary(form),
    })


@require_http_methods(["GET", "HEAD", "POST"])
def edit_person(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(request.user, person_id)
    return person_details_page(
        request, person, EditPersonForm,
        lambda values: actions.update_person(request.user, person, **values),
        done="saved", to="family", template="casework/person_form.html", title="Change")


def person_details_page(request: HttpRequest, person, form_class, change, *, done: str, to: str,
                        template: str, title: str) -> HttpResponse:
    """A person's details page, here and on the privacy pages (a correction, with its reason):
    the form as opened, `change(values)` when sent, a colleague's change meanwhile shown, and
    the message worded from the person as saved (a corrected name is the one to read)."""
    if request.method == "GET":
        actions.log_view(request.user, "person.view", person)
    details = {key: getattr(person, key) for key in actions.PERSON_FIELDS}
    form = form_class(request.POST or None, record=details)
    sent = Sent(form, lambda: change(form.edit()), refused_on="date_of_birth",
                labels=PERSON_LABELS)
    if sent.done:
        return saved(request, f"{sent.result.first_name}'s details {done}", to,
                     family_id=person.family_id)
    return render(request, template, {
        "family": person.family, "form": sent.form, "person": person, "changed": sent.changed,
        "title": f"{title} {person.first_name}'s details", "errors": sent.errors,
    })


@require_safe
def session_family_picture(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_session_for(request.user, session_id)
    actions.log_view(request.user, "session.view_family_picture", session)
    return render(request, "family/picture.html",
                  {"session": session, "picture": session_picture(session)})


@require_safe
def family_picture_print(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    actions.log_view(request.user, "family.view_family_picture", family)
    return render(request, "casework/family_picture_print.html",
                  {"family": family, "picture": printed_picture(family)})
