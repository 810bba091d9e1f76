"""The administration pages' wording: a person's status, roles and teams as the lists show them."""

from django.utils import timezone

from familyfeedback.accounts import invitations
from familyfeedback.accounts.models import Membership, User


def status(person: User) -> str:
    if not person.is_active:
        return "Switched off"
    if person.has_usable_password():
        return "Active"
    expires = invitations.expires_on(person)
    if expires is not None and expires < timezone.localdate():
        return "Invited (link expired)"
    return "Invited"


def team_names(memberships: list[Membership]) -> str:
    return ", ".join(f"{m.team.name} (manager)" if m.kind == Membership.Kind.MANAGER
                     else m.team.name for m in memberships) or "None"


def person_row(person: User) -> dict:
    """One line of the people list (roles and current memberships prefetched)."""
    return {"person": person, "status": status(person),
            "roles": person.roles_described,
            "teams": team_names(person.current_memberships)}


def membership_row(membership: Membership) -> dict:
    return {"membership": membership, "team": membership.team.name,
            "kind": membership.get_kind_display(), "started_on": membership.started_on,
            "ended_on": membership.ended_on, "current": membership.ended_on is None}
