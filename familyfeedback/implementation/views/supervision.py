from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.accounts.models import Role
from familyfeedback.casework import alerts, queries, trajectories
from familyfeedback.casework.access import families_for
from familyfeedback.implementation import actions, figures
from familyfeedback.implementation.access import (
    dashboard_teams,
    get_team_member_for,
    supervision_notes,
    team_practitioners,
)
from familyfeedback.implementation.forms import SupervisionNoteForm
from familyfeedback.lib.errors import error_summary


def _managers_only(request: HttpRequest) -> None:
    # Supervision is between a practitioner and their manager; the data team sees figures only.
    if request.user.role != Role.TEAM_MANAGER:
        raise Http404("No such page")


@require_safe
def team(request: HttpRequest) -> HttpResponse:
    _managers_only(request)
    return render(request, "implementation/team.html",
                  {"staff": team_practitioners(dashboard_teams(request.user))})


@require_http_methods(["GET", "HEAD", "POST"])
def supervision(request: HttpRequest, practitioner_id: int) -> HttpResponse:
    """A manager's page for supervising one practitioner: their families and alerts, their use
    of the tools this month against last, and notes for the next supervision."""
    _managers_only(request)
    practitioner = get_team_member_for(request.user, practitioner_id)
    form = SupervisionNoteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            actions.add_supervision_note(request.user, practitioner, form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error("note", error)
        else:
            messages.success(request, "Note saved for the next supervision")
            return redirect("supervision", practitioner_id=practitioner.pk)
    families = queries.caseload(families_for(request.user).filter(key_worker=practitioner))
    raised = alerts.listed(alerts.outstanding([p for f in families for p in f.people.all()],
                                              queries.open_episode_records(families),
                                              timezone.localdate(), trajectories.latest()))
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - timezone.timedelta(days=1)).replace(day=1)
    usage = figures.usage_by_month(figures.casework_facts().filter(
        practitioner_key=practitioner.pk, on__gte=last_month))
    counts = {(row["month"], row["measure"]): row["completions"] for row in usage}
    return render(request, "implementation/supervision.html", {
        "practitioner": practitioner, "families": families,
        "alerts": alerts.for_caseload(raised), "alert_count": len(raised),
        "usage": [(label, counts.get((month.strftime("%Y-%m"), "ORS"), 0),
                   counts.get((month.strftime("%Y-%m"), "SRS"), 0))
                  for label, month in (("Last month", last_month), ("This month", this_month))],
        "notes": supervision_notes(practitioner),
        "form": form, "errors": error_summary(form),
    })
