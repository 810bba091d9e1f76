"""The alerts a practitioner sees: the pure rules of familyfeedback.measures applied to each
person's ratings in their current episode, less those already acknowledged, most urgent tier
first. The caseload, the dashboards and the emails list only the first two tiers (`listed`); the
family's page shows all three.

Those lists read each person's alerts as stored (`AlertState`, ADR 0025): `store` works them out
again in the transaction of every write that changes them, `stored` reads them, and
`differences` (the rebuild_alerts command) compares what is stored with what the rules say now."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from familyfeedback import measures
from familyfeedback.casework import queries, trajectories
from familyfeedback.casework.models import (
    AlertAcknowledgement,
    AlertState,
    Family,
    Person,
)
from familyfeedback.casework.queries import Rating
from familyfeedback.casework.trajectories import Curves, expected_low_at

# Short names for the caseload, where the full reason would not fit.
TITLES = {
    measures.AlertCode.RELIABLE_DETERIORATION: "Got worse",
    measures.AlertCode.NO_RELIABLE_IMPROVEMENT: "No improvement yet",
    measures.AlertCode.BELOW_EXPECTED: "Below the expected range",
    measures.AlertCode.INTAKE_ABOVE_CUTOFF: "Started above the cut-off",
    measures.AlertCode.LOW_SESSION_TOTAL: "Low session rating",
    measures.AlertCode.LOW_SESSION_ITEM: "Part of the session rated low",
    measures.AlertCode.SESSION_RATING_DROPPED: "Session rating fell",
}


@dataclass(frozen=True)
class PersonAlert:
    person: Person
    alert: measures.Alert

    @property
    def title(self) -> str:
        return TITLES[self.alert.code]

    @property
    def tier(self) -> measures.Tier:
        return self.alert.tier

    @property
    def anchor(self) -> str:
        tool = "srs" if self.alert.code.about_session else "ors"
        return f"#{tool}-{self.person.pk}"


def scores(records: list[Rating], tool: str) -> list[measures.Score]:
    found = [r for r in records if r.tool == tool and r.rated]
    # Only the latest session rating's items are read (one low item raises an alert), and only
    # its items are loaded (Rating.latest_items).
    return [measures.Score(r.session_date, r.measure, r.total,
                           r.items() if tool == "SRS" and r is found[-1] else {})
            for r in found]


def person_alerts(person: Person, records: list[Rating], today: date,
                  curves: Curves) -> list[measures.Alert]:
    """Every alert the person's records raise, oldest rule first. records: this episode's,
    oldest first, each with session_date."""
    outcome = scores(records, "ORS")
    alerts: list[measures.Alert] = []
    if outcome:
        measure = measures.get(outcome[-1].measure)
        # The baseline is the first score of the latest measure: a child who turned 13 starts
        # again on the ORS, whose numbers mean something else.
        outcome = [s for s in outcome if s.measure == measure.code]
        age = measures.age_on(person.date_of_birth, today)
        cutoff = measures.cutoff_for(measure, age)
        rc = measures.reliable_change_for(measure, settings.RELIABLE_CHANGE_STANDARD)
        low = expected_low_at(curves, measure.code, outcome[0].total, len(outcome))
        alerts += measures.outcome_alerts(
            outcome, cutoff=cutoff.value if cutoff else None, rci=rc.value if rc else None,
            review_after=settings.ALERT_REVIEW_AFTER,
            expected_low=Decimal(str(round(low, 1))) if low is not None else None,
        )
    alerts += measures.session_alerts(scores(records, "SRS"), drop=settings.ALERT_SESSION_DROP)
    return alerts


def outstanding(people: list[Person], by_person: dict[int, list[Rating]], today: date,
                curves: Curves) -> list[PersonAlert]:
    """Alerts not yet acknowledged for these people, given their current episodes' records by
    person (queries.by_person), by tier (then by person, in the order given), worked out by the
    rules now: what kept() must give from the store (the tests and bench/alerts.py compare)."""
    done = set(AlertAcknowledgement.objects.filter(person__in=[p.pk for p in people])
               .values_list("person_id", "code", "fired_on"))
    return measures.by_tier(
        PersonAlert(person, alert)
        for person in people
        for alert in person_alerts(person, by_person.get(person.pk, []), today, curves)
        if (person.pk, alert.code.value, alert.on) not in done
    )


def listed(items: list[PersonAlert]) -> list[PersonAlert]:
    """The alerts lists show: act now and talk about it. The rest stay on the person's page."""
    return [item for item in items if item.tier.listed]


