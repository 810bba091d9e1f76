from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from familyfeedback.accounts.models import Role
from familyfeedback.casework.access import families_for
from familyfeedback.casework.models import Administration
from familyfeedback.casework.presenters import latest_ors_totals


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.works_with_families:
        return render(request, "home_other.html", {"role": Role(request.user.role).label})
    return my_families(request)


def my_families(request: HttpRequest) -> HttpResponse:
    families = families_for(request.user).filter(closed_on__isnull=True)
    show_all = request.GET.get("show") == "team" or request.user.role == Role.TEAM_MANAGER
    if not show_all:
        families = families.filter(key_worker=request.user)
    families = list(
        families.select_related("key_worker", "team")
        .prefetch_related("people")
        .annotate(last_session=Max("sessions__date"))
        .order_by("name", "id")
    )
    records = (
        Administration.objects.filter(
            session__family__in=[f.pk for f in families],
            tool="ORS",
            status=Administration.Status.COMPLETED,
            total__isnull=False,
        )
        .order_by("session__date", "session_id")
        .only("person_id", "total")
    )
    return render(request, "casework/my_families.html", {
        "families": families,
        "latest": latest_ors_totals(list(records)),
        "show_all": show_all,
        "is_manager": request.user.role == Role.TEAM_MANAGER,
    })
