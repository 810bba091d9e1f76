"""Reads the administration pages need, over what accounts.access has already allowed."""

from django.db.models import F, Prefetch, Q, QuerySet

from familyfeedback.accounts.models import Membership, Role, Team, User


def people(*, q: str = "", team: Team | None = None, role: str = "", **_) -> QuerySet[User]:
    """The service's accounts by name, filtered by a search of name or email, a current team
    and a role; with their roles and current memberships read in two more queries."""
    found = User.objects.all()
    if q := (q or "").strip():
        found = found.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if team is not None:
        found = found.filter(pk__in=Membership.objects.current().filter(team=team)
                             .values("user"))
    if role:
        found = found.filter(role_grants__role=role)
    return found.order_by("full_name", "email").prefetch_related("role_grants", current_teams())


def current_teams() -> Prefetch:
    return Prefetch("memberships", to_attr="current_memberships",
                    queryset=Membership.objects.current().select_related("team")
                    .order_by("team__name"))


def memberships_of(person: User) -> list[Membership]:
    """Every membership the person has had, the current ones first."""
    return list(Membership.objects.filter(user=person).select_related("team")
                .order_by(F("ended_on").desc(nulls_first=True), "team__name"))


def teams() -> QuerySet[Team]:
    """The teams in use, each with its current managers and the number of people in it now."""
    return Team.objects.active().prefetch_related(Prefetch(
        "memberships", to_attr="current_memberships",
        queryset=Membership.objects.current().select_related("user").order_by("user__full_name")))


def possible_managers() -> QuerySet[User]:
    """Who may be made a team's manager: the active people with the team manager role."""
    return (User.objects.filter(is_active=True, role_grants__role=Role.TEAM_MANAGER)
            .order_by("full_name", "email"))


def current_memberships(team: Team) -> list[Membership]:
    """Who is in the team now, managers first, by name."""
    return list(Membership.objects.current().filter(team=team).select_related("user")
                .order_by("kind", "user__full_name"))
