"""The family picture's discrepancies: where family members' outcome ratings are far apart, or one
moves against the others. Pure functions over plain ratings.

What they find is a prompt for a conversation with the whole family (the seed report's best use of
the tools: seeing "discrepancies in how families were feeling"), never an alert about a person.
Only measures with a total on the 0-40 scale take part: a young child's faces have no total to
compare, so a member on a faces measure is left out and named as left out."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from .registry import get
from .thresholds import reliable_change_for

# How far apart, on the 0-40 total, the highest and lowest ratings at one session must be to be
# worth saying: a service setting (FF_FAMILY_SPREAD). Ten points is the example, twice the
# adult ORS's reliable change, so it is more than one person's measurement error.
DEFAULT_SPREAD = Decimal("10")


@dataclass(frozen=True)
class Rating:
    """One completed outcome rating. `session` orders and tells apart two sessions on one day
    (the session's id); ratings are compared at the same session."""

    on: date
    total: Decimal
    session: int = 0


@dataclass(frozen=True)
class Member:
    """A family member and their outcome ratings on one measure, oldest first."""

    key: Hashable
    name: str
    measure: str
    ratings: tuple[Rating, ...]

    def __hash__(self) -> int:
        # Members key the ratings at a session: the dataclass's own hash would hash all of a
        # member's ratings each time. Equal members have equal keys, so this agrees with ==.
        return hash((self.key, self.measure))


@dataclass(frozen=True)
class Spread:
    """The ratings at the latest session where two or more people rated."""

    on: date
    highest: Decimal
    lowest: Decimal
    high: tuple[Member, ...]  # everyone who gave the highest rating
    low: tuple[Member, ...]  # everyone who gave the lowest
    rated: tuple[Member, ...]
    wide: bool  # at least the configured spread apart

    @property
    def apart(self) -> Decimal:
        return self.highest - self.lowest


@dataclass(frozen=True)
class Against:
    """At that session, one person's change since their previous rating was reliable one way,
    while everyone else's went the other way."""

    on: date
    mover: Member
    change: Decimal  # signed: latest minus previous
    direction: Literal["up", "down"]
    others: tuple[tuple[Member, Decimal], ...]  # each other member and their signed change


@dataclass(frozen=True)
class Discrepancies:
    spread: Spread | None  # None until two people have rated at one session
    against: Against | None
    left_out: tuple[Member, ...]  # on a faces measure: no total to compare


def _session(rating: Rating) -> tuple[date, int]:
    return (rating.on, rating.session)


def discrepancies(members: Sequence[Member], *, spread: Decimal = DEFAULT_SPREAD,
                  standard: str = "common") -> Discrepancies:
    """spread: how many points apart the highest and lowest rating must be (at least) to be wide.
    standard: which reliable-change values say a person's change is reliable (thresholds.py)."""
    if spread <= 0:
        raise ValueError("The family spread must be more than zero points.")
    left_out = tuple(m for m in members if get(m.measure).is_faces)
    rating = [m for m in members if m not in left_out and m.ratings]
    # Each session's ratings by the member's place in the list: a family seen for years has
    # hundreds of sessions, and hashing a Member for every rating was most of this function.
    by_session: dict[tuple, dict[int, Rating]] = {}
    for n, member in enumerate(rating):
        for r in member.ratings:
            by_session.setdefault((r.on, r.session), {})[n] = r
    latest = max((k for k, who in by_session.items() if len(who) >= 2), default=None)
    if latest is None:
        return Discrepancies(spread=None, against=None, left_out=left_out)
    at = {rating[n]: r for n, r in by_session[latest].items()}
    return Discrepancies(spread=_spread(latest[0], at, spread),
                         against=_against(latest, at, standard), left_out=left_out)


def _spread(on: date, at: dict[Member, Rating], wide: Decimal) -> Spread:
    highest = max(r.total for r in at.values())
    lowest = min(r.total for r in at.values())
    return Spread(
        on=on, highest=highest, lowest=lowest,
        high=tuple(m for m, r in at.items() if r.total == highest),
        low=tuple(m for m, r in at.items() if r.total == lowest),
        rated=tuple(at), wide=highest - lowest >= wide,
    )


def _previous(member: Member, before: tuple) -> Rating | None:
    earlier = [r for r in member.ratings if _session(r) < before]
    return max(earlier, key=_session, default=None)


def _against(latest: tuple, at: dict[Member, Rating], standard: str) -> Against | None:
    changes = {}
    for member, now in at.items():
        before = _previous(member, latest)
        if before is not None:
            changes[member] = now.total - before.total
    if len(changes) < 2:
        return None
    found = []
    for member, change in changes.items():
        rc = reliable_change_for(get(member.measure), standard)
        if rc is None or abs(change) < rc.value:
            continue
        others = [(m, c) for m, c in changes.items() if m is not member]
        # Everyone else went the other way: not still, not the same way, however little.
        if all(c * change < 0 for _, c in others):
            found.append(Against(on=latest[0], mover=member, change=change,
                                 direction="up" if change > 0 else "down",
                                 others=tuple(others)))
    # Two people who each changed reliably, in opposite directions, both "move against" the
    # other: the larger change is said, once.
    return max(found, key=lambda a: abs(a.change), default=None)
