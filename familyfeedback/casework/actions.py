"""The writes that matter. Each validates, saves in one transaction and writes the audit entry;
views call these and nothing else to change a family's record."""

import secrets
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from familyfeedback import measures
from familyfeedback.accounts import audit, bulk_views
from familyfeedback.accounts.models import Membership, Team, User
from familyfeedback.casework import alerts, trajectories
from familyfeedback.casework.access import key_workers_for
from familyfeedback.casework.models import (
    Administration,
    AlertAcknowledgement,
    Episode,
    Family,
    FeedbackLink,
    InstalledTextPack,
    Person,
    Session,
    TouchedMonth,
)
from familyfeedback.casework.queries import (
    current_episode,
    episode_records,
    family_with_reference,
    open_family_counts,
)
from familyfeedback.lib import notify, versions

PERSON_FIELDS = ("first_name", "last_name", "date_of_birth", "preferred_language",
                 "needs_interpreter")
# Identifying values never go into the audit log: it records that a name changed, not the name.
IDENTIFYING = {"first_name", "last_name", "date_of_birth"}


@dataclass
class NewAdministration:
    """An administration not yet saved: one person's answer to one tool in a session, as the
    record-session form cleaned it."""

    person: Person
    tool: str
    measure: str
    status: str
    items: dict[str, Decimal] = field(default_factory=dict)
    face: str = ""
    picture: UploadedFile | None = None
    reason: str = ""
    reason_detail: str = ""
    notes: str = ""
    channel: str = Administration.Channel.PRACTITIONER
    language: str = "en"
    helped: bool = False


class SameDaySession(ValidationError):
    """This practitioner already recorded a session for this family on this date: most likely the
    same one again, sent from a page drawn afresh after Back (a new token). Only an explicit
    "another session" records a second."""

    def __init__(self, session: Session):
        super().__init__("A session on this date is already recorded", code="same_day")
        self.session = session


def check_session_date(episode: Episode | None, on: date, present: list[Person]) -> None:
    """Sessions are recorded in the family's open episode, on or after it opened."""
    if episode is None or not episode.is_open:
        raise ValidationError("Support for this family is closed: reopen it to record a session",
                              code="closed")
    if on > timezone.localdate():
        raise ValidationError("The session date cannot be in the future", code="future")
    if on < episode.opened_on:
        raise ValidationError(
            f"The session date must be on or after this support started "
            f"({episode.opened_on.day} {episode.opened_on:%B %Y})",
            code="before_opened",
        )
    for person in present:
        if on < person.date_of_birth:
            raise ValidationError(
                f"The session date is before {person.first_name} was born", code="before_birth"
            )


def record_session(
    actor: User,
    family: Family,
    *,
    token: uuid.UUID,
    on: date,
    kind: str,
    present: list[Person],
    entries: list[NewAdministration],
    notes: str = "",
    another_session: bool = False,
    stage: str = Session.Stage.COMPLETE,
) -> tuple[Session, bool]:
    """Save a session with every administration in it. Returns (session, created): a token seen
    before returns the session it made, so a form sent twice records once. A second session by
    the same practitioner on the same date raises SameDaySession unless `another_session`. A
    session given in two halves starts with `stage` started and no entries (give_rating,
    finish_session)."""
    existing = _already_sent(token, family, actor)
    if existing is not None:
        return existing, False
    check_session_date(current_episode(family), on, present)
    if not another_session:
        earlier = Session.objects.filter(family=family, date=on, practitioner=actor).first()
        if earlier is not None:
            # The same form sent twice at once: its twin may have saved since the check above.
            existing = _already_sent(token, family, actor)
            if existing is not None:
                return existing, False
            raise SameDaySession(earlier)
    present_ids = {p.pk for p in present}
    for entry in entries:
        if entry.person.pk not in present_ids or entry.person.family_id != family.pk:
            raise ValidationError("A score was given for someone not in the session")
        _check_new_administration(entry, on)
    administrations = [_unsaved(entry, on) for entry in entries]
    try:
        with _pictures_kept_only_if_saved(administrations), transaction.atomic():
            session = Session.objects.create(
                family=family, date=on, kind=kind, practitioner=actor, notes=notes,
                submission_token=token, stage=stage,
            )
            session.present.add(*present)
            for administration in administrations:
                administration.session = session
            Administration.objects.bulk_create(administrations)
            alerts.store([family.pk])
            touch([on])
            audit.record_many(actor, [
                ("session.create", session, {
                    "date": on.isoformat(), "kind": kind, "present": sorted(present_ids),
                    **({"stage": stage} if stage != Session.Stage.COMPLETE else {}),
                }),
                *[("administration.create", a, score_snapshot(a)) for a in administrations],
            ])
    except IntegrityError:
        # The same form arrived twice at the same moment: the other request made the session.
        existing = _already_sent(token, family, actor)
        if existing is None:
            raise
        return existing, False
    return session, True


