from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from familyfeedback.casework import actions
from familyfeedback.casework.access import get_family_for, get_person_for
from familyfeedback.casework.forms import AcknowledgeForm, EditPersonForm, PersonForm
from familyfeedback.casework.presenters import PERSON_LABELS, family_page
from familyfeedback.lib import versions
from familyfeedback.lib.errors import conflict_summary, error_summary


@require_safe
def family(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    actions.log_view(request.user, "family.view", family)
    return render(request, "casework/family.html", family_page(family))


@require_POST
def acknowledge_alert(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(request.user, person_id)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            actions.acknowledge_alert(request.user, person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("note", error)
        else:
            messages.success(request, f"Alert for {person.first_name} acknowledged")
            return redirect("family", family_id=person.family_id)
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
        messages.success(request, f"{person.first_name} added to the family")
        return redirect("family", family_id=family.pk)
    return render(request, "casework/person_form.html", {
        "family": family, "form": form, "title": "Add a person to the family",
        "errors": error_summary(form),
    })


@require_http_methods(["GET", "HEAD", "POST"])
def edit_person(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(request.user, person_id)
    if request.method == "GET":
        actions.log_view(request.user, "person.view", person)
    details = {key: getattr(person, key) for key in actions.PERSON_FIELDS}
    form = EditPersonForm(request.POST or None,
                          initial={**details, "version": versions.stamp(details)})
    changed = []
    if request.method == "POST" and form.is_valid():
        mine = {key: form.cleaned_data[key] for key in actions.PERSON_FIELDS}
        try:
            actions.update_person(request.user, person, opened=form.cleaned_data["version"],
                                  **mine)
        except versions.EditConflict as conflict:
            changed, form = form.redrawn(conflict, mine, PERSON_LABELS)
        except ValidationError as error:
            form.add_error("date_of_birth", error)
        else:
            messages.success(request, f"{person.first_name}'s details saved")
            return redirect("family", family_id=person.family_id)
    return render(request, "casework/person_form.html", {
        "family": person.family, "form": form, "person": person, "changed": changed,
        "title": f"Change {person.first_name}'s details",
        "errors": error_summary(form) or conflict_summary(changed),
    })
