"""The evaluation's writes, each validated, saved in one transaction and audited."""

import secrets
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import JobTitle, Membership, Role, Team, User
from familyfeedback.casework.models import Administration
from familyfeedback.evaluation import queries, randomisation, refi_qda, research_export, texts
from familyfeedback.evaluation.models import (
    CONSENT_ACTIVITIES,
    WAVES,
    AdminRecord,
    Allocation,
    Coding,
    Consent,
    Document,
    Erasure,
    Finding,
    MatrixCell,
    Question,
    Quote,
    ResearchQuestion,
    Response,
    Theme,
    TrainingRecord,
    Trial,
    TrialPerson,
    TrialPractitioner,
    TrialTeam,
    Wave,
)
from familyfeedback.evaluation.progress import not_answered
from familyfeedback.evaluation.research_questions import DEFAULTS
from familyfeedback.implementation.models import Attendance
from familyfeedback.lib import notify, versions
from familyfeedback.lib.mail import MailServerUnreachable, open_connection
from familyfeedback.measures import surveys

# What each wave asks, as in the pilot: the arms asked (post-training only those who were
# trained) and its survey measures.
WAVE_DEFAULTS = {
    "baseline": (list(randomisation.ARMS), ["wai", "proqol_cs"]),
    "post_training": ([randomisation.ARMS[0]], ["iam_ors", "iam_srs", "fim_ors", "fim_srs"]),
    "endline": (list(randomisation.ARMS), ["wai", "proqol_cs"]),
}


def create_trial(actor: User, *, name: str, protocol_note: str = "") -> Trial:
    name = name.strip()
    if not name:
        raise ValidationError("Enter a name for the trial", code="no_name")
    try:
        with transaction.atomic():
            trial = Trial.objects.create(name=name, protocol_note=protocol_note.strip(),
                                         created_by=actor)
            add_default_questions(trial)
            audit.record(actor, "trial.create", trial, {"name": name})
    except IntegrityError:
        # The name's unique constraint is the check: a look first could not see a trial of the
        # same name that someone else is creating at this moment.
        raise ValidationError("A trial with this name already exists", code="duplicate") from None
    return trial


def add_default_questions(trial: Trial) -> None:
    ResearchQuestion.objects.bulk_create([
        ResearchQuestion(trial=trial, number=n, dimension=d, text=t, methods=m)
        for n, d, t, m in DEFAULTS])


def teams_values(units: dict[Team, str]) -> dict:
    """The service's teams in a trial and their units as the trial page's teams form holds them,
    and as its version compares them: the teams by name, so that a conflict says which."""
    ordered = sorted(units, key=lambda team: team.name)
    return {"teams": ", ".join(team.name for team in ordered),
            **{f"unit-{team.pk}": units[team].strip() for team in ordered}}


def trial_teams_values(trial: Trial) -> dict:
    return teams_values({row.service_team: row.unit_code for row in
                         trial.teams.filter(service_team__isnull=False)
                         .select_related("service_team")})


def set_teams(actor: User, trial: Trial, units: dict[Team, str], *,
              opened: dict | None = None) -> None:
    """Put service teams in the trial, each with its unit label (teams sharing a label are
    randomised together), and give every practitioner and manager in them a pseudonym.
    `opened` is what the teams were when the page was drawn: if another evaluator changed them
    since, EditConflict, and nothing is saved. Without a page (the demo) there is none."""
    if trial.has_arms():
        raise ValidationError("The teams cannot change after randomisation", code="allocated")
    if len(units) < 2:
        raise ValidationError("Choose at least two teams", code="too_few")
    with transaction.atomic():
        # Locked, so that of two evaluators saving at once the second compares with the first's.
        Trial.objects.select_for_update().get(pk=trial.pk)
        now = trial_teams_values(trial)
        # The same choice sent twice is not a conflict; saving it again still enrols anyone
        # who joined the teams since.
        if opened is not None and versions.plain(now) != versions.plain(teams_values(units)):
            versions.check_unchanged(opened, now)
        trial.teams.exclude(service_team__in=list(units)).delete()
        for team, label in units.items():
            row, _ = TrialTeam.objects.update_or_create(
                trial=trial, service_team=team,
                defaults={"team_code": f"T{team.pk}", "team_name": team.name,
                          "unit_code": label.strip()})
            _enrol(trial, row)
        audit.record(actor, "trial.teams", trial,
                     {"teams": {str(t.pk): label for t, label in units.items()}})


def _enrol(trial: Trial, row: TrialTeam) -> None:
    members = User.objects.filter(is_active=True, pk__in=Membership.objects.current().filter(
        team=row.service_team).values("user")).order_by("pk")
    taken = trial.practitioners.count()
    for user in members:
        if trial.practitioners.filter(user=user).exists():
            continue
        taken += 1
        TrialPractitioner.objects.create(
            trial=trial, practitioner_code=f"P{taken:03d}", team=row,
            role=user.job_title or ("team_manager" if user.has_role(Role.TEAM_MANAGER)
                                    else JobTitle.OTHER),
            user=user, **_new_link())


def _new_link() -> dict:
    return {"link_token": secrets.token_urlsafe(24), "link_issued_at": timezone.now()}


