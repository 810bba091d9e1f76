"""Choices for a model field, declared as one table of (stored value, label) pairs.

Each member is named after its value in capitals (team_manager is Role.TEAM_MANAGER), so the
table says each value once and a member's name cannot drift from the value stored."""

import sys

from django.db import models


def choices(qualname: str, table: list[tuple[str, str]]) -> type[models.TextChoices]:
    """The TextChoices class of this table. qualname is its name where it is declared
    ("Session.Kind" inside Session), so that it pickles and prints as a class written out by
    hand would; like namedtuple, it takes its module from the caller."""
    members = [(value.upper(), (value, label)) for value, label in table]
    return models.TextChoices(qualname.rpartition(".")[2], members,
                              module=sys._getframe(1).f_globals["__name__"], qualname=qualname)
