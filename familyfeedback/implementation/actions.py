"""The writes of the implementation pages, each validated, saved in one transaction and audited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import Team, User
from familyfeedback.implementation.models import Attendance, SupervisionNote, TrainingEvent
from familyfeedback.lib import versions


def add_training_event(actor: User, *, kind: str, on: date, facilitators: str,
                       teams: list[Team]) -> TrainingEvent:
    if not teams:
        raise ValidationError("Choose at least one team to invite", code="no_teams")
    with transaction.atomic():
        event = TrainingEvent.objects.create(kind=kind, on=on, facilitators=facilitators.strip())
        event.invited_teams.set(teams)
        audit.record(actor, "training.create", event,
                     {"kind": kind, "on": on.isoformat(), "teams": [t.pk for t in teams]})
    return event


def register_values(rows: dict[int, Attendance], users: list[User]) -> dict[str, str]:
    """The register as its page shows it ("u5": yes or no, "u5-reason"), for the page's version."""
    values = {}
    for user in users:
        row = rows.get(user.pk)
        values[f"u{user.pk}"] = "" if row is None else ("yes" if row.attended else "no")
        values[f"u{user.pk}-reason"] = "" if row is None else row.absence_reason
    return values


def record_attendance(actor: User, event: TrainingEvent,
                      marks: dict[User, tuple[bool, str]], *, opened: dict) -> None:
    """marks: practitioner -> (attended, reason if absent). Attendance cannot be recorded for an
    event still in the future. `opened` is the register as the page showed it: a mark someone
    else changed since raises EditConflict, and nothing is saved."""
    if event.on > timezone.localdate():
        raise ValidationError("Attendance can be recorded once the event has happened",
                              code="future")
    with transaction.atomic():
        rows = {row.user_id: row for row in Attendance.objects.select_for_update().filter(
            event=event, user__in=list(marks))}
        now = register_values(rows, list(marks))
        wanted = {}
        for user, (attended, reason) in marks.items():
            wanted[f"u{user.pk}"] = "yes" if attended else "no"
            wanted[f"u{user.pk}-reason"] = "" if attended else reason
        if wanted == now:
            return  # sent twice, or nothing changed
        versions.check_unchanged(opened, now)
        for user, (attended, reason) in marks.items():
            row, created = Attendance.objects.update_or_create(
                event=event, user=user,
                defaults={"attended": attended, "absence_reason": "" if attended else reason})
            audit.record(actor, "training.attendance", row,
                         {"user": user.pk, "attended": str(attended)})


def add_supervision_note(actor: User, practitioner: User, text: str) -> SupervisionNote:
    if not text.strip():
        raise ValidationError("Write the note", code="empty")
    with transaction.atomic():
        note = SupervisionNote.objects.create(practitioner=practitioner, written_by=actor,
                                              text=text.strip())
        audit.record(actor, "supervision.note", note, {"practitioner": practitioner.pk})
    return note
