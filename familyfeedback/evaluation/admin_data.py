"""For a trial run in this service: its admin data (ORS/SRS records and training) taken from the
records practitioners keep, pseudonymised, in the shape of the evaluation package. Refreshing
replaces what was taken before, so the analysis always reads the latest records."""

from django.core.exceptions import ValidationError
from django.db import transaction

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import User
from familyfeedback.casework.models import Administration
from familyfeedback.evaluation.models import AdminRecord, TrainingRecord, Trial, TrialPerson
from familyfeedback.implementation.models import Attendance


def refresh(actor: User | None, trial: Trial) -> dict[str, int]:
    teams = {t.service_team_id: t for t in trial.teams.all()}
    if not teams or None in teams:
        raise ValidationError("Only a trial of this service's own teams takes its admin data "
                              "from the records here", code="not_in_app")
    practitioners = {p.user_id: p for p in trial.practitioners.all() if p.user_id}
    records = (Administration.objects
               .filter(session__family__team_id__in=list(teams),
                       session__practitioner_id__in=list(practitioners))
               .select_related("session", "session__family")
               .order_by("session__date", "pk"))
    with transaction.atomic():
        pseudonyms = dict(trial.people.values_list("person_id", "code"))
        rows = []
        for record in records:
            code = pseudonyms.get(record.person_id)
            if code is None:
                code = f"F{len(pseudonyms) + 1:04d}"
                TrialPerson.objects.create(trial=trial, person_id=record.person_id, code=code)
                pseudonyms[record.person_id] = code
            practitioner = practitioners[record.session.practitioner_id]
            rows.append(AdminRecord(
                trial=trial, administration_id=f"A{record.pk}", person_key=code,
                adult=record.age >= 18, practitioner=practitioner,
                practitioner_key=practitioner.practitioner_id,
                team_key=teams[record.session.family.team_id].team_id, on=record.session.date,
                measure=record.measure, tool=record.tool, item_1=record.item_1,
                item_2=record.item_2, item_3=record.item_3, item_4=record.item_4,
                status=record.status, reason=record.reason))
        trial.admin_records.all().delete()
        AdminRecord.objects.bulk_create(rows, batch_size=2000)
        training = [
            TrainingRecord(trial=trial, practitioner=practitioners[row.user_id],
                           event_id=f"E{row.event_id}", event_type=row.event.kind,
                           on=row.event.on, attended=row.attended,
                           absence_reason=row.absence_reason)
            for row in Attendance.objects.filter(user_id__in=list(practitioners))
            .select_related("event")
        ]
        trial.training.all().delete()
        TrainingRecord.objects.bulk_create(training)
        counts = {"administrations": len(rows), "training": len(training)}
        audit.record(actor, "trial.admin_data", trial, {k: str(v) for k, v in counts.items()})
    return counts
