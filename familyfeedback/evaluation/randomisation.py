"""Allocating a trial's units (teams, or groups of teams) to arms, reproducibly.

The list is made once from a recorded seed: re-running the method with the same units and seed
gives the same list, and its hash lets anyone check that the list they hold is that one. Pure:
no Django, no clock, and Python's random.Random, whose sequence for a given seed is stable across
versions for the calls used here (shuffle of a list, documented as reproducible).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from dataclasses import dataclass

ARMS = ("intervention", "comparison")
METHODS = ("simple", "blocked", "stratified")


@dataclass(frozen=True)
class UnitSpec:
    unit_code: str
    size: int = 0  # practitioners, for stratifying by size
    stratum: str = ""


@dataclass(frozen=True)
class Allocation:
    method: str
    seed: int
    ratio: tuple[int, int]
    assignments: tuple[tuple[str, str], ...]  # (unit code, arm), sorted by unit code

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical list: method, seed, ratio and every assignment."""
        canonical = json.dumps({"method": self.method, "seed": self.seed,
                                "ratio": list(self.ratio),
                                "assignments": [list(a) for a in self.assignments]},
                               sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def _arms_for(count: int, ratio: tuple[int, int], rng: random.Random) -> list[str]:
    """Arms for `count` units in the ratio, as near as whole units allow; the unit left over
    when it does not divide goes to a random arm."""
    block = [ARMS[0]] * ratio[0] + [ARMS[1]] * ratio[1]
    arms = (block * (count // len(block) + 1))[:count]
    if count % len(block):
        # The remainder would otherwise always favour the first arm.
        tail = block[:]
        rng.shuffle(tail)
        arms = block * (count // len(block)) + tail[: count % len(block)]
    rng.shuffle(arms)
    return arms


def allocate(units: list[UnitSpec], *, method: str, seed: int,
             ratio: tuple[int, int] = (1, 1)) -> Allocation:
    """simple: the whole list shuffled into arms in the ratio. blocked: permuted blocks of one
    ratio's length, units taken in id order. stratified: balanced within each stratum (units of
    a similar size, say), strata in name order."""
    if method not in METHODS:
        raise ValueError(f"{method!r} is not a method: use one of {', '.join(METHODS)}")
    if len(units) < 2:
        raise ValueError("A trial needs at least two units to randomise")
    if len({u.unit_code for u in units}) != len(units):
        raise ValueError("Each unit may appear once")
    if min(ratio) < 1:
        raise ValueError("Each arm needs a share of at least 1 in the ratio")
    rng = random.Random(seed)
    ordered = sorted(units, key=lambda u: u.unit_code)
    assignments: list[tuple[str, str]] = []
    if method == "simple":
        arms = _arms_for(len(ordered), ratio, rng)
        assignments = [(u.unit_code, arm) for u, arm in zip(ordered, arms, strict=True)]
    elif method == "blocked":
        size = sum(ratio)
        for start in range(0, len(ordered), size):
            chunk = ordered[start:start + size]
            arms = _arms_for(len(chunk), ratio, rng)
            assignments += [(u.unit_code, arm) for u, arm in zip(chunk, arms, strict=True)]
    else:
        strata: dict[str, list[UnitSpec]] = defaultdict(list)
        for unit in ordered:
            strata[unit.stratum].append(unit)
        for name in sorted(strata):
            arms = _arms_for(len(strata[name]), ratio, rng)
            assignments += [(u.unit_code, arm) for u, arm in zip(strata[name], arms, strict=True)]
    return Allocation(method=method, seed=seed, ratio=ratio,
                      assignments=tuple(sorted(assignments)))


def size_strata(units: list[UnitSpec], bands: int = 2) -> list[UnitSpec]:
    """Units labelled "smaller"/"larger" (or by band number) by their size, for stratifying."""
    ranked = sorted(units, key=lambda u: (u.size, u.unit_code))
    labels = ["smaller", "larger"] if bands == 2 else [f"band {i + 1}" for i in range(bands)]
    per = -(-len(ranked) // bands)
    return [UnitSpec(u.unit_code, u.size, labels[i // per]) for i, u in enumerate(ranked)]
