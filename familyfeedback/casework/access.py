"""Who may see which family: every page reaches families, people, sessions and records only
through these helpers, which return the object or raise Http404 (never 403: a refusal must not
confirm that a record exists)."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from familyfeedback.accounts.models import (
    CASEWORK_ROLES,
    Membership,
    Role,
    RoleGrant,
    Team,
    User,
)
from familyfeedback.casework.models import (
    Administration,
    Episode,
    Family,
    FeedbackLink,
    Person,
    Session,
)


def works_with_families(user: User) -> bool:
    """Whether this person's lists are of families at all; anyone else gets their own home."""
    return user.is_authenticated and user.is_active and user.works_with_families


def _working() -> Q:
    """The current memberships that let a person work with a team's families: a practitioner's
    or senior practitioner's in every team they are in now (as a member or its manager), a team
    manager's in the teams they manage now; someone with both roles, both. The data team,
    evaluators and administrators work with no family, whatever team they are in. The one place
    the rule is written: who sees a family and who may be its key worker both follow it."""
    def holds(*roles):
        return Exists(RoleGrant.objects.filter(user=OuterRef("user"), role__in=roles))

    return Q(ended_on__isnull=True, user__is_active=True) & (
        Q(holds(*CASEWORK_ROLES))
        | Q(holds(Role.TEAM_MANAGER), kind=Membership.Kind.MANAGER))


def teams_for(user: User) -> QuerySet[Team]:
    """The teams whose families this person works with: where they may open a family."""
    if not user.is_authenticated or not user.is_active:
        return Team.objects.none()
    return Team.objects.filter(
        pk__in=Membership.objects.filter(_working(), user=user).values("team_id"))


def get_teams_for(user: User) -> list[Team]:
    """The teams where this person may open a family (not an archived one); 404 for anyone who
    works in none."""
    teams = list(teams_for(user).active())
    if not teams:
        raise Http404("No such page")
    return teams


def families_for(user: User) -> QuerySet[Family]:
    """Practitioners and senior practitioners reach the families of the teams they are in now;
    managers those of the teams they manage now; someone with both roles, both. The data team,
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
    """The teams a family may be transferred to: every team of the service not archived, for a
    person who works with families; none for anyone else."""
    if not teams_for(user).exists():
        return Team.objects.none()
    return Team.objects.active()


def _visible(user: User, family_path: str) -> Q:
    return Q(**{f"{family_path}__in": families_for(user).values("id")})


def get_family_for(user: User, family_id: int) -> Family:
    return get_object_or_404(families_for(user).select_related("team", "key_worker"),
                             pk=family_id)


def manages_team_of(user: User, family: Family) -> bool:
    """Whether this person is a team manager who manages the family's team now."""
    return user.has_role(Role.TEAM_MANAGER) and Membership.objects.filter(
        user=user, team=family.team_id, kind=Membership.Kind.MANAGER,
        ended_on__isnull=True).exists()


def get_family_trail_for(user: User, family_id: int) -> Family:
    """A family whose record of access (who viewed or changed what) this person may read: its
    team's manager's, as the one who answers for the team's handling of it. Its practitioners
    are refused like anyone else (they reach the family, not its trail); administrators read
    the whole audit log instead."""
    family = get_family_for(user, family_id)
    if not manages_team_of(user, family):
        raise Http404("No such page")
    return family


def get_person_for(user: User, person_id: int) -> Person:
    people = Person.objects.filter(_visible(user, "family"))
    return get_object_or_404(people.select_related("family", "family__team"), pk=person_id)


def get_session_for(user: User, session_id: int) -> Session:
    sessions = Session.objects.filter(_visible(user, "family"))
    return get_object_or_404(sessions.select_related("family", "practitioner"), pk=session_id)


def get_administration_for(user: User, administration_id: int) -> Administration:
    records = Administration.objects.filter(_visible(user, "session__family"))
    return get_object_or_404(records.select_related("session", "session__family", "person"),
                             pk=administration_id)


def get_episode_for(user: User, episode_id: int) -> Episode:
    episodes = Episode.objects.filter(_visible(user, "family"))
    return get_object_or_404(episodes.select_related("family", "family__team"), pk=episode_id)


def feedback_link_in(session: Session, token: str) -> FeedbackLink | None:
    """A link of this session (reached through get_session_for), found by its token; None for
    a token of no link of this session's."""
    return (session.feedback_links.select_related("person")
            .filter(token_hash=FeedbackLink.hash(token)).first())


def followed_link(token: str) -> tuple[FeedbackLink | None, str | None]:
    """A self-completion link opened on someone's phone: the token is the only check, since they
    do not sign in. (link, None) while it works; else (None, why): "unknown", "used" (or the
    person has given this rating since, some other way), "ended" or "expired"."""
    link = (FeedbackLink.objects.select_related("session", "person", "person__family")
            .filter(token_hash=FeedbackLink.hash(token)).first())
    if link is None:
        return None, "unknown"
    why = link.why_not_working(link.session.stage)
    if why is None and Administration.objects.filter(
            session=link.session_id, person=link.person_id, tool=link.tool).exists():
        why = "used"
    return (link if why is None else None), why
