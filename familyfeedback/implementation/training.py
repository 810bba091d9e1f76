"""Who counts as trained, and Table 3.2 (practitioners by role: trained, using the tools).
Pure functions over plain rows, so the register here and a package's training.csv agree."""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

# A practitioner's role (accounts.JobTitle's values) as the pilot report's Table 3.2 lists them:
# the order of that table here and of the roles an evaluation package may name.
ROLES = ("senior_fsw", "fsw", "senior_practitioner", "team_manager", "other")


@dataclass(frozen=True)
class Attended:
    person: Hashable
    kind: str  # part_1, part_2 or mop_up
    attended: bool


def trained(register: Iterable[Attended]) -> set:
    """People who attended part 1 and part 2, at the planned events or at a mop-up, which covers
    both parts."""
    parts: dict[Hashable, set[str]] = {}
    for row in register:
        if row.attended:
            parts.setdefault(row.person, set()).add(row.kind)
    return {person for person, kinds in parts.items()
            if "mop_up" in kinds or {"part_1", "part_2"} <= kinds}


def by_role(practitioners: Iterable[tuple[Hashable, str]], trained_people: set,
            users: set) -> list[dict]:
    """For each role: practitioners, how many attended the training, how many used the tools."""
    rows: dict[str, dict] = {}
    for person, role in practitioners:
        row = rows.setdefault(role, {"role": role, "practitioners": 0, "attended": 0,
                                     "used_tools": 0})
        row["practitioners"] += 1
        row["attended"] += person in trained_people
        row["used_tools"] += person in users
    return [rows[r] for r in sorted(rows, key=lambda r: (ROLES.index(r) if r in ROLES
                                                          else len(ROLES), r))]
