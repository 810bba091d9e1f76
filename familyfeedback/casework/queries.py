"""Reads the practitioner's pages need, each over families the caller already reached through
casework.access: views never touch a model's manager themselves."""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework.models import (
    Administration,
    AlertAcknowledgement,
    Episode,
    Family,
    FeedbackLink,
    NotAdministeredReason,
    Person,
    Session,
)
from familyfeedback.measures.schedules import Schedule, Visit, due_at, overdue_since


def families_by_reference(references, *, lock: bool = False) -> dict[str, Family]:
    """The families with these case references, keyed in lower case: a reference names one
    family however it is written (the constraint on Family says so too). For the importers,
    which reach the service's families by the case system's references, not through a user."""
    found = Family.objects.annotate(reference=Lower("case_reference")).filter(
        reference__in={r.lower() for r in references} - {""})
    if lock:
        found = found.select_for_update()
    return {family.reference: family for family in found}


def people_of(family: Family) -> list[Person]:
    return list(family.people.all())


def episodes_of(family: Family) -> list[Episode]:
    return list(family.episodes.all())


def current_episode(family: Family) -> Episode | None:
    """The open episode, or the latest closed one."""
    return family.episodes.order_by("-opened_on", "-id").first()


def episode_of(session: Session) -> Episode | None:
    """The period of support the session falls in."""
    return (session.family.episodes.filter(opened_on__lte=session.date)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=session.date))
            .order_by("-opened_on").first())


def caseload(families: QuerySet[Family]) -> list[Family]:
    return list(
        families.filter(episodes__closed_on__isnull=True)
        .select_related("key_worker", "team")
        .prefetch_related("people")
        .annotate(last_session=Max("sessions__date"))
        .order_by("name", "id")
    )


def closed_families(families: QuerySet[Family]) -> list[Family]:
    """The families with no open episode, each with the date its support last closed."""
    return list(
        families.exclude(episodes__closed_on__isnull=True)
        .select_related("key_worker")
        .annotate(closed_on=Max("episodes__closed_on"))
        .order_by("name", "id")
    )


def found_families(families: QuerySet[Family], words: str) -> list[Family]:
    """The families whose case reference or name contains the words, in any case, open or
    closed: each with `is_open` and the date its support last closed."""
    words = words.strip()
    return list(
        families.filter(Q(case_reference__icontains=words) | Q(name__icontains=words))
        .select_related("team", "key_worker")
        .annotate(is_open=Exists(Episode.objects.filter(family=OuterRef("pk"),
                                                        closed_on__isnull=True)),
                  closed_on=Max("episodes__closed_on"))
        .order_by("name", "id")[:100]
    )


COMPLETED = Administration.Status.COMPLETED.value


class Rating(NamedTuple):
    """One rating as the scoring rules, the charts and the alerts read it, with its session's
    date: the columns they use, made from a plain row. A family with a long history has well
    over a thousand ratings in a period of support, and making a model instance of each was half
    of its page's time (docs/performance-log.md). Pages that show more of a rating than this
    (subject access, corrections) read Administration itself."""

    pk: int
    session_id: int
    person_id: int
    session_date: date
    tool: str
    measure: str
    status: str
    total: Decimal | None
    age: int
    face: str
    picture: str  # the photo's stored name, "" when there is none
    reason: str  # why it was not administered, "" when it was
    # The four items, read for each person's latest session rating alone: the only ones the
    # rules look at (one low item raises an alert). Reading every rating's items was 40 % of the
    # time a long history took to load on SQLite, which makes a Decimal of each.
    latest_items: dict | None = None

    @property
    def completed(self) -> bool:
        return self.status == COMPLETED

    @property
    def rated(self) -> bool:
        """Given, with a total: what the charts draw and the rules score."""
        return self.status == COMPLETED and self.total is not None

    @property
    def reason_label(self) -> str:
        return NotAdministeredReason(self.reason).label if self.reason else ""

    def items(self) -> dict:
        if self.latest_items is None:
            raise LookupError("Only each person's latest session rating has its items read")
        return self.latest_items


def _with_dates(records: QuerySet[Administration]) -> list[Rating]:
    found = [Rating._make((*row, None)) for row in records.order_by("session__date", "session_id")
             .values_list("pk", "session_id", "person_id", "session__date", *Rating._fields[4:-1])]
    latest = {r.person_id: n for n, r in enumerate(found) if r.tool == "SRS" and r.rated}
    items = {pk: dict(zip(Administration.ITEMS, values, strict=True)) for pk, *values in
             Administration.objects.filter(pk__in=[found[n].pk for n in latest.values()])
             .values_list("pk", *Administration.ITEMS)} if latest else {}
    for n in latest.values():
        found[n] = found[n]._replace(latest_items=items[found[n].pk])
    return found