@dataclass(frozen=True)
class CaseloadLine:
    """One person's listed alerts on a caseload: their most urgent tier and the titles."""

    person: Person
    tier: measures.Tier
    titles: str


def for_caseload(items: list[PersonAlert]) -> dict[int, list[CaseloadLine]]:
    """family id -> one line per person ("got worse, low session rating"), so a session rating
    that is low on three counts reads as one thing to talk about; the most urgent person first.
    items: ordered by tier, as outstanding() returns them."""
    by_family: dict[int, dict[int, tuple[Person, measures.Tier, list[str]]]] = {}
    for item in listed(items):
        people = by_family.setdefault(item.person.family_id, {})
        people.setdefault(item.person.pk, (item.person, item.tier, []))[2].append(
            item.title.lower())
    return {family_id: [CaseloadLine(person, tier, ", ".join(titles))
                        for person, tier, titles in people.values()]
            for family_id, people in by_family.items()}


# Stored alerts (ADR 0025) ---------------------------------------------------------------------

# The rows a list shows: a person with something in the first two tiers.
LISTED = Q(act_now__gt=0) | Q(talk_about_it__gt=0)
# Families worked out at once: bounded, so that a whole service's rebuild stays in memory.
BATCH = 500
STORED_FIELDS = ["family", "act_now", "talk_about_it", "for_the_record", "alerts", "changes_on"]


def cutoff_changes_on(person: Person, measure: measures.Measure, today: date) -> date | None:
    """The next birthday on which this person's cut-off for the measure changes, or None."""
    age = measures.age_on(person.date_of_birth, today)
    edges = {c.min_age for c in measure.cutoffs} | {
        c.max_age + 1 for c in measure.cutoffs if c.max_age is not None}
    later = sorted(edge for edge in edges if edge > age)
    return measures.turns(person.date_of_birth, later[0]) if later else None


def state_of(person: Person, records: list[Rating], today: date, curves: Curves,
             done: set[tuple[str, date]]) -> AlertState:
    """The person's row as the rules say it should be now: their outstanding alerts, counted by
    tier. records: their current open episode's, oldest first (none once support has closed)."""
    raised = [a for a in person_alerts(person, records, today, curves)
              if (a.code.value, a.on) not in done]
    tiers = {tier: sum(a.tier is tier for a in raised) for tier in measures.Tier}
    outcome = scores(records, "ORS")
    return AlertState(
        person_id=person.pk, family_id=person.family_id,
        act_now=tiers[measures.Tier.ACT_NOW], talk_about_it=tiers[measures.Tier.TALK_ABOUT_IT],
        for_the_record=tiers[measures.Tier.FOR_THE_RECORD],
        alerts=[{"code": a.code.value, "on": a.on.isoformat(), "reason": a.reason}
                for a in raised],
        changes_on=cutoff_changes_on(person, measures.get(outcome[-1].measure), today)
        if outcome else None,
    )


def worked_out(family_ids: list[int], today: date, curves: Curves) -> list[AlertState]:
    """Every person of these families, as state_of works them out (unsaved)."""
    people = list(Person.objects.filter(family_id__in=family_ids).order_by("pk"))
    by_person = queries.by_person(queries.open_episode_records(family_ids))
    done: dict[int, set[tuple[str, date]]] = defaultdict(set)
    for person_id, code, fired_on in AlertAcknowledgement.objects.filter(
            person__family_id__in=family_ids).values_list("person_id", "code", "fired_on"):
        done[person_id].add((code, fired_on))
    return [state_of(person, by_person.get(person.pk, []), today, curves, done[person.pk])
            for person in people]