class SessionEnded(ValidationError):
    """A rating sent for a session the practitioner has already ended."""


def give_rating(actor: User | None, session: Session,
                entry: NewAdministration) -> tuple[Administration, bool]:
    """One person's rating of one tool in a session given in two halves, saved the moment they
    give it so that nothing is lost if the session is left. Returns (administration, created): a
    rating sent twice (a double tap, Back and Next again) keeps the first. `actor` is None when
    the person gave it on their own device, through a link."""
    saving: list[Administration] = []
    with _pictures_kept_only_if_saved(saving), transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.stage != Session.Stage.STARTED:
            raise SessionEnded("This session has ended, so no more ratings can be added to it",
                               code="session_ended")
        if not session.present.filter(pk=entry.person.pk).exists():
            raise ValidationError("A score was given for someone not in the session")
        _check_new_administration(entry, session.date)
        existing = Administration.objects.filter(session=session, person=entry.person,
                                                 tool=entry.tool).first()
        if existing is not None:
            return existing, False
        administration = _unsaved(entry, session.date)
        administration.session = session
        saving.append(administration)
        administration.save()
        alerts.store([session.family_id])
        touch([session.date])
        audit.record(actor, "administration.create", administration,
                     score_snapshot(administration))
    return administration, True


def finish_session(actor: User, session: Session,
                   entries: list[NewAdministration]) -> tuple[Session, list[Person]]:
    """End a session given in two halves, with what the practitioner adds for the people who did
    not rate (a reason, or marks typed in from paper). A rating that arrived from a phone while
    the page was open is kept, not overwritten: those people are returned, to be told."""
    added: list[Administration] = []
    with _pictures_kept_only_if_saved(added), transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.stage == Session.Stage.COMPLETE:
            return session, []
        given = set(session.administrations.values_list("person_id", "tool"))
        present = {p.pk for p in session.present.all()}
        kept = []
        for entry in entries:
            if entry.person.pk not in present:
                raise ValidationError("A score was given for someone not in the session")
            if (entry.person.pk, entry.tool) in given:
                kept.append(entry.person)
                continue
            _check_new_administration(entry, session.date)
            added.append(_unsaved(entry, session.date))
        for administration in added:
            administration.session = session
        Administration.objects.bulk_create(added)
        alerts.store([session.family_id])
        session.stage = Session.Stage.COMPLETE
        session.save(update_fields=["stage"])
        touch([session.date])
        audit.record_many(actor, [
            ("session.finish", session, {}),
            *[("administration.create", a, score_snapshot(a)) for a in added],
        ])
    return session, kept


def make_feedback_link(actor: User, session: Session, person: Person,
                       tool: str = Administration.Tool.SRS) -> tuple[FeedbackLink, str]:
    """A new self-completion link for one person's rating of one tool in a started session:
    (the link, its token). The token is returned this once, to be shown or sent, and only its
    hash is kept. 144 random bits: guessing one is hopeless, however many tries are made."""
    if session.stage != Session.Stage.STARTED:
        raise SessionEnded("This session has ended, so no more ratings can be added to it",
                           code="session_ended")
    if not session.present.filter(pk=person.pk).exists():
        raise ValidationError(f"{person.first_name} is not recorded as at this session",
                              code="not_present")
    if session.administrations.filter(person=person, tool=tool).exists():
        raise ValidationError(f"{person.first_name} has already given this rating",
                              code="already_rated")
    token = secrets.token_urlsafe(18)
    now = timezone.now()
    with transaction.atomic():
        link = FeedbackLink.objects.create(
            session=session, person=person, tool=tool, token_hash=FeedbackLink.hash(token),
            created_by=actor, created_at=now,
            expires_at=now + timedelta(hours=settings.FEEDBACK_LINK_HOURS))
        audit.record(actor, "feedback_link.create", link,
                     {"session": session.pk, "person": person.pk, "tool": tool})
    return link, token


