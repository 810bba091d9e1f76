"""Subject access (UK GDPR Article 15): everything the service holds about one family member, as
one download for an administrator to check and send: a readable PDF, the same as JSON
(docs/formats/subject-access.md) and the photos of the faces they drew.

What is about this person, and only that: their own details, ratings, alerts, alert notes and
links; of their family's records, the family itself, its periods of support (with the closing
notes and this person's part of each closing summary) and the sessions they were at. Other
family members appear by first name only, and nothing of their ratings or notes. Who looked at
or changed these records comes from the audit log, through casework.queries.family_records.

Every model with a link to a person or a family must be named in COVERED or LEFT_OUT below:
`uncovered()` finds them by walking the models' relations, and a test fails while a new one is
named in neither, so a new kind of personal record cannot be missed from the export quietly.
"""

import base64
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone

from familyfeedback import measures
from familyfeedback.accounts import audit
from familyfeedback.accounts.models import AuditEntry, User
from familyfeedback.casework import alerts, queries, trajectories
from familyfeedback.casework.models import (
    Administration,
    AlertAcknowledgement,
    FeedbackLink,
    Person,
    Session,
)
from familyfeedback.casework.presenters import closure_lines
from familyfeedback.evaluation.models import TrialPerson
from familyfeedback.lib import languages
from familyfeedback.lib.pictures import picture_kind
from familyfeedback.privacy.retention import RULES

FORMAT = "family-feedback-subject-access"
VERSION = 1

# Each model linked to a person or a family, and where the export shows it.
COVERED = {
    "casework.Family": "family: its name, case reference, team, key worker and any legal hold",
    "casework.Person": "person: their details; family_members: the others, by first name",
    "casework.Episode": "periods_of_support: dates, closing note, their closing summary",
    "casework.Session": "sessions: those they were at, with the session's notes",
    "casework.Administration": "ratings: every record, with its picture under pictures/",
    "casework.AlertAcknowledgement": "alert_notes",
    "casework.FeedbackLink": "self_completion_links (never the token's hash)",
    "evaluation.TrialPerson": "trial_pseudonyms: the code that stands for them in a trial",
}
# Linked models the export leaves out, and why.
LEFT_OUT: dict[str, str] = {
    "casework.AlertState": "a copy, kept for the lists, of the alerts their ratings raise: the "
                           "export's alerts are worked out from the ratings themselves",
}
# Records that name a person's rows by id without a relation, so uncovered() cannot see them:
# each is either read here by another route or holds nothing of theirs.
UNLINKED = {
    "accounts.AuditEntry": "audit_trail: read through casework.queries.family_records",
    "casework.TrajectoryFit": "left out: it holds only \"person:episode\" ids of the ratings "
                              "a fit used, no value of theirs, and the fit is of everyone",
    "privacy.Tombstone": "left out: it holds ids of rows already removed, nothing of theirs",
}

ROOTS = ("casework.Person", "casework.Family")


def linked_models(candidates=None) -> set[str]:
    """Every model with a path of foreign keys, one-to-ones or many-to-manys from it to a person
    or a family (directly, or through a session, a rating, ...); the two themselves included."""
    candidates = list(candidates if candidates is not None else apps.get_models())
    found = set(ROOTS)
    while True:
        more = {model._meta.label for model in candidates
                if model._meta.label not in found and any(
                    relation.related_model._meta.label in found
                    for relation in model._meta.get_fields()
                    if relation.concrete and relation.is_relation and relation.related_model)}
        if not more:
            return found
        found |= more


def uncovered(candidates=None) -> list[str]:
    """The linked models the export neither covers nor says why it leaves out."""
    return sorted(linked_models(candidates) - set(COVERED) - set(LEFT_OUT))


def person(person_id: int) -> Person:
    """The person asked about, for an administrator (accounts.access.require_administrator has
    already said who may ask)."""
    return get_object_or_404(Person.objects.select_related("family__team", "family__key_worker"),
                             pk=person_id)


@dataclass
class Export:
    data: dict
    pictures: dict[str, bytes] = field(default_factory=dict)