def by_person(records: list[Rating]) -> dict[int, list[Rating]]:
    """The ratings of each person, in the order given: grouped once, where looking through all
    of a long history for each person in turn grew with the family times its history."""
    found: dict[int, list[Rating]] = {}
    for record in records:
        found.setdefault(record.person_id, []).append(record)
    return found


def episode_records(episode: Episode) -> list[Rating]:
    """Every record of one episode, oldest first, each with session_date."""
    records = Administration.objects.filter(session__family_id=episode.family_id,
                                            session__date__gte=episode.opened_on)
    if episode.closed_on is not None:
        records = records.filter(session__date__lte=episode.closed_on)
    return _with_dates(records)


def open_episode_records(families) -> list[Rating]:
    """Every record in these families' open episodes, oldest first, each with session_date.
    Both conditions on episodes sit in one filter(), so they apply to the same (open) episode."""
    return _with_dates(Administration.objects.filter(
        session__family__in=families,
        session__family__episodes__closed_on__isnull=True,
        session__date__gte=F("session__family__episodes__opened_on"),
    ))


def family_sessions(family: Family) -> QuerySet[Session]:
    """The family's sessions, newest first, for the table that pages them: who was there is
    fetched for the page shown, not for every session."""
    present = Prefetch("present", queryset=Person.objects.only("id", "first_name"))
    return (family.sessions.select_related("practitioner")
            .only("id", "family", "date", "kind", "practitioner__full_name", "practitioner__email")
            .prefetch_related(present))


def acknowledgements(people: list[Person]) -> list[AlertAcknowledgement]:
    return list(AlertAcknowledgement.objects.filter(person__in=[p.pk for p in people])
                .select_related("person", "by"))


def attendance(episode: Episode) -> dict[int, int]:
    """person id -> sessions of this episode they were at."""
    within = Q(sessions_attended__date__gte=episode.opened_on)
    if episode.closed_on is not None:
        within &= Q(sessions_attended__date__lte=episode.closed_on)
    return dict(Person.objects.filter(family_id=episode.family_id)
                .annotate(n=Count("sessions_attended", filter=within)).values_list("id", "n"))


def session_records(session: Session) -> list[Administration]:
    return list(session.administrations.select_related("person").order_by("person", "tool"))


def visits(episodes: list[Episode]) -> dict[int, list[Visit]]:
    """person id -> the sessions of their family's episode they were at, oldest first, each
    saying whether their outcome rating was recorded (completed or not administered)."""
    if not episodes:
        return {}
    within = Q()
    for episode in episodes:
        span = Q(family_id=episode.family_id, date__gte=episode.opened_on)
        if episode.closed_on is not None:
            span &= Q(date__lte=episode.closed_on)
        within |= span
    sessions = list(Session.objects.filter(within).order_by("date", "id").prefetch_related(
        Prefetch("present", queryset=Person.objects.only("id")),
        Prefetch("administrations", queryset=Administration.objects.filter(tool="ORS")
                 .only("id", "session_id", "person_id")),
    ))
    found: dict[int, list[Visit]] = {}
    for session in sessions:
        rated = {a.person_id for a in session.administrations.all()}
        for person in session.present.all():
            found.setdefault(person.pk, []).append(
                Visit(session.date, session.kind, person.pk in rated))
    return found


def open_episodes(families: list[Family]) -> dict[int, Episode]:
    """family id -> its open episode."""
    return {e.family_id: e for e in Episode.objects.filter(
        family__in=[f.pk for f in families], closed_on__isnull=True)}


def sessions_between(team_ids: list[int], start, end) -> QuerySet[Session]:
    return Session.objects.filter(family__team_id__in=team_ids, date__gte=start, date__lte=end)


def overdue_people(families: list[Family], today, schedule) -> list[tuple[Family, Person, object]]:
    """(family, person, due since) for everyone in these families' open episodes whose rating
    fell due under the schedule and was missed, longest overdue first."""
    episodes = open_episodes(families)
    history = visits(list(episodes.values()))
    rows = []
    for family in families:
        episode = episodes.get(family.pk)
        if episode is None:
            continue
        for person in family.people.all():
            since = overdue_since(schedule, history.get(person.pk, []), today, episode.opened_on)
            if since is not None:
                rows.append((family, person, since))
    return sorted(rows, key=lambda row: row[2])


def due_today(schedule: Schedule, episode: Episode, people: list[Person], on,
              kind: str) -> dict[int, bool]:
    """Who is due a rating at a session on this date. Every session (the pilot's rule) needs no
    history: reading a family's every visit on each save grew with the family's support."""
    if schedule.kind == "every_session":
        return {p.pk: True for p in people}
    history = visits([episode])
    return {p.pk: due_at(schedule, [v for v in history.get(p.pk, []) if v.on <= on], on, kind)
            for p in people}


