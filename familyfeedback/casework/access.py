"""Who may see which family: every page reaches families, people, sessions and records only
through these helpers, which return the object or raise Http404 (never 403: a refusal must not
confirm that a record exists)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from familyfeedback.accounts.models import Membership, Role, Team, User
from familyfeedback.casework.models import Administration, Episode, Family, Person, Session


def works_with_families(user: User) -> bool:
    """Whether this person's lists are of families at all; anyone else gets their own home."""
    return user.is_authenticated and user.is_active and user.works_with_families


def _working() -> Q:
    """The memberships that let a person work with a team's families: a practitioner's in any
    team they belong to, a team manager's in the teams they manage. The data team, evaluators
    and administrators work with no family, whatever team they are in. The one place the rule
    is written: who sees a family and who may be its key worker both follow it."""
    return Q(user__is_active=True) & (
        Q(user__role=Role.PRACTITIONER)
        | Q(user__role=Role.TEAM_MANAGER, kind=Membership.Kind.MANAGER))


def teams_for(user: User) -> QuerySet[Team]:
    """The teams whose families this person works with: where they may open a family."""
    if not user.is_authenticated or not user.is_active:
        return Team.objects.none()
    return Team.objects.filter(
        pk__in=Membership.objects.filter(_working(), user=user).values("team_id"))


def get_teams_for(user: User) -> list[Team]:
    """The teams where this person may open a family; 404 for anyone who works in none."""
    teams = list(teams_for(user))
    if not teams:
        raise Http404("No such page")
    return teams


def families_for(user: User) -> QuerySet[Family]:
    """Practitioners reach their teams' families; managers the teams they manage. The data team,
    evaluators and administrators reach no family record."""
    return Family.objects.filter(team__in=teams_for(user))


def key_workers_for(team: Team) -> QuerySet[User]:
    """Who may be a family's key worker in this team: its current members who work with its
    families, so that the key worker always reaches the family."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(_working(), team=team).values("user_id")
    ).order_by("full_name", "email")


def key_workers_by_team(teams: list[Team]) -> dict[int, list[User]]:
    """team id -> who may be key worker there, for the pages that list them under their teams:
    one query, however many teams."""
    found: dict[int, list[User]] = {team.pk: [] for team in teams}
    for membership in (Membership.objects.filter(_working(), team__in=[t.pk for t in teams])
                       .select_related("user").order_by("user__full_name", "user__email")):
        found[membership.team_id].append(membership.user)
    return found


def can_see_family(user: User, family: Family) -> bool:
    """Whether the person still reaches the family (after moving it to another team, not)."""
    return families_for(user).filter(pk=family.pk).exists()


def teams_in_service(user: User) -> QuerySet[Team]:
    """The teams a family may be transferred to: every team of the service, for a person who
    works with families; none for anyone else."""
    if not teams_for(user).exists():
        return Team.objects.none()
    return Team.objects.all()


def _visible(user: User, family_path: str) -> Q:
    return Q(**{f"{family_path}__in": families_for(user).values("id")})


def get_family_for(user: User, family_id: int) -> Family:
    try:
        return families_for(user).select_related("team", "key_worker").get(pk=family_id)
    except Family.DoesNotExist:
        raise Http404("No such family") from None


def get_person_for(user: User, person_id: int) -> Person:
    try:
        return (
            Person.objects.filter(_visible(user, "family"))
            .select_related("family", "family__team")
            .get(pk=person_id)
        )
    except Person.DoesNotExist:
        raise Http404("No such person") from None


def get_session_for(user: User, session_id: int) -> Session:
    try:
        return (
            Session.objects.filter(_visible(user, "family"))
            .select_related("family", "practitioner")
            .get(pk=session_id)
        )
    except Session.DoesNotExist:
        raise Http404("No such session") from None


def get_administration_for(user: User, administration_id: int) -> Administration:
    try:
        return (
            Administration.objects.filter(_visible(user, "session__family"))
            .select_related("session", "session__family", "person")
            .get(pk=administration_id)
        )
    except Administration.DoesNotExist:
        raise Http404("No such record") from None


def get_episode_for(user: User, episode_id: int) -> Episode:
    try:
        return (Episode.objects.filter(_visible(user, "family"))
                .select_related("family", "family__team").get(pk=episode_id))
    except Episode.DoesNotExist:
        raise Http404("No such period of support") from None
