"""When the tools are due, by the service's chosen rule. Pure functions over a person's visits
in an episode; the pages ask `due_at` for the record-session page and `overdue_since` for the
overdue list. Not administering with a reason counts as rated: it is never overdue."""

from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("every_session", "first_and_last", "every_weeks", "taf_reviews")
# How long past the due date before a time-based rating is listed as overdue: a visit may simply
# fall a few days later than the calendar says.
GRACE = timedelta(days=7)


@dataclass(frozen=True)
class Schedule:
    kind: str
    weeks: int | None = None

    def describe(self) -> str:
        return {
            "every_session": "at every session",
            "first_and_last": "at the first and last session of support",
            "every_weeks": f"every {self.weeks} weeks",
            "taf_reviews": "at the first session and at Team Around the Family reviews",
        }[self.kind]


def parse(text: str) -> Schedule:
    """"every_session", "first_and_last", "taf_reviews" or "every_weeks:N"."""
    kind, _, weeks = text.partition(":")
    if kind not in KINDS:
        raise ValueError(f"{text!r} is not a schedule: use one of {', '.join(KINDS)}")
    if kind == "every_weeks":
        if not weeks.isdigit() or int(weeks) < 1:
            raise ValueError("every_weeks needs a number of weeks, like every_weeks:4")
        return Schedule(kind, int(weeks))
    if weeks:
        raise ValueError(f"{kind} takes no number")
    return Schedule(kind)


@dataclass(frozen=True)
class Visit:
    """A session the person was at: its date, kind, and whether they were rated (completed, or
    not administered with a reason)."""

    on: date
    kind: str
    rated: bool


def due_at(schedule: Schedule, before: list[Visit], on: date, session_kind: str) -> bool:
    """Is the outcome rating due at a session on `on`, given the person's earlier visits in
    the episode (oldest first)?"""
    rated = [v.on for v in before if v.rated]
    if not rated or schedule.kind == "every_session":
        return True
    if schedule.kind == "every_weeks":
        return on - rated[-1] >= timedelta(weeks=schedule.weeks)
    if schedule.kind == "taf_reviews":
        return session_kind == "taf"
    return False  # first_and_last: the last session is known only when support closes


def overdue_since(schedule: Schedule, visits: list[Visit], today: date,
                  episode_start: date) -> date | None:
    """The date the rating fell due and was missed, or None. A visit where it was due and
    nothing was recorded is missed; so is a time-based rating more than a week past due."""
    for index, visit in enumerate(visits):
        if not visit.rated and due_at(schedule, visits[:index], visit.on, visit.kind):
            return visit.on
    if schedule.kind == "every_weeks" and visits:
        rated = [v.on for v in visits if v.rated]
        due = (rated[-1] if rated else episode_start) + timedelta(weeks=schedule.weeks)
        if today > due + GRACE:
            return due
    return None
