"""What a person's scores in an episode say, and the alerts that tell a practitioner to have a
different conversation. Pure functions over plain scores, shared by the pages and score_file.

Each rule has a tier (docs/decisions/0013-alert-tiers.md): when every rule fired on everyone, the
caseload pointed at no one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol, TypeVar

from .change import ChangeClass, classify_change, clinically_significant
from .model import Measure
from .registry import get

# How many completed outcome ratings without reliable improvement before it is raised (a service
# setting; three is where feedback-informed practice suggests reviewing the plan).
DEFAULT_REVIEW_AFTER = 3
# How far the session rating must fall from the one before to be raised: OpenFIT's published rule
# (a drop of 1 point or more). Smaller dips are how people mark a line, not a message.
DEFAULT_SESSION_DROP = Decimal("1")


class Tier(StrEnum):
    """How soon an alert needs the practitioner, most urgent first."""

    ACT_NOW = "act_now"
    TALK_ABOUT_IT = "talk_about_it"
    FOR_THE_RECORD = "for_the_record"

    @property
    def rank(self) -> int:
        return list(Tier).index(self)

    @property
    def label(self) -> str:
        return {"act_now": "Act now", "talk_about_it": "Talk about it",
                "for_the_record": "For the record"}[self.value]

    @property
    def listed(self) -> bool:
        """Shown on the caseload and the dashboards; the last tier only on the person's page."""
        return self is not Tier.FOR_THE_RECORD


class AlertCode(StrEnum):
    RELIABLE_DETERIORATION = "reliable_deterioration"
    NO_RELIABLE_IMPROVEMENT = "no_reliable_improvement"
    BELOW_EXPECTED = "below_expected"
    INTAKE_ABOVE_CUTOFF = "intake_above_cutoff"
    LOW_SESSION_TOTAL = "low_session_total"
    LOW_SESSION_ITEM = "low_session_item"
    SESSION_RATING_DROPPED = "session_rating_dropped"

    @property
    def about_session(self) -> bool:
        """Raised by the session rating (SRS), not the outcome rating (ORS)."""
        return self in (AlertCode.LOW_SESSION_TOTAL, AlertCode.LOW_SESSION_ITEM,
                        AlertCode.SESSION_RATING_DROPPED)

    @property
    def tier(self) -> Tier:
        return TIERS[self]


TIERS = {
    # Worse than chance, or worse than people who started in the same place: do something now.
    AlertCode.RELIABLE_DETERIORATION: Tier.ACT_NOW,
    AlertCode.BELOW_EXPECTED: Tier.ACT_NOW,
    # Not on track, or the session did not fit: raise it at the next visit.
    AlertCode.NO_RELIABLE_IMPROVEMENT: Tier.TALK_ABOUT_IT,
    AlertCode.LOW_SESSION_TOTAL: Tier.TALK_ABOUT_IT,
    # Worth knowing, too common or too small to direct the next conversation.
    AlertCode.INTAKE_ABOVE_CUTOFF: Tier.FOR_THE_RECORD,
    AlertCode.LOW_SESSION_ITEM: Tier.FOR_THE_RECORD,
    AlertCode.SESSION_RATING_DROPPED: Tier.FOR_THE_RECORD,
}


@dataclass(frozen=True)
class Score:
    """One completed rating: its date, measure, total and (for lines measures) items."""

    on: date
    measure: str
    total: Decimal | None
    items: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Alert:
    code: AlertCode
    reason: str
    on: date

    @property
    def tier(self) -> Tier:
        return self.code.tier


class Tiered(Protocol):
    @property
    def tier(self) -> Tier: ...


T = TypeVar("T", bound=Tiered)


def by_tier(items: Iterable[T]) -> list[T]:
    """Most urgent tier first; within a tier, the order given (sorted() is stable)."""
    return sorted(items, key=lambda item: item.tier.rank)


@dataclass(frozen=True)
class Summary:
    """First and latest completed score of one tool in an episode, and what the change means."""

    measure: str
    completed: int
    first: Score
    latest: Score
    change: Decimal | None
    change_class: ChangeClass | None
    clinically_significant: bool | None


