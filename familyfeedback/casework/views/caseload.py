from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from familyfeedback.accounts.models import Role
from familyfeedback.casework import queries
from familyfeedback.casework.access import families_for, works_with_families
from familyfeedback.casework.presenters import caseload_alerts, latest_ors_totals


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not works_with_families(request.user):
        return render(request, "home_other.html", {"role": request.user.roles_described})
    return my_families(request)


def _caseload(request: HttpRequest) -> tuple[list, bool]:
    """The open families on the list, and whether it is the whole team's: a manager's teams,
    or a practitioner's own families unless they ask for their team's (?show=team)."""
    families = families_for(request.user)
    show_all = request.GET.get("show") == "team" or request.user.has_role(Role.TEAM_MANAGER)
    if not show_all:
        families = families.filter(key_worker=request.user)
    return queries.caseload(families), show_all


def my_families(request: HttpRequest) -> HttpResponse:
    families, show_all = _caseload(request)
    records = queries.open_episode_records(families)
    listed, alert_count = caseload_alerts(families)
    return render(request, "casework/my_families.html", {
        "families": families,
        "latest": latest_ors_totals(records),
        "alerts": listed,
        "alert_count": alert_count,
        "show_all": show_all,
        "is_manager": request.user.has_role(Role.TEAM_MANAGER),
        "waiting": queries.waiting_sessions(request.user, families_for(request.user)),
    })


@require_safe
def overdue(request: HttpRequest) -> HttpResponse:
    """Families where someone's rating fell due under the service's schedule and was missed."""
    if not works_with_families(request.user):
        return render(request, "home_other.html", {"role": request.user.roles_described})
    families, show_all = _caseload(request)
    rows = queries.overdue_people(families, timezone.localdate(), settings.SCHEDULE)
    return render(request, "casework/overdue.html", {
        "rows": rows, "schedule": settings.SCHEDULE.describe(),
        "show_all": show_all,
    })


@require_safe
def closed_families(request: HttpRequest) -> HttpResponse:
    """Families whose support has closed, so that a closure summary can be found again and a
    family can be reopened."""
    if not works_with_families(request.user):
        return render(request, "home_other.html", {"role": request.user.roles_described})
    families = queries.closed_families(families_for(request.user))
    return render(request, "casework/closed_families.html", {"families": families})
