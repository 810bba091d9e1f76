from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from familyfeedback.casework import actions, queries
from familyfeedback.casework.access import get_family_for, get_person_for
from familyfeedback.casework.forms import PersonForm
from familyfeedback.casework.presenters import person_progress, reliable_change_note
from familyfeedback.casework.wording import text_pack_status


@require_GET
def family(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    actions.log_family_view(request.user, family)
    people = list(family.people.all())
    records = queries.family_records(family)
    today = timezone.localdate()
    progress = [
        person_progress(p, [r for r in records if r.person_id == p.pk], today)
        for p in people
        if p.date_of_birth <= today
    ]
    return render(request, "casework/family.html", {
        "family": family,
        "progress": progress,
        "sessions": queries.family_sessions(family),
        "rc_note": reliable_change_note(),
        "text_pack": text_pack_status(),
    })


@require_http_methods(["GET", "POST"])
def add_person(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = actions.add_person(request.user, family, **form.cleaned_data)
        messages.success(request, f"{person.first_name} added to the family")
        return redirect("family", family_id=family.pk)
    return render(request, "casework/person_form.html", {
        "family": family, "form": form, "title": "Add a person to the family",
    })


@require_http_methods(["GET", "POST"])
def edit_person(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(request.user, person_id)
    initial = {key: getattr(person, key) for key in actions.PERSON_FIELDS}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_person(request.user, person, **form.cleaned_data)
        messages.success(request, f"{person.first_name}'s details saved")
        return redirect("family", family_id=person.family_id)
    return render(request, "casework/person_form.html", {
        "family": person.family, "form": form, "person": person,
        "title": f"Change {person.first_name}'s details",
    })