def _replace_link(respondent: TrialPractitioner) -> None:
    for field, value in _new_link().items():
        setattr(respondent, field, value)
    respondent.save(update_fields=["link_token", "link_issued_at"])


def _link_text(site_url: str, respondent: TrialPractitioner) -> str:
    """Where an email sends the practitioner: their personal link, or, with no address for the
    service set or no link (revoked), the page they reach by signing in."""
    if site_url and respondent.link_token:
        return f"{site_url}/surveys/link/{respondent.link_token}/"
    return "the Surveys page of Family Feedback"


@dataclass(frozen=True)
class _SurveyEmail:
    subject: str
    body: str  # the mail's words: Notify's template has its own
    personalisation: dict[str, str]  # for Notify's template: the link, trial and wave, no name
    reference: str  # Notify keeps it: ids only


class _NotTaken(Exception):
    pass


def _personalisation(trial: Trial, link: str, wave: str) -> dict[str, str]:
    return {"link": link, "trial": trial.name, "wave": wave,
            "days": str(settings.SURVEY_LINK_DAYS)}


@contextmanager
def _survey_mail(not_done: str) -> Iterator[Callable[[str, _SurveyEmail], None]]:
    """How the evaluation's survey emails go: by GOV.UK Notify when the service has its survey
    template, otherwise by the configured mail over one connection. Gives send(address, email),
    which raises _NotTaken, saying who did not take it, for an email that did not go; once Notify
    refuses for a reason not about one address, the rest are not tried. A mail server that
    cannot be reached is a ValidationError before any send, ending with not_done."""
    if notify.can_send("survey"):
        refused_all = False

        def by_notify(to: str, email: _SurveyEmail) -> None:
            nonlocal refused_all
            if not refused_all:
                try:
                    notify.send("survey", to, email.personalisation, email.reference)
                    return
                except notify.NotSent as error:  # its reason speaks of QR codes: not ours
                    refused_all = not error.only_this_address
            raise _NotTaken("GOV.UK Notify did not take the email")
        yield by_notify
        return
    try:
        connection = open_connection()
    except MailServerUnreachable as error:
        raise ValidationError(f"{error}. {not_done}", code="no_mail_server") from None
    with connection:
        def by_mail(to: str, email: _SurveyEmail) -> None:
            try:
                send_mail(email.subject, email.body, None, [to], connection=connection)
            except OSError:  # smtplib's: this address refused, or the server went away
                raise _NotTaken("The mail server did not take the email") from None
        yield by_mail


def _open_waves_text(trial: Trial) -> str:
    """The waves taking answers now, as a new link's email names them."""
    names = [label.lower() for kind, label in WAVES if queries.open_wave(trial, kind)]
    return " and ".join(names) or "next"


def revoke_survey_link(actor: User, respondent: TrialPractitioner) -> None:
    """The practitioner's personal link stops working now, in every browser it was followed
    in; they can still answer by signing in."""
    with transaction.atomic():
        respondent.link_token, respondent.link_issued_at = "", None
        respondent.save(update_fields=["link_token", "link_issued_at"])
        audit.record(actor, "survey_link.revoke", respondent)


def reissue_survey_link(actor: User, respondent: TrialPractitioner, site_url: str) -> None:
    """A new personal link, emailed to the practitioner; the old one stops working. The
    evaluator never sees it. Raises ValidationError, with nothing changed, when there is no one
    to email or the mail server cannot take it."""
    if respondent.user is None or not respondent.user.email:
        raise ValidationError(f"{respondent.practitioner_code} has no account here to email a "
                              "new link to", code="no_email")
    trial, waves = respondent.trial, _open_waves_text(respondent.trial)
    with _survey_mail("The link was not changed: try again later") as send:
        try:
            with transaction.atomic():
                _replace_link(respondent)
                link = _link_text(site_url, respondent)
                send(respondent.user.email, _SurveyEmail(
                    f"Family Feedback: your new link to the {trial.name} surveys",
                    f"Your personal link to the surveys for {trial.name} has been replaced, "
                    f"and the old one no longer works. You can answer at {link}. A personal "
                    f"link works for {settings.SURVEY_LINK_DAYS} days.",
                    _personalisation(trial, link, waves), f"survey-link-{respondent.pk}"))
                audit.record(actor, "survey_link.reissue", respondent)
        except _NotTaken as error:
            respondent.refresh_from_db(fields=["link_token", "link_issued_at"])
            raise ValidationError(f"{error}. The link was not changed: try again later",
                                  code="not_sent") from None


def reveal_allocation(actor: User, trial: Trial) -> Allocation | None:
    """The trial's allocation, for its page, or None before randomisation. Seeing it is
    recorded: who knew the arms, and when, can matter later."""
    allocation = getattr(trial, "allocation", None)
    if allocation is not None:
        audit.record(actor, "trial.reveal", allocation)
    return allocation


