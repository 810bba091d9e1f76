"""Who sees which teams' figures: a manager the teams they manage, the data team every team.
Anyone else is told there is no such page."""

from django.db.models import QuerySet
from django.http import Http404

from familyfeedback.accounts.models import CASEWORK_ROLES, Membership, Role, Team, User
from familyfeedback.implementation.models import Attendance, SupervisionNote, TrainingEvent


def dashboard_teams(user: User) -> QuerySet[Team]:
    if user.has_role(Role.DATA_TEAM):
        return Team.objects.all()
    if user.has_role(Role.TEAM_MANAGER):
        return Team.objects.filter(pk__in=Membership.objects.current().filter(
            user=user, kind=Membership.Kind.MANAGER).values("team"))
    raise Http404("No such page")


def require_manager(user: User) -> None:
    """Supervision is between a practitioner and their manager; the data team sees figures
    only."""
    if not user.has_role(Role.TEAM_MANAGER):
        raise Http404("No such page")


def get_team_member_for(user: User, practitioner_id: int) -> User:
    """A practitioner in one of the teams this manager manages (or any, for the data team)."""
    found = (User.objects.filter(pk=practitioner_id, pk__in=_members_of(dashboard_teams(user)))
             .first())
    if found is None:
        raise Http404("No such practitioner")
    return found


def team_practitioners(teams) -> list[User]:
    return list(User.objects.filter(pk__in=_members_of(teams), is_active=True,
                                    role_grants__role__in=CASEWORK_ROLES)
                .distinct().order_by("full_name"))


def _members_of(teams) -> QuerySet:
    """The ids of the people in these teams now (not their managers)."""
    return (Membership.objects.current().filter(team__in=teams, kind=Membership.Kind.MEMBER)
            .values("user"))


def events_for(user: User) -> QuerySet[TrainingEvent]:
    """Training events that invited a team this person may see the figures of."""
    return (TrainingEvent.objects.filter(invited_teams__in=dashboard_teams(user)).distinct()
            .prefetch_related("invited_teams", "register"))


def get_event_for(user: User, event_id: int) -> TrainingEvent:
    event = events_for(user).filter(pk=event_id).first()
    if event is None:
        raise Http404("No such training event")
    return event


def invited_teams_for(user: User, event: TrainingEvent) -> list:
    """The event's invited teams whose register this person keeps: one query, not one a team."""
    return list(event.invited_teams.filter(pk__in=dashboard_teams(user).values("pk")))


def register_of(event: TrainingEvent) -> dict[int, Attendance]:
    """user id -> their mark on the event's register (prefetched by `events_for`)."""
    return {row.user_id: row for row in event.register.all()}


def supervision_notes(practitioner: User) -> list[SupervisionNote]:
    return list(SupervisionNote.objects.filter(practitioner=practitioner)
                .select_related("written_by"))
