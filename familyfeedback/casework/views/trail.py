from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from familyfeedback.casework import actions, queries
from familyfeedback.casework.access import get_family_trail_for
from familyfeedback.casework.forms import TrailFilterForm
from familyfeedback.casework.presenters import trail_rows

PER_PAGE = 50


@require_safe
def family_trail(request: HttpRequest, family_id: int) -> HttpResponse:
    """Who viewed or changed this family's records: the record of access, for its manager."""
    family = get_family_trail_for(request.user, family_id)
    actions.log_view(request.user, "family.view_record_of_access", family)
    form = TrailFilterForm(request.GET, family=family)
    filters = form.filters()
    person = filters.get("person")
    page = Paginator(queries.family_trail(family, person), PER_PAGE).get_page(
        filters.get("page"))
    return render(request, "casework/family_trail.html", {
        "family": family, "form": form, "person": person, "page": page,
        "rows": trail_rows(page, queries.trail_subjects(page)),
        "others": f"person={person.pk}&" if person else ""})