def randomise(actor: User, trial: Trial, *, method: str, seed: int,
              ratio: tuple[int, int]) -> Allocation:
    """Allocate the trial's units once, from the recorded seed. Never again."""
    if hasattr(trial, "allocation"):
        raise ValidationError("This trial has already been randomised", code="allocated")
    if trial.has_arms():
        raise ValidationError("This trial's arms came in an evaluation package: its allocation "
                              "is made and cannot be randomised again", code="imported")
    teams = list(trial.teams.all())
    sizes: dict[str, int] = {}
    for team in teams:
        sizes[team.unit] = sizes.get(team.unit, 0) + team.practitioners.count()
    specs = [randomisation.UnitSpec(unit, size) for unit, size in sizes.items()]
    if method == "stratified":
        specs = randomisation.size_strata(specs)
    try:
        made = randomisation.allocate(specs, method=method, seed=seed, ratio=ratio)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    arms = dict(made.assignments)
    with transaction.atomic():
        allocation = Allocation.objects.create(
            trial=trial, method=method, seed=seed, ratio=f"{ratio[0]}:{ratio[1]}",
            assignments=[list(a) for a in made.assignments], digest=made.digest,
            made_by=actor)
        for team in teams:
            team.arm = arms[team.unit]
            team.save(update_fields=["arm"])
        audit.record(actor, "trial.randomise", allocation,
                     {"method": method, "seed": str(seed), "digest": made.digest})
    return allocation


def open_wave(actor: User, trial: Trial, kind: str, *, opens_on: date | None = None,
              closes_on: date | None = None) -> Wave:
    """Open (or open again, after closing) a survey wave from `opens_on` (today if None) to
    `closes_on` (None: until the evaluator closes it), both days included."""
    if not hasattr(trial, "allocation"):
        raise ValidationError("Randomise the trial before opening a survey wave",
                              code="not_allocated")
    arms, measures = WAVE_DEFAULTS[kind]
    today = timezone.localdate()
    opens_on = opens_on or today
    if closes_on is not None and closes_on < max(opens_on, today):
        raise ValidationError({"closes_on": "The closing date must be today or later, and on "
                                            "or after the opening date"})
    with transaction.atomic():
        wave, _ = Wave.objects.update_or_create(
            trial=trial, kind=kind, defaults={
                "arms": arms, "measures": measures, "is_open": True, "opens_on": opens_on,
                "closes_on": closes_on, "closed_on": None})
        audit.record(actor, "wave.open", wave, {
            "kind": kind, "opens_on": opens_on.isoformat(),
            "closes_on": closes_on.isoformat() if closes_on else ""})
    return wave


def save_answers(respondent: TrialPractitioner, wave: Wave, answers: dict[str, str]) -> None:
    """Save the answers given (checked by evaluation.forms.SurveyForm; a question left blank
    keeps any earlier answer), so a practitioner can stop and come back."""
    with transaction.atomic():
        for item, value in answers.items():
            Response.objects.update_or_create(
                trial=wave.trial, respondent=respondent, wave=wave.kind, item=item,
                defaults={"value": value})
        # Only counts: an evaluator reads answers by pseudonym, never in the audit trail.
        audit.record(respondent.user, "survey.answer", wave, {"answers": str(len(answers))})


def add_question(actor: User, trial: Trial, *, question_id: str, wave: str, text: str,
                 kind: str, options: list[str]) -> Question:
    question_id, text = question_id.strip(), text.strip()
    problems = []
    if not question_id or not question_id.replace("_", "").isalnum():
        problems.append("Give the question a short code of letters, numbers and underscores")
    elif surveys.is_measure_item(question_id):
        problems.append("That code is a standard measure's item: choose another")
    if not text:
        problems.append("Enter the question")
    if kind in ("likert", "choice") and len([o for o in options if o.strip()]) < 2:
        problems.append("Give at least two answers to choose from, one a line")
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            question = Question.objects.create(
                trial=trial, question_code=question_id, wave=wave, text=text, kind=kind,
                options=[o.strip() for o in options if o.strip()]
                if kind in ("likert", "choice") else [])
            audit.record(actor, "question.create", question, {"question_id": question_id})
    except IntegrityError:
        # As for a trial's name: the constraint also sees a question being added at this moment.
        raise ValidationError(["That code is already used in this trial"]) from None
    return question


@dataclass(frozen=True)
class Reminded:
    sent: int
    failed: int


def remind_non_responders(actor: User, trial: Trial, kind: str, site_url: str) -> Reminded:
    """Email each practitioner asked in an open wave who has not answered, with their personal
    link (by Notify or the mail, as _survey_mail chooses). Raises ValidationError, having sent
    nothing, when the wave is not open or the mail server cannot be reached; the audit entry
    counts only the emails the server or Notify took."""
    wave = queries.open_wave(trial, kind)
    if wave is None:
        raise ValidationError("That survey wave is not open", code="not_open")
    to_remind = [r for r in not_answered(trial, wave.kind, wave.arms)
                 if r.user is not None and r.user.email]
    if not to_remind:
        audit.record(actor, "wave.remind", wave, {"sent": "0"})
        return Reminded(0, 0)
    sent = failed = renewed = 0
    named = wave.get_kind_display().lower()
    with _survey_mail("No reminder was sent: try again later, or ask your administrator to "
                      "check the email settings") as send:
        for respondent in to_remind:
            if respondent.link_has_run_out():
                # Run out, not revoked: a reminder with a dead link would help nobody.
                _replace_link(respondent)
                renewed += 1
            link = _link_text(site_url, respondent)
            try:
                send(respondent.user.email, _SurveyEmail(
                    f"Family Feedback: the {named} survey",
                    f"Please answer the {named} survey for {trial.name}. It takes about 15 "
                    "minutes and your answers are kept under a code, not your name. You can "
                    f"answer at {link}.",
                    _personalisation(trial, link, named),
                    f"survey-reminder-{respondent.pk}-{wave.kind}"))
            except _NotTaken:
                failed += 1
            else:
                sent += 1
    audit.record(actor, "wave.remind", wave, {"sent": str(sent), "failed": str(failed),
                                              "links_renewed": str(renewed)})
    return Reminded(sent, failed)


