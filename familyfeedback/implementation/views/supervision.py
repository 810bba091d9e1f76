from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.casework import queries
from familyfeedback.casework.access import families_for
from familyfeedback.casework.presenters import caseload_alerts
from familyfeedback.implementation import actions, figures
from familyfeedback.implementation.access import (
    dashboard_teams,
    get_team_member_for,
    require_manager,
    supervision_notes,
    team_practitioners,
)
from familyfeedback.implementation.forms import SupervisionNoteForm
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.sent import Sent, saved


@require_safe
def team(request: HttpRequest) -> HttpResponse:
    require_manager(request.user)
    return render(request, "implementation/team.html",
                  {"staff": team_practitioners(dashboard_teams(request.user))})


@require_http_methods(["GET", "HEAD", "POST"])
def supervision(request: HttpRequest, practitioner_id: int) -> HttpResponse:
    """A manager's page for supervising one practitioner: their families and alerts, their use
    of the tools this month against last, and notes for the next supervision."""
    require_manager(request.user)
    practitioner = get_team_member_for(request.user, practitioner_id)
    form = SupervisionNoteForm(request.POST if request.method == "POST" else None)
    if Sent(form, lambda: actions.add_supervision_note(request.user, practitioner,
                                                       form.cleaned_data["note"]),
            refused_on="note").done:
        return saved(request, "Note saved for the next supervision",
                     "supervision", practitioner_id=practitioner.pk)
    families = queries.caseload(families_for(request.user).filter(key_worker=practitioner))
    listed, alert_count = caseload_alerts(families)
    return render(request, "implementation/supervision.html", {
        "practitioner": practitioner, "families": families,
        "alerts": listed, "alert_count": alert_count,
        "usage": figures.last_and_this_month(practitioner.pk, timezone.localdate()),
        "notes": supervision_notes(practitioner),
        "form": form, "errors": error_summary(form),
    })