def summarise(scores: Sequence[Score], *, cutoff: Decimal | None,
              rci: Decimal | None) -> Summary | None:
    """None when nothing was completed. Change is classified only with two or more totals and a
    reliable-change value (faces and session ratings have none)."""
    if not scores:
        return None
    first, latest = scores[0], scores[-1]
    change = cls = significant = None
    if first.total is not None and latest.total is not None:
        change = latest.total - first.total
        if len(scores) > 1 and rci is not None:
            cls = classify_change(first.total, latest.total, rci)
            if cutoff is not None:
                significant = clinically_significant(first.total, latest.total, rci, cutoff)
    return Summary(measure=latest.measure, completed=len(scores), first=first, latest=latest,
                   change=change, change_class=cls, clinically_significant=significant)


def outcome_alerts(
    scores: Sequence[Score],
    *,
    cutoff: Decimal | None,
    rci: Decimal | None,
    review_after: int = DEFAULT_REVIEW_AFTER,
    expected_low: Decimal | None = None,
) -> list[Alert]:
    """Alerts from a person's outcome ratings (ORS/CORS) in one episode, oldest first.

    expected_low is the bottom of the expected-trajectory band at the latest session, when the
    service has fitted one."""
    totals = [s for s in scores if s.total is not None]
    if not totals:
        return []
    first, latest = totals[0], totals[-1]
    alerts = []
    if cutoff is not None and first.total >= cutoff:
        alerts.append(Alert(
            AlertCode.INTAKE_ABOVE_CUTOFF,
            f"Started at {first.total}, at or above the cut-off of {cutoff}: they may not need "
            "this kind of help. Check the score matches their story.",
            first.on,
        ))
    if rci is not None and len(totals) > 1:
        cls = classify_change(first.total, latest.total, rci)
        if cls is ChangeClass.DETERIORATED:
            alerts.append(Alert(
                AlertCode.RELIABLE_DETERIORATION,
                f"Down from {first.total} to {latest.total}: worse by at least {rci} points, "
                "more than chance. Talk about what has changed.",
                latest.on,
            ))
        elif (cls is not ChangeClass.IMPROVED and len(totals) >= review_after
              and (cutoff is None or first.total < cutoff)):
            # Someone who started above the cut-off has little room to improve reliably; their
            # start is raised (for the record), and their flat line is no news (ADR 0013).
            alerts.append(Alert(
                AlertCode.NO_RELIABLE_IMPROVEMENT,
                f"No reliable improvement after {len(totals)} ratings ({first.total} to "
                f"{latest.total}). Review the plan together.",
                latest.on,
            ))
    if expected_low is not None and latest.total < expected_low:
        alerts.append(Alert(
            AlertCode.BELOW_EXPECTED,
            f"{latest.total} is below what families starting here usually reach by now "
            f"(expected at least {expected_low}).",
            latest.on,
        ))
    return alerts


def session_alerts(scores: Sequence[Score], *, drop: Decimal = DEFAULT_SESSION_DROP
                   ) -> list[Alert]:
    """Alerts from the latest session rating (SRS/CSRS) against the one before: a total below the
    cut-off, any item below the item flag (one low item can hide behind a high total), or a fall
    of at least `drop` points."""
    rated = [s for s in scores if s.total is not None]
    if not rated:
        return []
    latest = rated[-1]
    measure: Measure = get(latest.measure)
    alerts = []
    cutoff = measure.cutoffs[0].value if measure.cutoffs else None
    if cutoff is not None and latest.total < cutoff:
        alerts.append(Alert(
            AlertCode.LOW_SESSION_TOTAL,
            f"Rated the last session {latest.total}, below {cutoff}: talk about how the "
            "session went.",
            latest.on,
        ))
    flag = measure.srs_item_flag_below
    low = [item for item in measure.items
           if flag is not None and latest.items.get(item.key) is not None
           and latest.items[item.key] < flag]
    if low:
        named = ", ".join(f"{item.label.lower()} {latest.items[item.key]}" for item in low)
        alerts.append(Alert(
            AlertCode.LOW_SESSION_ITEM,
            f"Rated part of the last session below {flag} ({named}): talk about how the "
            "session went.",
            latest.on,
        ))
    fell = rated[-2].total - latest.total if len(rated) > 1 else None
    if fell is not None and fell >= drop:
        alerts.append(Alert(
            AlertCode.SESSION_RATING_DROPPED,
            f"The session rating fell by {fell:.1f} points, from {rated[-2].total} to "
            f"{latest.total} (a fall of {points(drop)} or more is raised): ask what was "
            "different this time.",
            latest.on,
        ))
    return alerts


def points(amount: Decimal) -> str:
    """1 point, 1.5 points: the rule as a person would say it."""
    return f"{amount.normalize():f} point" + ("" if amount == 1 else "s")