def send_feedback_link(actor: User, link: FeedbackLink, *, how: str, to: str, url: str,
                       send_token: uuid.UUID) -> bool:
    """Send the link by "sms" or "email" through GOV.UK Notify. A link is sent once: a second
    press of the button, or the form sent again, finds it taken and sends nothing (False). The
    number or address is used for the send and not kept. If Notify refuses or cannot be reached,
    ValidationError with the reason, and the link is as it was, ready to send again."""
    with transaction.atomic():
        current = FeedbackLink.objects.select_for_update().get(pk=link.pk)
        if current.send_token is not None:
            return False
        if current.why_not_working(current.session.stage) is not None:
            raise ValidationError("This link has been used, has run out or its session has "
                                  "ended, so it was not sent", code="link_done")
        current.send_token = send_token
        current.save(update_fields=["send_token"])
    # Outside the transaction: no row stays locked while Notify answers, and the taken token
    # keeps a second press from sending while the first is on its way.
    try:
        notification = notify.send(how, to, {"link": url, "hours": str(
            settings.FEEDBACK_LINK_HOURS)}, reference=f"feedback-link-{link.pk}")
    except notify.NotSent as error:
        FeedbackLink.objects.filter(pk=link.pk, send_token=send_token).update(send_token=None)
        raise ValidationError(str(error), code="not_sent") from None
    with transaction.atomic():
        current.sent_by, current.notification_id = how, notification
        current.sent_at = timezone.now()
        current.save(update_fields=["sent_by", "notification_id", "sent_at"])
        audit.record(actor, "feedback_link.send", current,
                     {"by": how, "notification": notification})
    link.send_token, link.sent_by, link.sent_at = send_token, how, current.sent_at
    return True


def use_feedback_link(link: FeedbackLink) -> None:
    """After a rating through the link: once the person's rating is saved the link is used up,
    and opening it again says so. Marked in a transaction of its own straight after the rating's:
    a second send in between (a double tap) only finds the rating already given."""
    with transaction.atomic():
        current = FeedbackLink.objects.select_for_update().get(pk=link.pk)
        if current.used_at is not None or not Administration.objects.filter(
                session=current.session_id, person=current.person_id,
                tool=current.tool).exists():
            return
        current.used_at = timezone.now()
        current.save(update_fields=["used_at"])
        audit.record(None, "feedback_link.use", current)


def _unsaved(entry: NewAdministration, on: date) -> Administration:
    return Administration(
        person=entry.person, age=measures.age_on(entry.person.date_of_birth, on),
        tool=entry.tool, measure=entry.measure, status=entry.status,
        face=entry.face, picture=entry.picture or "", reason=entry.reason,
        reason_detail=entry.reason_detail, notes=entry.notes,
        total=_total(entry.measure, entry.items), channel=entry.channel,
        language=entry.language, helped=entry.helped, **entry.items,
    )


@contextmanager
def _pictures_kept_only_if_saved(administrations: list[Administration]):
    """Photos are written to storage as the rows are inserted; a transaction that did not commit
    must not leave a child's drawing behind with no record pointing at it."""
    try:
        yield
    except BaseException:
        for administration in administrations:
            if administration.picture and administration.picture._committed:
                administration.picture.storage.delete(administration.picture.name)
        raise


def _already_sent(token: uuid.UUID, family: Family, actor: User) -> Session | None:
    """The session this form already made, if it was sent before. A token that belongs to a
    session of another family or practitioner is refused, not followed."""
    existing = Session.objects.filter(submission_token=token).first()
    if existing is not None and (existing.family_id, existing.practitioner_id) != (
            family.pk, actor.pk):
        raise ValidationError("This form was already used. Reload the page and enter the "
                              "session again", code="token_reused")
    return existing


