from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from familyfeedback.implementation import actions
from familyfeedback.implementation.access import (
    dashboard_teams,
    events_for,
    get_event_for,
    team_practitioners,
)
from familyfeedback.implementation.models import TrainingEvent
from familyfeedback.lib.dateinput import DatePartsField
from familyfeedback.lib.errors import error_summary


class EventForm(forms.Form):
    kind = forms.ChoiceField(choices=TrainingEvent.Kind.choices,
                             error_messages={"required": "Select which part of the training"})
    on = DatePartsField(subject="The date of the event")
    facilitators = forms.CharField(max_length=200, required=False)
    teams = forms.MultipleChoiceField(choices=(), error_messages={
        "required": "Choose at least one team to invite"})

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.pk): t for t in teams}
        self.fields["teams"].choices = [(pk, t.name) for pk, t in self.teams.items()]


@require_GET
def training(request: HttpRequest) -> HttpResponse:
    return render(request, "implementation/training.html",
                  {"events": list(events_for(request.user))})


@require_http_methods(["GET", "POST"])
def add_event(request: HttpRequest) -> HttpResponse:
    teams = list(dashboard_teams(request.user))
    form = EventForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            event = actions.add_training_event(
                request.user, kind=form.cleaned_data["kind"], on=form.cleaned_data["on"],
                facilitators=form.cleaned_data["facilitators"],
                teams=[form.teams[pk] for pk in form.cleaned_data["teams"]])
        except ValidationError as error:
            form.add_error("teams", error)
        else:
            messages.success(request, "Training event added")
            return redirect("attendance", event_id=event.pk)
    return render(request, "implementation/event_form.html",
                  {"form": form, "errors": error_summary(form)})


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, event_id: int) -> HttpResponse:
    """The register for the practitioners of the teams this person manages (or all invited
    teams, for the data team): attended, or absent with the reason."""
    event = get_event_for(request.user, event_id)
    teams = [t for t in event.invited_teams.all() if t in set(dashboard_teams(request.user))]
    staff = team_practitioners(teams)
    current = {row.user_id: row for row in event.register.all()}
    problems: list[dict] = []
    if request.method == "POST":
        marks = {}
        for user in staff:
            choice = request.POST.get(f"u{user.pk}")
            reason = request.POST.get(f"u{user.pk}-reason", "").strip()[:200]
            if choice in ("yes", "no"):
                marks[user] = (choice == "yes", reason)
        if not marks:
            problems.append({"text": "Mark at least one person as attended or absent",
                             "href": f"#u{staff[0].pk}" if staff else "#main-content"})
        else:
            try:
                actions.record_attendance(request.user, event, marks)
            except ValidationError as error:
                problems.append({"text": error.message, "href": "#main-content"})
            else:
                messages.success(request, f"Attendance saved for {len(marks)} people")
                return redirect("training")
    return render(request, "implementation/attendance.html", {
        "event": event, "staff": staff, "current": current, "errors": problems,
        "posted": request.POST if request.method == "POST" else None,
    })
