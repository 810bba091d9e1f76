"""The evaluation's writes, each validated, saved in one transaction and audited."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import JobTitle, Membership, Role, Team, User
from familyfeedback.casework.models import Administration
from familyfeedback.evaluation import queries, randomisation
from familyfeedback.evaluation.models import (
    AdminRecord,
    Allocation,
    Finding,
    Question,
    Quote,
    ResearchQuestion,
    Response,
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
from familyfeedback.lib import versions
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
    try:
        connection = open_connection()
    except MailServerUnreachable as error:
        raise ValidationError(f"{error}. The link was not changed: try again later",
                              code="no_mail_server") from None
    with connection:
        try:
            with transaction.atomic():
                _replace_link(respondent)
                send_mail(f"Family Feedback: your new link to the {respondent.trial.name} "
                          "surveys",
                          f"Your personal link to the surveys for {respondent.trial.name} has "
                          "been replaced, and the old one no longer works. You can answer at "
                          f"{_link_text(site_url, respondent)}. A personal link works for "
                          f"{settings.SURVEY_LINK_DAYS} days.",
                          None, [respondent.user.email], connection=connection)
                audit.record(actor, "survey_link.reissue", respondent)
        except OSError:  # smtplib's: the server refused the address or went away
            respondent.refresh_from_db(fields=["link_token", "link_issued_at"])
            raise ValidationError("The mail server did not take the email. The link was not "
                                  "changed: try again later", code="not_sent") from None


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


def open_wave(actor: User, trial: Trial, kind: str) -> Wave:
    if not hasattr(trial, "allocation"):
        raise ValidationError("Randomise the trial before opening a survey wave",
                              code="not_allocated")
    arms, measures = WAVE_DEFAULTS[kind]
    with transaction.atomic():
        wave, _ = Wave.objects.update_or_create(
            trial=trial, kind=kind, defaults={"arms": arms, "measures": measures, "is_open": True})
        audit.record(actor, "wave.open", wave, {"kind": kind})
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
    link. Raises ValidationError, having sent nothing, when the wave is not open or the mail
    server cannot be reached; the audit entry counts only the emails the server took."""
    wave = queries.open_wave(trial, kind)
    if wave is None:
        raise ValidationError("That survey wave is not open", code="not_open")
    to_remind = [r for r in not_answered(trial, wave.kind, wave.arms)
                 if r.user is not None and r.user.email]
    if not to_remind:
        audit.record(actor, "wave.remind", wave, {"sent": "0"})
        return Reminded(0, 0)
    try:
        connection = open_connection()
    except MailServerUnreachable as error:
        raise ValidationError(f"{error}. No reminder was sent: try again later, or ask your "
                              "administrator to check the email settings",
                              code="no_mail_server") from None
    sent = failed = renewed = 0
    with connection:
        for respondent in to_remind:
            if respondent.link_has_run_out():
                # Run out, not revoked: a reminder with a dead link would help nobody.
                _replace_link(respondent)
                renewed += 1
            link = _link_text(site_url, respondent)
            try:
                send_mail(f"Family Feedback: the {wave.get_kind_display().lower()} survey",
                          f"Please answer the {wave.get_kind_display().lower()} survey for "
                          f"{trial.name}. It takes about 15 minutes and your answers are kept "
                          f"under a code, not your name. You can answer at {link}.",
                          None, [respondent.user.email], connection=connection)
            except OSError:  # smtplib's errors: this address refused, or the server went away
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
        rows = []
        for record in records:
            code = pseudonyms.get(record.person_id)
            if code is None:
                code = f"F{len(pseudonyms) + 1:04d}"
                TrialPerson.objects.create(trial=trial, person_id=record.person_id, code=code)
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
