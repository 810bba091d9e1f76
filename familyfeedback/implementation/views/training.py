from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.implementation import actions
from familyfeedback.implementation.access import (
    dashboard_teams,
    events_for,
    get_event_for,
    invited_teams_for,
    register_of,
    team_practitioners,
)
from familyfeedback.implementation.forms import AttendanceForm
from familyfeedback.implementation.models import TrainingEvent
from familyfeedback.lib import versions
from familyfeedback.lib.dateinput import DatePartsField
from familyfeedback.lib.errors import conflict_summary, error_summary
from familyfeedback.lib.sent import Sent, saved


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


@require_safe
def training(request: HttpRequest) -> HttpResponse:
    return render(request, "implementation/training.html",
                  {"events": list(events_for(request.user))})


@require_http_methods(["GET", "HEAD", "POST"])
def add_event(request: HttpRequest) -> HttpResponse:
    teams = list(dashboard_teams(request.user).active())  # an archived team is not invited
    form = EventForm(request.POST or None, teams=teams)
    sent = Sent(form, lambda: actions.add_training_event(
        request.user, **{**form.cleaned_data,
                         "teams": [form.teams[pk] for pk in form.cleaned_data["teams"]]}),
        refused_on="teams")
    if sent.done:
        return saved(request, "Training event added", "attendance", event_id=sent.result.pk)
    return render(request, "implementation/event_form.html",
                  {"form": form, "errors": sent.errors})


@require_http_methods(["GET", "HEAD", "POST"])
def attendance(request: HttpRequest, event_id: int) -> HttpResponse:
    """The register for the practitioners of the teams this person manages (or all invited
    teams, for the data team): attended, or absent with the reason."""
    event = get_event_for(request.user, event_id)
    staff = team_practitioners(invited_teams_for(request.user, event))
    current = register_of(event)
    shown = actions.register_values(current, staff)
    form = AttendanceForm(request.POST if request.method == "POST" else None, staff=staff,
                          initial={"version": versions.stamp(shown)})
    posted, changed = (form.data if form.is_bound else None), []
    if form.is_bound and form.is_valid():
        marks, opened = form.marks(), form.cleaned_data["version"]
        try:
            actions.record_attendance(request.user, event, marks, opened=opened)
        except versions.EditConflict as conflict:
            mine = form.typed()
            changed = [{**row, **{key: MARKS.get(row[key], row[key]) for key in
                                  ("then", "now", "mine")}}
                       for row in versions.changed_since(conflict, opened, mine,
                                                         register_labels(staff))]
            posted = {**mine, **versions.merged(conflict, opened, mine)}
            form = AttendanceForm(staff=staff, initial={
                "version": versions.stamp({**opened, **conflict.now})})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return saved(request, f"Attendance saved for {len(marks)} people", "training")
    return render(request, "implementation/attendance.html", {
        "event": event, "staff": staff, "current": current, "form": form, "posted": posted,
        "changed": changed, "errors": error_summary(form) or conflict_summary(changed),
    })


MARKS = {"yes": "attended", "no": "absent"}


def register_labels(staff) -> dict[str, str]:
    return {label_key: f"{user.full_name}{suffix}" for user in staff
            for label_key, suffix in ((f"u{user.pk}", ""), (f"u{user.pk}-reason", ": reason"))}