def open_family_counts(teams) -> dict[int, int]:
    """team id -> how many of its families have support open (teams with none are left out)."""
    return dict(Family.objects.filter(team__in=teams, episodes__closed_on__isnull=True)
                .values("team").annotate(n=Count("id")).values_list("team", "n"))


def present_person(session: Session, person_id: int) -> Person:
    """Someone at the session, or 404: a rating screen is only for the people there."""
    found = session.present.filter(pk=person_id).first()
    if found is None:
        raise Http404
    return found


def still_to_rate(session: Session, tool: str) -> list[Person]:
    """The people at the session, oldest first, with no rating of this tool yet: the next to
    hand the tablet to, and those a phone link can be made for."""
    rated = session.administrations.filter(tool=tool).values("person_id")
    return list(session.present.exclude(pk__in=rated).order_by("date_of_birth", "pk"))


def missing_ratings(session: Session) -> list[tuple[Person, str]]:
    """Each (person, tool) of a session with nothing recorded yet, oldest person first."""
    given = set(session.administrations.values_list("person_id", "tool"))
    return [(person, tool) for person in session.present.order_by("date_of_birth", "pk")
            for tool in ("ORS", "SRS") if (person.pk, tool) not in given]


def waiting_sessions(user, families: QuerySet[Family]) -> list[Session]:
    """This practitioner's sessions started and not yet ended (the partial index on stage)."""
    return list(Session.objects.filter(practitioner=user, stage=Session.Stage.STARTED,
                                       family__in=families)
                .select_related("family").order_by("date", "pk"))


def family_with_reference(case_reference: str) -> Family | None:
    """The one family with this case reference, however it was written (a reference names one
    family in the whole service, in any case: casework.models)."""
    return Family.objects.filter(case_reference__iexact=case_reference.strip()).first()


def family_records(family_ids) -> dict[str, list[int]]:
    """Every row of these families' that the audit log names, by the object_type it names it
    with: the family itself, its episodes, people, sessions, ratings, alert notes and links.
    The "who viewed this child" page, subject access and the purge all read a family's trail
    through this one list, so a new kind of family record is added here once."""
    families = Family.objects.filter(pk__in=family_ids)
    people = Person.objects.filter(family__in=families)
    sessions = Session.objects.filter(family__in=families)
    found = {
        "family": families,
        "episode": Episode.objects.filter(family__in=families),
        "person": people,
        "session": sessions,
        "administration": Administration.objects.filter(session__in=sessions),
        "alertacknowledgement": AlertAcknowledgement.objects.filter(person__in=people),
        "feedbacklink": FeedbackLink.objects.filter(session__in=sessions),
    }
    return {kind: list(rows.values_list("pk", flat=True)) for kind, rows in found.items()}


def trail_filter(records: dict[str, list[int]]) -> Q:
    """The audit entries about any of these records (family_records' shape)."""
    match = Q(pk__in=[])
    for kind, ids in records.items():
        if ids:
            match |= Q(object_type=kind, object_id__in=ids)
    return match



def person_records(person: Person) -> dict[str, list[int]]:
    """A person's own rows that the audit log names (family_records' shape): their details,
    ratings, alert notes and links; not the sessions they shared with the family."""
    return {
        "person": [person.pk],
        "administration": list(person.administrations.values_list("pk", flat=True)),
        "alertacknowledgement": list(person.acknowledgements.values_list("pk", flat=True)),
        "feedbacklink": list(person.feedback_links.values_list("pk", flat=True)),
    }


def family_trail(family: Family, person: Person | None = None) -> QuerySet[AuditEntry]:
    """Every view and change of the family's records (or of one person's), newest first."""
    records = person_records(person) if person else family_records([family.pk])
    # Each line names its actor's roles: fetched for the page at once, not a query a line.
    return (AuditEntry.objects.filter(trail_filter(records)).select_related("actor")
            .prefetch_related("actor__role_grants"))


def trail_subjects(entries) -> dict[tuple[str, int], object]:
    """The records these entries are about, by (object_type, object_id), with what a label of
    each needs: one query per kind on the page, however long the trail. A record since removed
    is simply not there."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    kinds = {
        "family": Family.objects.all(),
        "episode": Episode.objects.all(),
        "person": Person.objects.all(),
        "session": Session.objects.all(),
        "administration": Administration.objects.select_related("person", "session"),
        "alertacknowledgement": AlertAcknowledgement.objects.select_related("person"),
        "feedbacklink": FeedbackLink.objects.select_related("person", "session"),
    }
    return {(kind, row.pk): row for kind, rows in kinds.items() if wanted.get(kind)
            for row in rows.filter(pk__in=wanted[kind])}