def research_question_values(question: ResearchQuestion) -> dict:
    """What its edit page shows, as the page's version compares it."""
    return {"text": question.text, "methods": "\n".join(question.methods)}


def change_research_question(actor: User, question: ResearchQuestion, *, text: str,
                             methods: list[str], opened: dict) -> ResearchQuestion:
    """`opened` is what the question was when its page was drawn: if another evaluator changed
    it since, EditConflict, and nothing is saved."""
    text = text.strip()
    methods = [m.strip() for m in methods if m.strip()]
    if not text:
        raise ValidationError("Enter the research question", code="no_text")
    with transaction.atomic():
        question = ResearchQuestion.objects.select_for_update().get(pk=question.pk)
        now = research_question_values(question)
        if versions.plain(now) == versions.plain({"text": text, "methods": "\n".join(methods)}):
            return question  # sent twice, or nothing changed
        versions.check_unchanged(opened, now)
        before = {"text": question.text, "methods": "; ".join(question.methods)}
        question.text, question.methods = text, methods
        question.save(update_fields=["text", "methods"])
        audit.record(actor, "research_question.change", question, audit.diff(
            before, {"text": text, "methods": "; ".join(methods)}))
    return question


def refresh_admin_data(actor: User | None, trial: Trial) -> dict[str, int]:
    """For a trial run in this service: its admin data (ORS/SRS records and training) taken
    from the records practitioners keep, pseudonymised, in the shape of the evaluation package.
    Refreshing replaces what was taken before, so the analysis always reads the latest
    records."""
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
        rows, new_people = [], []
        for record in records:
            code = pseudonyms.get(record.person_id)
            if code is None:
                code = f"F{len(pseudonyms) + 1:04d}"
                new_people.append(TrialPerson(trial=trial, person_id=record.person_id, code=code))
                pseudonyms[record.person_id] = code
            practitioner = practitioners[record.session.practitioner_id]
            rows.append(AdminRecord(
                trial=trial, administration_code=f"A{record.pk}", person_key=code,
                adult=record.age >= 18, practitioner=practitioner,
                practitioner_key=practitioner.practitioner_code,
                team_key=teams[record.session.family.team_id].team_code, on=record.session.date,
                measure=record.measure, tool=record.tool, item_1=record.item_1,
                item_2=record.item_2, item_3=record.item_3, item_4=record.item_4,
                status=record.status, reason=record.reason))
        # The people first seen in this refresh, at once: a first refresh meets them all.
        TrialPerson.objects.bulk_create(new_people, batch_size=2000)
        trial.admin_records.all().delete()
        AdminRecord.objects.bulk_create(rows, batch_size=2000)
        training = [
            TrainingRecord(trial=trial, practitioner=practitioners[row.user_id],
                           event_code=f"E{row.event_id}", event_type=row.event.kind,
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


# Research exports (docs/formats/research-export.md): built and written by research_export,
# audited here with who, which trial and which tables, never the key.
def export_research(actor: User | None, trial: Trial, key: bytes, directory: Path, *,
                    force: bool = False, by: str = "") -> list[Path]:
    """Write the trial's research export into directory; the files written. `by` names who
    ran the command when there is no signed-in actor. Raises research_export.ExportError, with
    nothing written, on files already there (unless force)."""
    tables = research_export.build(trial, key,
                                   suppress_below=settings.RESEARCH_EXPORT_SUPPRESS_BELOW)
    written = research_export.write(tables, directory, force=force)
    audit.record(actor, "trial.research_export", trial, {
        "tables": [table.name for table in tables], **({"by": by} if by else {}),
        "rows": {table.name: str(len(table.rows)) for table in tables}})
    return written


def research_export_download(actor: User, trial: Trial) -> bytes:
    """The research export as a zip, pseudonymised with the server's key
    (settings.RESEARCH_EXPORT_KEY_FILE). ValidationError, with a sentence, if it cannot be read."""
    try:
        key = research_export.read_key(settings.RESEARCH_EXPORT_KEY_FILE)
    except research_export.ExportError as error:
        raise ValidationError(f"{error}. Ask your administrator to set "
                              "FF_RESEARCH_EXPORT_KEY_FILE", code="no_key") from None
    with tempfile.TemporaryDirectory() as folder:
        written = export_research(actor, trial, key, Path(folder))
        return research_export.zip_folder(Path(folder), [path.name for path in written])


# Fieldwork -----------------------------------------------------------------------------------

def close_wave(actor: User, trial: Trial, kind: str) -> Wave:
    """Close a survey wave now: from today no answer is taken, and what was given is kept."""
    with transaction.atomic():
        wave = Wave.objects.select_for_update().filter(trial=trial, kind=kind).first()
        if wave is None or not wave.is_open or wave.closed_on is not None:
            raise ValidationError("That survey wave is not open", code="not_open")
        wave.closed_on = timezone.localdate()
        wave.save(update_fields=["closed_on"])
        audit.record(actor, "wave.close", wave, {"kind": kind})
    return wave


def _activities_text(activities) -> str:
    names = dict(CONSENT_ACTIVITIES)
    return ", ".join(names[a].lower() for a in activities)


def record_consent(actor: User, respondent: TrialPractitioner, *, activities: list[str],
                   given_on: date, information_sheet_version: str) -> list[str]:
    """Record the activities a practitioner consented to, as on their form. Consent already
    recorded for an activity is left as it is (a withdrawal stands: it is never undone here),
    so that two evaluators entering the same form, or one entering it twice, change nothing.
    The activities newly recorded; ValidationError if there are none."""
    version = information_sheet_version.strip()
    if not version:
        raise ValidationError("Enter the version of the information sheet they were given")
    with transaction.atomic():
        TrialPractitioner.objects.select_for_update().get(pk=respondent.pk)
        have = set(respondent.consents.values_list("activity", flat=True))
        new = [a for a in activities if a not in have]
        if not new:
            raise ValidationError(f"Consent to {_activities_text(activities)} is already "
                                  "recorded for this practitioner", code="recorded")
        Consent.objects.bulk_create([
            Consent(trial_id=respondent.trial_id, practitioner=respondent, activity=activity,
                    given_on=given_on, information_sheet_version=version, recorded_by=actor)
            for activity in new])
        audit.record(actor, "consent.give", respondent, {
            "activities": ", ".join(new), "given_on": given_on.isoformat(),
            "information_sheet_version": version})
    return new


def withdraw_consent(actor: User, respondent: TrialPractitioner, *, activities: list[str],
                     withdrawn_on: date) -> None:
    """Record a practitioner's withdrawal from activities they consented to: from then on the
    analysis and exports leave out what each covers."""
    with transaction.atomic():
        TrialPractitioner.objects.select_for_update().get(pk=respondent.pk)
        given = {c.activity: c for c in respondent.consents.filter(withdrawn_on__isnull=True)}
        missing = [a for a in activities if a not in given]
        if missing:
            raise ValidationError(f"There is no consent to {_activities_text(missing)} to "
                                  "withdraw from", code="no_consent")
        early = [a for a in activities if withdrawn_on < given[a].given_on]
        if early:
            raise ValidationError(f"The date of withdrawal is before consent to "
                                  f"{_activities_text(early)} was given", code="too_early")
        for activity in activities:
            given[activity].withdrawn_on = withdrawn_on
            given[activity].recorded_by = actor
            given[activity].save(update_fields=["withdrawn_on", "recorded_by", "recorded_at"])
        audit.record(actor, "consent.withdraw", respondent, {
            "activities": ", ".join(activities), "withdrawn_on": withdrawn_on.isoformat()})


def set_retention_date(actor: User, trial: Trial, *, retention_date: date | None,
                       was: str) -> None:
    """Set (or, with None, clear back to the default) when the trial's research data are
    erased. `was` is the date the page showed (ISO, or blank): if another evaluator changed it
    since, ValidationError, and nothing is saved."""
    with transaction.atomic():
        current = Trial.objects.select_for_update().get(pk=trial.pk)
        now = current.retention_date.isoformat() if current.retention_date else ""
        if now != was and now != (retention_date.isoformat() if retention_date else ""):
            raise ValidationError("Another evaluator changed the retention date since you "
                                  "opened this page: check the date shown and save again",
                                  code="conflict")
        current.retention_date = retention_date
        current.save(update_fields=["retention_date"])
        audit.record(actor, "trial.retention", current, audit.diff(
            {"retention_date": now}, {"retention_date": retention_date.isoformat()
                                      if retention_date else ""}))
    trial.retention_date = retention_date


def erase_research_data(actor: User | None, trial: Trial, today: date) -> Erasure:
    """Erase what the trial holds about people (practitioners' pseudonyms and everything under
    them, family members' pseudonyms, documents and their coding, matrix cells) once its
    retention date has come. Kept: the trial, its teams, allocation, waves, questions and the
    evaluator's findings, and an Erasure row that says when and how much, with no one in it."""
    due = queries.retention_date(trial)
    if queries.erasure(trial) is not None:
        raise ValidationError(f"{trial.name}'s research data have already been erased",
                              code="erased")
    if due is None or due > today:
        raise ValidationError(f"{trial.name} is not due for erasure" + (
            f" until {due.isoformat()}" if due else ": it has no retention date yet"),
            code="not_due")
    with transaction.atomic():
        counts = queries.research_data_counts(trial)
        # Documents first: they hold on to their participants (RESTRICT).
        trial.documents.all().delete()
        trial.matrix_cells.all().delete()
        trial.people.all().delete()
        trial.practitioners.all().delete()  # and their answers, records, training, consent
        record = Erasure.objects.create(trial=trial, trial_name=trial.name, retention_date=due,
                                        counts=counts)
        audit.record(actor, "trial.erase", trial, {k: str(v) for k, v in counts.items()})
    return record


def export_survey_links(actor: User, trial: Trial, site_url: str) -> list[list[str]]:
    """Each practitioner's personal survey link, for the evaluator to send by their own means:
    a header and a row each (pseudonym, team, link, works until). Whoever holds a link can
    answer as that practitioner, so each export is recorded."""
    rows = [["practitioner_id", "team", "link", "works_until"]]
    for respondent in queries.practitioners_in(trial):
        expires = respondent.link_expires_at()
        usable = expires is not None and not respondent.link_has_run_out()
        rows.append([respondent.practitioner_code, respondent.team.team_name,
                     f"{site_url}/surveys/link/{respondent.link_token}/" if usable else "",
                     expires.date().isoformat() if usable else ""])
    audit.record(actor, "survey_link.export", trial, {"links": str(len(rows) - 1)})
    return rows


# Exchange with qualitative tools: the REFI-QDA codebook (.qdc) and project (.qdpx), written and
# read by evaluation.refi_qda. A download holds interview text, so it is recorded as a read.
def export_refi_qda(actor: User, trial: Trial, kind: str) -> bytes:
    """The trial's codebook ("codebook") or whole project ("project") as the file to download.
    Raises ValidationError when there is nothing to put in a codebook."""
    try:
        data = (refi_qda.codebook_file(trial) if kind == "codebook"
                else refi_qda.project_file(trial))
    except refi_qda.RefiQdaError as error:
        raise ValidationError(str(error), code="empty") from None
    audit.record(actor, f"refi_qda.export_{kind}", trial,
                 {"themes": str(trial.themes.count()),
                  **({"documents": str(trial.documents.count())} if kind == "project" else {})})
    return data


def import_refi_qda(actor: User, trial: Trial, exchange: refi_qda.Exchange) -> refi_qda.Imported:
    """A .qdc's codes, or a .qdpx's codes, documents and codings (read and checked by
    refi_qda.read_file), added to the trial where it does not hold them yet, in one
    transaction: a file that cannot go in whole (a document of another trial, a text that
    differs) changes nothing, and ValidationError says why."""
    done = refi_qda.Imported(exchange.kind, left_out=exchange.left_out)
    try:
        with transaction.atomic():
            # Two imports into one trial at once would each add what the other is adding.
            Trial.objects.select_for_update().get(pk=trial.pk)
            themes = refi_qda.store_codes(trial, exchange.codes, done)
            refi_qda.store_sources(trial, actor, exchange, themes, done)
            audit.record(actor, f"refi_qda.import_{exchange.kind}", trial, done.counts())
    except refi_qda.RefiQdaError as error:
        raise ValidationError(str(error), code="refused") from None
    return done
# The framework matrix (issue 12).
def matrix_cell_values(participant: TrialPractitioner, theme: Theme) -> dict:
    """What a cell's page shows, as the page's version compares it."""
    cell = MatrixCell.objects.filter(participant=participant, theme=theme).first()
    return {"summary": cell.summary if cell is not None else ""}


def save_matrix_summary(actor: User, participant: TrialPractitioner, theme: Theme, *,
                        summary: str, opened: dict) -> None:
    """The evaluator's summary of what the participant said on the theme. `opened` is the
    summary when the page was drawn: if another evaluator changed it since, EditConflict, and
    nothing is saved. The audit entry says who changed which cell, not what they wrote: the
    summary is research data, read on its page."""
    summary = summary.strip()
    if theme.trial_id != participant.trial_id:
        raise ValidationError("That theme is not in this participant's trial", code="elsewhere")
    with transaction.atomic():
        # The participant's row is locked, so that of two evaluators saving a cell at once, even
        # one not written before, the second compares with the first's.
        TrialPractitioner.objects.select_for_update().get(pk=participant.pk)
        now = matrix_cell_values(participant, theme)
        if versions.plain(now) == versions.plain({"summary": summary}):
            return  # sent twice, or nothing changed
        versions.check_unchanged(opened, now)
        cell, _ = MatrixCell.objects.update_or_create(
            participant=participant, theme=theme,
            defaults={"trial_id": participant.trial_id, "summary": summary, "updated_by": actor})
        audit.record(actor, "matrix_cell.save", cell, {
            "participant": participant.practitioner_code, "theme": str(theme.pk),
            "summary": "(changed)"})


def record_matrix_download(actor: User, trial: Trial, filters: dict) -> None:
    """The matrix taken away as a spreadsheet, with the filters it was taken with."""
    question = filters["question"]
    audit.record(actor, "matrix.download", trial, {
        "question": question.number if question is not None else "",
        "arm": filters["arm"], "role": filters["role"]})
# Qualitative work: documents, the codebook and codings. Called by the framework matrix and the
# REFI-QDA exchange too, so each checks its own rules.
def log_view(actor: User, action: str, obj) -> None:
    """A look at what participants said: a document's page, the framework matrix, a cell."""
    audit.record(actor, action, obj)


def add_document(actor: User, trial: Trial, *, kind: str, title: str, text: str,
                 participant: TrialPractitioner | None = None, team: TrialTeam | None = None,
                 file_name: str = "") -> Document:
    """An interview (with its participant) or observation notes (with the team observed)."""
    title = title.strip()
    if not title:
        raise ValidationError("Enter a title for the document", code="no_title")
    if kind == "interview":
        if participant is None or participant.trial_id != trial.pk:
            raise ValidationError("Choose the participant interviewed", code="no_participant")
        if participant.practitioner_code in queries.withdrawn(trial, "interview"):
            raise ValidationError(f"{participant.practitioner_code} has withdrawn from "
                                  "interviews", code="withdrawn")
        team = None
    elif kind == "observation":
        if team is None or team.trial_id != trial.pk:
            raise ValidationError("Choose the team observed", code="no_team")
        participant = None
    else:
        raise ValidationError("Choose an interview or observation notes", code="kind")
    if not texts.paragraphs(text):
        raise ValidationError("The document has no text in it", code="no_text")
    with transaction.atomic():
        document = Document.objects.create(trial=trial, kind=kind, title=title, text=text,
                                           participant=participant, team=team,
                                           file_name=file_name[:255], added_by=actor)
        # No title or text: they may name someone.
        audit.record(actor, "document.add", document,
                     {"kind": kind, "paragraphs": str(len(texts.paragraphs(text)))})
    return document


def add_theme(actor: User, trial: Trial, *, name: str, description: str = "",
              parent: Theme | None = None,
              research_questions: list[ResearchQuestion] = ()) -> Theme:
    """A theme of the codebook, or a sub-theme under `parent`; its name is one once under the
    same parent, however it is written."""
    name = name.strip()
    if not name:
        raise ValidationError("Enter the theme's name", code="no_name")
    if parent is not None and (parent.trial_id != trial.pk or parent.parent_id is not None):
        raise ValidationError("Choose a theme of this codebook to put it under", code="parent")
    if any(q.trial_id != trial.pk for q in research_questions):
        raise ValidationError("Choose research questions of this trial", code="question")
    try:
        with transaction.atomic():
            # Locked, so that two evaluators adding the same name at once cannot both pass the
            # check (SQLite keeps two top-level themes of one name apart: NULL parents differ).
            Trial.objects.select_for_update().get(pk=trial.pk)
            if trial.themes.filter(parent=parent, name__iexact=name).exists():
                raise IntegrityError
            theme = Theme.objects.create(trial=trial, parent=parent, name=name,
                                         description=description.strip())
            theme.research_questions.set(research_questions)
            audit.record(actor, "theme.add", theme, {"name": name})
    except IntegrityError:
        raise ValidationError(f"There is already a theme called {name} "
                              f"{'under ' + parent.name if parent else 'in the codebook'}",
                              code="duplicate") from None
    return theme


def code_passage(actor: User, document: Document, *, themes: list[Theme], start: int,
                 end: int) -> list[Coding]:
    """The evaluator's own codings of characters [start, end) of the document with each theme;
    a passage already coded so by them is left as it is."""
    if not themes:
        raise ValidationError("Choose at least one theme", code="no_theme")
    if any(t.trial_id != document.trial_id for t in themes):
        raise ValidationError("Choose themes of this trial's codebook", code="theme")
    if not 0 <= start < end <= len(document.text) or not document.text[start:end].strip():
        raise ValidationError("The passage is not in the document: choose it again",
                              code="out_of_range")
    with transaction.atomic():
        codings = [Coding.objects.get_or_create(document=document, theme=theme, coder=actor,
                                                start=start, end=end)[0] for theme in themes]
        audit.record_many(actor, [("coding.add", c, {"start": str(start), "end": str(end)})
                                  for c in codings])
    return codings


def remove_coding(actor: User, coding: Coding) -> None:
    """Only the evaluator who coded a passage removes their coding: each codes on their own."""
    if coding.coder_id != actor.pk:
        raise ValidationError("Only the evaluator who made a coding can remove it",
                              code="not_yours")
    with transaction.atomic():
        audit.record(actor, "coding.remove", coding)
        coding.delete()


@dataclass(frozen=True)
class Gathered:
    made: int  # documents new, or rebuilt while nothing in them was coded
    extended: int  # coded documents with new answers added at their end
    refused: list[str]  # titles of coded documents holding an answer since withdrawn


def gather_open_text(actor: User, trial: Trial) -> Gathered:
    """One document per free-text question and wave, one paragraph per answer, each begun with
    the respondent's pseudonym; practitioners withdrawn from surveys are left out. A document
    nobody has coded is written afresh. One that is coded keeps its text, so every coding's
    offsets stay true, and only answers from those not yet in it are added at its end (an
    answer changed since stays as first gathered); if someone in it has since withdrawn it is
    left alone and named, for its codings to be removed first (then it is written afresh)."""
    withdrawn = queries.withdrawn(trial, "surveys")
    questions = {q.question_code: q for q in queries.custom_questions(trial) if q.kind == "text"}
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for wave, item, code, value in queries.text_answers(trial):
        if code not in withdrawn and texts.one_paragraph(value):
            grouped.setdefault((wave, item), []).append((code, texts.one_paragraph(value)))
    made = extended = 0
    refused = []
    waves = dict(WAVES)
    with transaction.atomic():
        for (wave, item), answers in grouped.items():
            document = queries.open_text_document(trial, wave, item)
            if document is None:
                question = questions[item]
                document = Document(trial=trial, kind="open_text", wave=wave, question_code=item,
                                    added_by=actor,
                                    title=f"{item} ({waves[wave].lower()}): {question.text}"[:200])
                made += 1
            elif document.codings.exists():
                if withdrawn & set(document.gathered_from):
                    refused.append(document.title)
                    continue
                answers = [(c, a) for c, a in answers if c not in document.gathered_from]
                if not answers:
                    continue
                answers = [(None, document.text)] + answers
                extended += 1
            else:
                made += 1
            document.text = "\n\n".join(a if c is None else f"{c}: {a}" for c, a in answers)
            document.gathered_from = ([*document.gathered_from, *(c for c, _ in answers if c)]
                                      if answers[0][0] is None else [c for c, _ in answers])
            document.save()
        audit.record(actor, "document.gather", trial, {
            "made": str(made), "extended": str(extended), "refused": str(len(refused))})
    return Gathered(made, extended, refused)


def theme_values(theme: Theme) -> dict:
    """What a theme's edit page shows, as its version compares it."""
    return {"name": theme.name, "description": theme.description,
            "research_questions": sorted(q.number for q in theme.research_questions.all())}


def change_theme(actor: User, theme: Theme, *, name: str, description: str,
                 research_questions: list[str], opened: dict) -> Theme:
    """Rename, describe or relink a theme. `opened` is what it was when its page was drawn: if
    another evaluator changed it since, EditConflict, and nothing is saved."""
    name = name.strip()
    if not name:
        raise ValidationError("Enter the theme's name", code="no_name")
    questions = list(theme.trial.questions_asked.filter(number__in=research_questions))
    with transaction.atomic():
        theme = Theme.objects.select_for_update().get(pk=theme.pk)
        now = theme_values(theme)
        wanted = {"name": name, "description": description.strip(),
                  "research_questions": sorted(q.number for q in questions)}
        if versions.plain(now) == versions.plain(wanted):
            return theme  # sent twice, or nothing changed
        versions.check_unchanged(opened, now)
        if (theme.trial.themes.filter(parent_id=theme.parent_id, name__iexact=name)
                .exclude(pk=theme.pk).exists()):
            raise ValidationError(f"There is already a theme called {name} there",
                                  code="duplicate")
        theme.name, theme.description = name, wanted["description"]
        theme.save(update_fields=["name", "description"])
        theme.research_questions.set(questions)
        audit.record(actor, "theme.change", theme, audit.diff(
            {k: str(v) for k, v in now.items()}, {k: str(v) for k, v in wanted.items()}))
    return theme
# The report: what the evaluator writes under a research question, and the quotes picked.
def finding_values(finding: Finding | None, quoted: list[int]) -> dict:
    """What a finding's page shows, as its version compares it: the text, and the quoted
    codings in order ("12,7")."""
    return {"text": finding.text if finding else "", "quotes": ",".join(map(str, quoted))}


def save_finding(actor: User, trial: Trial, question: ResearchQuestion | None, *, text: str,
                 quotes: str, opened: dict, allowed: set[int]) -> Finding:
    """The evaluator's text under `question` (None: the report's limitations) and, for a
    question, the quotes in order: coding ids from `allowed` (the passages the page offered).
    EditConflict if another evaluator saved it since the page was `opened`."""
    picked = [int(pk) for pk in quotes.split(",") if pk]
    if not set(picked) <= allowed or (question is None and picked):
        raise ValidationError("Pick quotes only from the passages listed", code="not_quotable")
    text = text.strip()
    with transaction.atomic():
        # The trial's row is the lock: a finding that does not exist yet cannot be locked.
        Trial.objects.select_for_update().get(pk=trial.pk)
        finding = Finding.objects.filter(trial=trial, question=question).first()
        before = finding_values(finding, queries.quoted(question) if question else [])
        after = {"text": text, "quotes": ",".join(map(str, picked))}
        if versions.plain(before) == versions.plain(after):
            return finding  # sent twice, or nothing changed
        versions.check_unchanged(opened, before)
        finding = finding or Finding(trial=trial, question=question)
        finding.text, finding.updated_by = text, actor
        finding.save()
        if question is not None:
            question.quotes.all().delete()
            Quote.objects.bulk_create([Quote(question=question, coding_id=pk, position=place)
                                       for place, pk in enumerate(picked, 1)])
        # The text is the evaluator's own writing, kept in the finding; the log says what changed.
        audit.record(actor, "report.finding", finding, {
            "question": question.number if question else "limitations",
            **({"text": "(changed)"} if before["text"] != text else {}),
            **({"quotes": after["quotes"]} if before["quotes"] != after["quotes"] else {})})
    return finding