def collect(subject: Person, today: date | None = None) -> Export:
    today = today or timezone.localdate()
    family = subject.family
    records = list(Administration.objects.filter(person=subject)
                   .select_related("session").order_by("session__date", "session_id", "tool"))
    pictures = _pictures(records)
    trail = _trail(subject)
    data = {
        "format": FORMAT,
        "version": VERSION,
        "made_on": today,
        "person": {
            "id": subject.pk, "first_name": subject.first_name, "last_name": subject.last_name,
            "date_of_birth": subject.date_of_birth,
            "preferred_language": subject.preferred_language,
            "preferred_language_name": languages.label(subject.preferred_language)
            if subject.preferred_language else "",
            "language_to_check": subject.language_to_check,
            "needs_interpreter": subject.needs_interpreter,
            "case_system_reference": subject.reference,
        },
        "family": {
            "name": family.name, "case_reference": family.case_reference,
            "team": family.team.name,
            "key_worker": family.key_worker.full_name if family.key_worker else "",
            # Whether a hold keeps their records past the usual time, not the hold's reason:
            # that names proceedings the request may not be the way to learn of.
            "legal_hold_since": family.legal_hold_since if family.legal_hold_reason else None,
        },
        "family_members": [{"first_name": p.first_name}
                           for p in queries.people_of(family) if p.pk != subject.pk],
        "periods_of_support": _periods(subject),
        "sessions": _sessions(subject),
        "ratings": [_rating(r, pictures) for r in records],
        "alerts": _alerts(subject, today),
        "alert_notes": [
            {"id": a.pk, "alert": a.code, "alert_title": _title(a.code), "raised_on": a.fired_on,
             "note": a.note, "by": a.by.full_name, "at": a.at}
            for a in AlertAcknowledgement.objects.filter(person=subject).select_related("by")
            .order_by("at", "id")],
        "self_completion_links": [
            {"id": link.pk, "session_date": link.session.date, "tool": link.tool,
             "made_by": link.created_by.full_name, "made_at": link.created_at,
             "expires_at": link.expires_at, "used_at": link.used_at,
             "sent_by": link.get_sent_by_display() if link.sent_by else "",
             "sent_at": link.sent_at}
            for link in FeedbackLink.objects.filter(person=subject)
            .select_related("session", "created_by").order_by("created_at", "id")],
        "trial_pseudonyms": [{"trial": t.trial.name, "code": t.code} for t in
                             TrialPerson.objects.filter(person=subject).select_related("trial")
                             .order_by("trial__name")],
        "retention": [{"records": RULES[key].records, "rule": RULES[key].describe()}
                      for key in ("closed_family", "pictures", "audit_values")],
        "audit_trail": trail,
    }
    return Export(data, dict(pictures.values()))


def _periods(subject: Person) -> list[dict]:
    found = []
    for episode in queries.episodes_of(subject.family):
        summary = None
        if not episode.is_open:
            line, = closure_lines([subject], queries.episode_records(episode),
                                  queries.attendance(episode), episode.closed_on)
            summary = {
                "sessions_attended": line.attended,
                "first_rating": line.first.total if line.first else None,
                "first_rated_on": line.first.on if line.first else None,
                "last_rating": line.last.total if line.last else None,
                "last_rated_on": line.last.on if line.last else None,
                "change": line.change, "in_words": line.in_words,
                "clinically_significant": line.clinically_significant,
                "average_session_rating": line.average_session_rating,
            }
        found.append({"id": episode.pk, "opened_on": episode.opened_on,
                      "closed_on": episode.closed_on, "closing_note": episode.closing_note,
                      "closing_summary": summary})
    return found


def _their_sessions(subject: Person) -> models.QuerySet[Session]:
    """The sessions they were at, or have a rating in (a rating implies they were there)."""
    return Session.objects.filter(Q(present=subject) | Q(administrations__person=subject),
                                  family=subject.family).distinct()


def _sessions(subject: Person) -> list[dict]:
    return [{"id": s.pk, "date": s.date, "kind": s.get_kind_display(),
             "practitioner": s.practitioner.full_name, "stage": s.get_stage_display(),
             "notes": s.notes, "from_case_system": s.imported}
            for s in _their_sessions(subject).select_related("practitioner")
            .order_by("date", "id")]


