"""Made-up ORS/SRS ratings that follow a pattern (improving, flat, getting worse, a low session
rating), for the demo service and the benchmarks' services (bench/data.py). One generator; each
caller names its shape, because they want different ones on purpose: the demo shows every kind
of family a practitioner meets, the alerts benchmark follows published outcome rates
(docs/decisions/0013-alert-tiers.md).

Pure: it gives an administration's field values, and the caller makes the row, so the
benchmarks can use it before Django is set up.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from familyfeedback import measures


@dataclass(frozen=True)
class Shape:
    # ORS points gained each session, by the family's pattern; any other pattern gains 0.1.
    slopes: dict[str, float]
    # The share of forms not administered, and the (reason, reason_detail) of each.
    not_administered: float
    reason: Callable[[random.Random], tuple[str, str]]
    # The range of a low session rating's total (a good one is 37.5 to 40).
    low_session_total: tuple[float, float]


def rating(rng: random.Random, shape: Shape, tool: str, age: int, pattern: str,
           low_session: bool, level: float, number: int) -> dict:
    """The field values of one administration (without its session and person), the person
    being age and this their number-th session, whose outcome ratings started about level."""
    measure = measures.measure_for(tool, age)
    fields = {"age": age, "tool": tool, "measure": measure.code, "status": "completed"}
    if rng.random() < shape.not_administered:
        reason, detail = shape.reason(rng)
        return {**fields, "status": "not_administered", "reason": reason,
                "reason_detail": detail}
    if measure.kind == "faces":
        return {**fields, "face": rng.choice(measure.face_keys)}
    if tool == "ORS":
        slope = shape.slopes.get(pattern, 0.1)
        items = split(rng, level + slope * (number - 1) + rng.gauss(0, 2), spread=1.2)
    elif low_session:
        items = split(rng, rng.uniform(*shape.low_session_total), spread=1.2)
    else:
        # Session ratings sit near the top of the scale for most families, as in published
        # samples: an occasional item under 9 is the signal worth noticing, not the rule.
        items = split(rng, rng.uniform(37.5, 40), spread=0.35)
    return {**fields, **items, "total": measures.total(measure, items)}


def split(rng: random.Random, target: float, spread: float) -> dict[str, Decimal]:
    """Four item marks (0.0-10.0) adding up to about the target total."""
    share = max(0.0, min(10.0, target / 4))
    return {f"item_{i}": Decimal(str(round(max(0.0, min(10.0, share + rng.gauss(0, spread))), 1)))
            for i in range(1, 5)}