def _check_new_administration(entry: NewAdministration, on: date) -> None:
    wrong = measures.wrong_form(entry.tool, entry.measure, entry.person.date_of_birth, on)
    if wrong:
        raise ValidationError(
            f"{entry.person.first_name} is {wrong.age} on the session date, so the "
            f"{wrong.right.code} is the right form, not the {wrong.given}",
            code="wrong_measure",
        )
    if entry.status == Administration.Status.COMPLETED:
        measure = measures.get(entry.measure)
        try:
            if measure.kind == "faces":
                measures.validate_face(measure, entry.face)
            else:
                measures.validate_items(measure, entry.items)
        except measures.ScoreError as error:
            raise ValidationError(str(error)) from None
    elif not entry.reason:
        raise ValidationError("Give the reason it was not administered", code="no_reason")


def _total(measure_code: str, items: dict[str, Decimal]) -> Decimal | None:
    if not items:
        return None
    return measures.total(measures.get(measure_code), items)


def score_snapshot(administration: Administration) -> dict:
    snapshot = {key: str(value) for key, value in administration.items().items()
                if value is not None}
    snapshot.update(measure=administration.measure, status=administration.status)
    for key in ("face", "reason"):
        if getattr(administration, key):
            snapshot[key] = getattr(administration, key)
    if administration.picture:
        snapshot["picture"] = "attached"
    if administration.channel != Administration.Channel.PRACTITIONER:
        snapshot["channel"] = administration.channel
    if administration.language != "en":
        snapshot["language"] = administration.language
    if administration.helped:
        snapshot["helped"] = True
    return snapshot


def correct_administration(
    actor: User, administration: Administration, *, items: dict[str, Decimal], face: str,
    reason: str, opened: dict,
) -> Administration:
    """Change a completed record's scores. The old values stay in the audit trail. `opened` is
    what the record held when the page was drawn: if someone changed it since, EditConflict."""
    if not reason.strip():
        raise ValidationError("Give the reason for the correction", code="no_reason")
    if administration.status != Administration.Status.COMPLETED:
        raise ValidationError("Only a completed record can be corrected", code="not_completed")
    measure = measures.get(administration.measure)
    try:
        if measure.kind == "faces":
            face = measures.validate_face(measure, face)
            items = {}
        else:
            items = measures.validate_items(measure, items)
    except measures.ScoreError as error:
        raise ValidationError(str(error)) from None
    with transaction.atomic():
        # Read again inside the transaction (locked on PostgreSQL; SQLite's immediate
        # transaction already holds the write lock), so the old values logged are the ones
        # replaced, even when two corrections overlap.
        current = Administration.objects.select_for_update().get(pk=administration.pk)
        before = {**current.items(), "face": current.face}
        for key, value in items.items():
            setattr(current, key, value)
        current.face = face if measure.kind == "faces" else ""
        current.total = _total(measure.code, items)
        changes = audit.diff(before, {**current.items(), "face": current.face})
        if not changes:
            return current  # sent twice, or nothing changed: nothing to save or log
        versions.check_unchanged(opened, before)
        current.save()
        alerts.store([current.person.family_id])
        audit.record(actor, "administration.correct", current,
                     {**changes, "reason": reason.strip()})
    return current


def add_person(actor: User, family: Family, **values) -> Person:
    with transaction.atomic():
        person = Person.objects.create(family=family, **values)
        alerts.store([family.pk])
        audit.record(actor, "person.create", person, {"family": family.pk})
    return person


def update_person(actor: User, person: Person, *, opened: dict, reason: str = "",
                  **values) -> Person:
    """Change a person's details. `opened` is what they were when the page was drawn: if
    someone changed them since, EditConflict, and nothing is saved. `reason`, when given (an
    administrator's rectification), is recorded with the change."""
    born = values.get("date_of_birth", person.date_of_birth)
    if born != person.date_of_birth:
        check_date_of_birth(person, born)
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        before = {key: getattr(current, key) for key in PERSON_FIELDS}
        if versions.plain(before) == versions.plain({**before, **values}):
            return current  # sent twice, or nothing changed
        versions.check_unchanged(opened, before)
        change_person(actor, current, values, reason=reason)
    return current


