"""The alerts a practitioner sees: the pure rules of familyfeedback.measures applied to each
person's ratings in their current episode, less those already acknowledged, most urgent tier
first. The caseload, the dashboards and the emails list only the first two tiers (`listed`); the
family's page shows all three."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from familyfeedback import measures
from familyfeedback.casework.models import Administration, AlertAcknowledgement, Person
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


def scores(records: list[Administration], tool: str) -> list[measures.Score]:
    rated = [r for r in records
             if r.tool == tool and r.status == Administration.Status.COMPLETED
             and r.total is not None]
    # Only the latest session rating's items are read (one low item raises an alert); building
    # them for every record was a fifth of a service-wide run.
    return [measures.Score(r.session_date, r.measure, r.total,
                           r.items() if tool == "SRS" and r is rated[-1] else {})
            for r in rated]


def person_alerts(person: Person, records: list[Administration], today: date,
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


def outstanding(people: list[Person], records: list[Administration], today: date,
                curves: Curves) -> list[PersonAlert]:
    """Alerts not yet acknowledged for these people, given their current episodes' records, by
    tier (then by person, in the order given)."""
    by_person: dict[int, list[Administration]] = defaultdict(list)
    for record in records:
        by_person[record.person_id].append(record)
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
