"""How many of each thing a run did: an import's new, changed and unchanged families, a reminder
run's emails sent and passed over. One shape for every such count; each run names its own."""

from collections import Counter
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass
class Tally:
    """Counts by name, of the names the subclass declares in KINDS: a misspelt name is an error
    where it is counted or read, not a count that stays 0."""

    KINDS: ClassVar[frozenset[str]] = frozenset()
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._check(*self.counts)

    def add(self, kind: str, by: int = 1) -> None:
        self._check(kind)
        self.counts[kind] += by

    def __getitem__(self, kind: str) -> int:
        self._check(kind)
        return self.counts[kind]

    def _check(self, *kinds: str) -> None:
        unknown = set(kinds) - self.KINDS
        if unknown:
            raise KeyError(f"{type(self).__name__} does not count {sorted(unknown)}")