def change_person(actor: User | None, person: Person, values: dict, *,
                  action: str = "person.update", reason: str = "") -> None:
    """Save new details checked by the caller (the date of birth with check_date_of_birth),
    recompute the ages stored on the person's records, and log what changed, with names and
    the date of birth recorded as "(changed)", never their values. Call inside a transaction."""
    before = {key: getattr(person, key) for key in PERSON_FIELDS}
    for key, value in values.items():
        setattr(person, key, value)
    if person.preferred_language:
        person.language_to_check = ""  # settled: the old free text was only kept until now
    person.save()
    if person.date_of_birth != before["date_of_birth"]:
        for record in person.administrations.select_related("session"):
            record.age = measures.age_on(person.date_of_birth, record.session.date)
            record.save(update_fields=["age"])
        alerts.store([person.family_id])  # the cut-off goes by their age
        touch(person.administrations.values_list("session__date", flat=True))
    changes = audit.withheld(audit.diff(before, {key: getattr(person, key)
                                                 for key in PERSON_FIELDS}), IDENTIFYING)
    if changes:
        audit.record(actor, action, person,
                     {**changes, "reason": reason.strip()} if reason.strip() else changes)


def touch(dates) -> None:
    """Marks the months of these session dates for the dashboards' next summary refresh. Call
    inside the write's transaction, so that the mark and the records commit together."""
    months = sorted({on.replace(day=1) for on in dates})
    TouchedMonth.objects.bulk_create([TouchedMonth(month=month) for month in months])


def touch_families(family_ids: list[int]) -> None:
    """Marks every month in which these families had a session: their team changed, or they
    are being removed."""
    touch(Session.objects.filter(family_id__in=family_ids).order_by()
          .values_list("date", flat=True).distinct())


def check_date_of_birth(person: Person, born: date) -> None:
    """A new date of birth must fit the person's records: not after a session they came to, and
    not one under which a form they completed would have been the wrong one for their age."""
    first = person.sessions_attended.order_by("date").first()
    if first is not None and born > first.date:
        raise ValidationError(
            f"{person.first_name} came to a session on {first.date.day} {first.date:%B %Y}, "
            "so the date of birth cannot be after it", code="after_session")
    for record in person.administrations.select_related("session").order_by("session__date",
                                                                            "tool"):
        on = record.session.date
        wrong = measures.wrong_form(record.tool, record.measure, born, on)
        if wrong:
            raise ValidationError(
                f"With this date of birth {person.first_name} would have had the "
                f"{wrong.right.code} on {on.day} {on:%B %Y}, not the {wrong.given} recorded. "
                "Check the date, or ask your administrator to correct the records",
                code="changes_forms")


def install_text_pack(actor: User | None, data: dict, pack: measures.TextPack) -> InstalledTextPack:
    """Put a checked text pack in force (the newest one is used), logging whose licence it is."""
    with transaction.atomic():
        installed = InstalledTextPack.objects.create(data=data, holder=pack.holder,
                                                     reference=pack.reference)
        audit.record(actor, "text_pack.install", installed,
                     {"holder": pack.holder, "reference": pack.reference})
    return installed


def log_view(actor: User, action: str, obj) -> None:
    """A look at identifiable data: the family page, a session, a person's details, a record, a
    child's picture, a closure summary or the record form with the family's names. Opening a
    family also counts towards unusual viewing (accounts.bulk_views)."""
    audit.record(actor, action, obj)
    if isinstance(obj, Family):
        bulk_views.check(actor)


CASE_REFERENCE_TAKEN = ("A family with this case reference is already recorded in the service. "
                        "Check the reference: if the family is open in another team, ask that "
                        "team to transfer it to you")


def check_case_reference(case_reference: str) -> None:
    """A case reference names one family in the whole service, however it is written. The
    message says nothing of the other family: not its name, nor its team."""
    if family_with_reference(case_reference) is not None:
        raise ValidationError(CASE_REFERENCE_TAKEN, code="case_reference_taken")


