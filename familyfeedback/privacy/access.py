"""Who may reach the privacy pages: administrators, who answer the family's requests to correct
or erase their records and set legal holds. They reach every family, but only here: the family's
own casework pages stay their team's (docs/decisions/0003). Anyone else is told there is no such
page."""

from django.shortcuts import get_object_or_404

from familyfeedback.accounts.access import require_administrator
from familyfeedback.accounts.models import User
from familyfeedback.casework.models import Family, Person


def get_family_for(user: User, family_id: int) -> Family:
    require_administrator(user)
    return get_object_or_404(Family.objects.select_related("team", "key_worker"), pk=family_id)


def get_person_for(user: User, person_id: int) -> Person:
    require_administrator(user)
    return get_object_or_404(Person.objects.select_related("family", "family__team"),
                             pk=person_id)