def _batches(family_ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(set(family_ids))
    for start in range(0, len(ids), BATCH):
        yield ids[start:start + BATCH]


def store(family_ids: Iterable[int], *, today: date | None = None,
          curves: Curves | None = None) -> None:
    """Work out the alerts of everyone in these families again and keep them. Every write that
    changes what a person's alerts could be calls this inside its own transaction, so that what
    the lists read is never older than the scores. Locks the families' rows."""
    today = today or timezone.localdate()
    curves = curves or trajectories.latest()
    for batch in _batches(family_ids):
        # Two writes to one family at once (PostgreSQL): the second waits here for the first to
        # commit and then reads both's scores, so neither's is left out of what is stored. NO
        # KEY: a write's new session already holds a KEY SHARE lock on its family, which a
        # plain FOR UPDATE would wait on, deadlocking two recordings.
        list(Family.objects.select_for_update(no_key=True).filter(pk__in=batch).order_by("pk")
             .values_list("pk", flat=True))
        AlertState.objects.bulk_create(worked_out(batch, today, curves), update_conflicts=True,
                                       unique_fields=["person"], update_fields=STORED_FIELDS)


def store_everyone(today: date | None = None) -> None:
    """Every family's, as after a new trajectory fit (or a change of the alert settings)."""
    store(Family.objects.values_list("pk", flat=True), today=today)


def current(rows, today: date | None = None, *, listed: bool = True) -> list[AlertState]:
    """The rows of a query of AlertState, as of today (only those with something listed, unless
    listed=False): a row whose cut-off changed on a birthday since it was stored (rare: an
    adolescent turning 18) is stored again first."""
    today = today or timezone.localdate()
    found = list(rows.filter(LISTED | Q(changes_on__lte=today)) if listed else rows)
    due = {row.family_id for row in found if row.changes_on and row.changes_on <= today}
    if due:
        with transaction.atomic():
            store(due, today=today)
        found = list(rows.filter(LISTED) if listed else rows)
    return [row for row in found if row.act_now or row.talk_about_it or not listed]


def alerts_of(row: AlertState) -> list[measures.Alert]:
    return [measures.Alert(measures.AlertCode(a["code"]), a["reason"], date.fromisoformat(a["on"]))
            for a in row.alerts]


def kept(people: list[Person], today: date | None = None, *,
         listed: bool = False) -> list[PersonAlert]:
    """These people's alerts as stored, by tier and then by person in the order given, read with
    one indexed query: every tier, as outstanding() gives them (the family page), or only the
    listed ones, as listed(outstanding()) does (the caseload and the supervision page)."""
    rows = {row.person_id: row for row in current(
        AlertState.objects.filter(person__in=[person.pk for person in people]), today,
        listed=listed)}
    return measures.by_tier(
        PersonAlert(person, alert) for person in people if person.pk in rows
        for alert in alerts_of(rows[person.pk]) if alert.tier.listed or not listed)


def stored(families: list[Family], today: date | None = None) -> list[PersonAlert]:
    """The listed alerts of these families' people (prefetched, as queries.caseload has them)."""
    return kept([person for family in families for person in family.people.all()], today,
                listed=True)


def described(row: AlertState | None) -> str:
    if row is None:
        return "nothing stored"
    found = alerts_of(row)
    if not found:
        return "no alerts"
    return "; ".join(f"{TITLES[a.code].lower()} (raised on {a.on:%-d %B %Y})" for a in found)


def _stored_values(row: AlertState) -> tuple:
    return tuple(getattr(row, AlertState._meta.get_field(name).attname) for name in STORED_FIELDS)


def differences(*, fix: bool = False, today: date | None = None) -> list[str]:
    """Each person whose stored alerts differ from what the rules say now, in plain English (by
    id: nothing that names them); with fix, each is stored as the rules say."""
    today = today or timezone.localdate()
    curves = trajectories.latest()
    found = []
    for batch in _batches(Family.objects.values_list("pk", flat=True)):
        expected = worked_out(batch, today, curves)
        kept = {row.person_id: row for row in AlertState.objects.filter(family__in=batch)}
        wrong = []
        for row in expected:
            was = kept.get(row.person_id)
            if was is not None and _stored_values(was) == _stored_values(row):
                continue
            wrong.append(row)
            if was is not None and alerts_of(was) == alerts_of(row):
                what = (f"its stored details are out of date (counts, family or the birthday "
                        f"its cut-off changes on: {was.changes_on} stored, {row.changes_on} now)")
            else:
                what = f"stored: {described(was)}; the rules say now: {described(row)}"
            found.append(f"Person {row.person_id} (family {row.family_id}): {what}.")
        if fix and wrong:
            AlertState.objects.bulk_create(wrong, update_conflicts=True, unique_fields=["person"],
                                           update_fields=STORED_FIELDS)
    return found