def _check_placement(team, key_worker: User | None) -> None:
    """Where a family may be: a team that is not archived, with a key worker (if any) who is a
    member of it now."""
    if team.archived_on is not None:
        raise ValidationError({"team": ValidationError(
            f"{team} is archived: choose a team that works with families", code="archived")})
    if key_worker is not None and not key_workers_for(team).filter(pk=key_worker.pk).exists():
        raise ValidationError({"key_worker": ValidationError(
            f"{key_worker} is not a member of {team}: choose someone in the team as key worker",
            code="not_in_team")})


def open_family(actor: User | None, *, name: str, case_reference: str, team, key_worker,
                opened_on: date, people: list[dict]) -> Family:
    """Open a family with the household's people (each a dict of PERSON_FIELDS) and its first
    period of support, all in one transaction."""
    if not people:
        raise ValidationError("Enter at least one person in the household", code="no_people")
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": "The date support started cannot be in the future"})
    try:
        check_case_reference(case_reference)
    except ValidationError as error:
        raise ValidationError({"case_reference": error}) from None
    _check_placement(team, key_worker)
    try:
        with transaction.atomic():
            family = Family.objects.create(name=name.strip(),
                                           case_reference=case_reference.strip(), team=team,
                                           key_worker=key_worker)
            episode = Episode.objects.create(family=family, opened_on=opened_on)
            made = Person.objects.bulk_create([Person(family=family, **p) for p in people])
            alerts.store([family.pk])
            audit.record_many(actor, [
                ("family.create", family, {"team": team.pk,
                                           "key_worker": key_worker and key_worker.pk}),
                ("episode.open", episode, {"opened_on": opened_on.isoformat()}),
                *[("person.create", person, {"family": family.pk}) for person in made],
            ])
    except IntegrityError:
        # A colleague opened the same case reference a moment before.
        raise ValidationError({"case_reference": CASE_REFERENCE_TAKEN}) from None
    return family


def placement(family: Family) -> dict:
    """A family's team and key worker as an edit page carries them (lib/versions.py)."""
    return {"team": str(family.team), "key_worker": str(family.key_worker or "")}


def transfer_family(actor: User, family: Family, *, team, key_worker: User | None,
                    opened: dict) -> Family:
    """Give the family another key worker, or move it to another team (with a key worker there,
    or none yet). Its whole history goes with it: the receiving team sees every session and
    score, and the sending team no longer sees the family. `opened` is the placement the page
    was drawn with: if a colleague moved the family since, EditConflict."""
    _check_placement(team, key_worker)
    with transaction.atomic():
        # Only the family's row is locked: the key worker is an outer join, which PostgreSQL
        # cannot lock.
        current = (Family.objects.select_for_update(of=("self",))
                   .select_related("team", "key_worker").get(pk=family.pk))
        before = {"team": current.team_id, "key_worker": current.key_worker_id}
        after = {"team": team.pk, "key_worker": key_worker and key_worker.pk}
        if before == after:
            return current  # sent twice, or nothing changed
        versions.check_unchanged(opened, placement(current))
        current.team, current.key_worker = team, key_worker
        current.save(update_fields=["team", "key_worker"])
        if before["team"] != after["team"]:
            touch_families([current.pk])
        action = "family.transfer" if before["team"] != after["team"] else "family.key_worker"
        audit.record(actor, action, current, audit.diff(before, after))
    return current


def close_support(actor: User, family: Family, *, on: date, note: str = "") -> Episode:
    """Close the open episode. Not before its last session, nor in the future."""
    episode = current_episode(family)
    if episode is None or not episode.is_open:
        raise ValidationError("Support for this family is already closed", code="closed")
    if on > timezone.localdate():
        raise ValidationError("The closing date cannot be in the future", code="future")
    last = family.sessions.filter(date__gte=episode.opened_on).order_by("-date").first()
    if last is not None and on < last.date:
        raise ValidationError(
            f"The closing date cannot be before the last session ({last.date.day} "
            f"{last.date:%B %Y})", code="before_last_session")
    if on < episode.opened_on:
        raise ValidationError("The closing date cannot be before support started",
                              code="before_opened")
    with transaction.atomic():
        episode.closed_on = on
        episode.closing_note = note.strip()
        episode.save(update_fields=["closed_on", "closing_note"])
        alerts.store([family.pk])
        audit.record(actor, "episode.close", episode, {"closed_on": on.isoformat()})
    return episode