def _pictures(records: list[Administration]) -> dict[int, tuple[str, bytes]]:
    """record id -> (its path in the download, the photo's bytes), for the photos still kept."""
    found = {}
    for record in records:
        if not record.picture:
            continue
        try:
            with record.picture.open("rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            continue  # the rating says its photo's file is missing
        kind = picture_kind(content[:12])
        found[record.pk] = (f"pictures/rating-{record.pk}.{kind[0] if kind else 'bin'}", content)
    return found


def _rating(record: Administration, pictures: dict) -> dict:
    measure = measures.get(record.measure)
    picture = pictures.get(record.pk)
    return {
        "id": record.pk, "session_date": record.session.date, "tool": record.tool,
        "tool_name": record.get_tool_display(), "measure": measure.code,
        "measure_name": measure.name, "status": record.get_status_display(),
        "marks": [{"item": item.key, "label": item.label, "mark": record.items()[item.key]}
                  for item in measure.items],
        "total": record.total, "age": record.age,
        "face": record.face,
        "face_name": next((f.label for f in measure.faces if f.key == record.face), ""),
        "picture": picture[0] if picture else None,
        "picture_missing": bool(record.picture) and picture is None,
        "not_given_because": record.get_reason_display() if record.reason else "",
        "not_given_detail": record.reason_detail, "notes": record.notes,
        "given": record.get_channel_display(), "language": record.language,
        "interpreter_or_read_aloud": record.helped,
    }


def _title(code: str) -> str:
    try:
        return alerts.TITLES[measures.AlertCode(code)]
    except ValueError:
        return code


def _alerts(subject: Person, today: date) -> list[dict]:
    """The alerts their ratings raise now, worked out as the family page works them out (its
    current period of support, none once support has closed), each saying if a note was made."""
    episode = queries.current_episode(subject.family)
    if episode is None or not episode.is_open:
        return []
    records = [r for r in queries.episode_records(episode) if r.person_id == subject.pk]
    noted = set(AlertAcknowledgement.objects.filter(person=subject)
                .values_list("code", "fired_on"))
    return [{"alert": a.code.value, "title": alerts.TITLES[a.code], "tier": a.tier.label,
             "reason": a.reason, "raised_on": a.on,
             "note_made": (a.code.value, a.on) in noted}
            for a in measures.by_tier(
                alerts.person_alerts(subject, records, today, trajectories.latest()))]


# Their own records: an entry's values are theirs. Of the family's records, only who did what
# and when: the values inside a family's or a session's entry may be about someone else.
OWN_RECORDS = ("person", "administration", "alertacknowledgement", "feedbacklink")
RECORD_NAMES = {"family": "The family", "person": "Their details", "episode": "Period of support",
                "session": "Session", "administration": "Rating",
                "alertacknowledgement": "Alert note", "feedbacklink": "Self-completion link"}


def their_records(subject: Person) -> dict[str, list[int]]:
    """Of family_records' rows, those about this person: the family, its periods of support,
    the sessions they were at and their own rows."""
    everything = queries.family_records([subject.family_id])
    sessions = set(_their_sessions(subject).values_list("pk", flat=True))
    own = {
        "person": {subject.pk},
        "administration": set(Administration.objects.filter(person=subject)
                              .values_list("pk", flat=True)),
        "alertacknowledgement": set(AlertAcknowledgement.objects.filter(person=subject)
                                    .values_list("pk", flat=True)),
        "feedbacklink": set(FeedbackLink.objects.filter(person=subject)
                            .values_list("pk", flat=True)),
        "session": sessions,
    }
    return {kind: [pk for pk in ids if kind not in own or pk in own[kind]]
            for kind, ids in everything.items()}


def _trail(subject: Person) -> list[dict]:
    entries = (AuditEntry.objects.filter(queries.trail_filter(their_records(subject)))
               .select_related("actor").prefetch_related("actor__role_grants")
               .order_by("at", "id"))
    return [{"at": e.at, "who": _who(e.actor), "role": e.actor.roles_described if e.actor else "",
             "action": e.action, "looked": _looked(e.action),
             "record": RECORD_NAMES.get(e.object_type, e.object_type), "record_id": e.object_id,
             "changes": e.changes if e.object_type in OWN_RECORDS else {}}
            for e in entries]


def _looked(action: str) -> bool:
    """A look rather than a change: a page opened (*.view*), or an export like this one."""
    return action.split(".", 1)[-1].startswith("view") or action == "person.subject_access"


def _who(actor: User | None) -> str:
    return (actor.full_name or actor.email) if actor else "The service itself"


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not written to the export")


def as_json(export: Export) -> str:
    return json.dumps(export.data, default=_plain, indent=2, ensure_ascii=False)


def as_html(export: Export) -> str:
    """The readable document, photos inside it, for WeasyPrint (as the evaluation report)."""
    inline = {}
    for path, content in export.pictures.items():
        kind = picture_kind(content[:12])
        if kind:
            inline[path] = f"data:{kind[1]};base64,{base64.b64encode(content).decode()}"
    return render_to_string("privacy/subject_access_document.html",
                            {"export": export.data, "inline": inline})


def as_pdf(export: Export) -> bytes:
    # Imported here: WeasyPrint takes a second to load, and only the PDF needs it.
    from weasyprint import HTML

    return HTML(string=as_html(export)).write_pdf()


def file_name(today: date | None = None) -> str:
    """Nothing of the person in it: the file is saved, mailed and listed by name."""
    return f"subject-access-{(today or timezone.localdate()).isoformat()}.zip"


def export(actor: User, subject: Person) -> bytes:
    """The download, audited as person.subject_access with counts only, never a value."""
    made = collect(subject)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.pdf", as_pdf(made))
        archive.writestr("subject-access.json", as_json(made))
        for path, content in made.pictures.items():
            archive.writestr(path, content)
    audit.record(actor, "person.subject_access", subject, {
        "ratings": len(made.data["ratings"]), "pictures": len(made.pictures),
        "audit_entries": len(made.data["audit_trail"])})
    return buffer.getvalue()


def page(subject: Person) -> dict:
    """What the page before the download says: whose it is, and how much is in it."""
    ratings = Administration.objects.filter(person=subject)
    return {"person": subject, "family": subject.family, "title": f"Subject access: {subject}",
            "ratings": ratings.count(), "pictures": ratings.exclude(picture="").count(),
            "sessions": _their_sessions(subject).count()}