def reopen_support(actor: User, family: Family, *, on: date) -> tuple[Episode, bool]:
    """Start a new episode: everyone's next outcome rating is a new baseline. Starting again on
    the day support closed undoes the closure instead (a close made by mistake): the same episode
    carries on, with its baseline. Returns (episode, whether it is a new one)."""
    previous = current_episode(family)
    if previous is not None and previous.is_open:
        raise ValidationError("Support for this family is already open", code="open")
    if on > timezone.localdate():
        raise ValidationError("The date support starts again cannot be in the future",
                              code="future")
    if previous is not None and on < previous.closed_on:
        raise ValidationError(
            f"Support cannot start again before it closed ({previous.closed_on.day} "
            f"{previous.closed_on:%B %Y})", code="before_closed")
    with transaction.atomic():
        if previous is not None and on == previous.closed_on:
            closed = {"closed_on": previous.closed_on.isoformat()}
            previous.closed_on, previous.closing_note = None, ""
            previous.save(update_fields=["closed_on", "closing_note"])
            alerts.store([family.pk])
            audit.record(actor, "episode.undo_close", previous, closed)
            return previous, False
        episode = Episode.objects.create(family=family, opened_on=on)
        alerts.store([family.pk])
        audit.record(actor, "episode.open", episode, {"opened_on": on.isoformat()})
    return episode, True


def acknowledge_alert(actor: User, person: Person, *, code: str, fired_on: date,
                      note: str) -> AlertAcknowledgement:
    """Record what the practitioner did about an alert that is raised now."""
    if not note.strip():
        raise ValidationError("Say what you did or will do about this alert", code="no_note")
    episode = current_episode(person.family)
    records = episode_records(episode) if episode else []
    raised = {(a.code.value, a.on) for a in alerts.person_alerts(
        person, [r for r in records if r.person_id == person.pk], timezone.localdate(),
        trajectories.latest())}
    if (code, fired_on) not in raised:
        raise ValidationError("This alert is no longer raised: the scores have changed since the "
                              "page was opened", code="not_raised")
    with transaction.atomic():
        acknowledgement, created = AlertAcknowledgement.objects.get_or_create(
            person=person, code=code, fired_on=fired_on,
            defaults={"note": note.strip(), "by": actor},
        )
        if created:
            alerts.store([person.family_id])
            audit.record(actor, "alert.acknowledge", acknowledgement,
                         {"code": code, "fired_on": fired_on.isoformat()})
    return acknowledgement


def archive_team(actor: User, team: Team) -> None:
    """Archive a team that no longer works with families: it leaves every list and picker, and
    its current memberships end today. Refused while it has families with support open: those
    must move to another team first, so that none is left with no one able to see it."""
    with transaction.atomic():
        current = Team.objects.select_for_update().get(pk=team.pk)
        if current.archived_on is not None:
            raise ValidationError(f"{current} is already archived", code="archived")
        open_families = open_family_counts([current]).get(current.pk, 0)
        if open_families:
            raise ValidationError(
                f"{current} still has {open_families} open "
                f"{'family' if open_families == 1 else 'families'}: move "
                f"{'it' if open_families == 1 else 'them'} to another team before archiving it",
                code="open_families")
        today = timezone.localdate()
        ended = Membership.objects.current().filter(team=current).update(ended_on=today)
        current.archived_on = today
        current.save(update_fields=["archived_on"])
        audit.record(actor, "team.archive", current, {"memberships_ended": str(ended)})
    team.archived_on = current.archived_on


def rebuild_alerts(actor: User | None, *, fix: bool) -> list[str]:
    """Compare every person's stored alerts with what the rules say now (ADR 0025) and, with
    fix, store the rules' answer where they differ; returns each difference in plain English."""
    with transaction.atomic():
        found = alerts.differences(fix=fix)
        if fix and found:
            audit.record(actor, "alerts.rebuild", None, {"people": len(found)})
    return found
