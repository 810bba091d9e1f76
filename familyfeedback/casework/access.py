"""Who may see which family: every page reaches families, people, sessions and records only
through these helpers, which return the object or raise Http404 (never 403: a refusal must not
confirm that a record exists)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from familyfeedback.accounts.models import CASEWORK_ROLES, Membership, Role, User
from familyfeedback.casework.models import Administration, Episode, Family, Person, Session


def works_with_families(user: User) -> bool:
    """Whether this person's lists are of families at all; anyone else gets their own home."""
    return user.is_authenticated and user.is_active and user.works_with_families


def families_for(user: User) -> QuerySet[Family]:
    """Practitioners and senior practitioners reach the families of the teams they are in now;
    managers those of the teams they manage now; someone with both roles, both. The data team,
    evaluators and administrators reach no family record."""
    if not user.is_authenticated or not user.is_active:
        return Family.objects.none()
    memberships = Membership.objects.current().filter(user=user)
    if user.has_role(*CASEWORK_ROLES):
        pass  # every team they are in, whether as a member or its manager
    elif user.has_role(Role.TEAM_MANAGER):
        memberships = memberships.filter(kind=Membership.Kind.MANAGER)
    else:
        return Family.objects.none()
    return Family.objects.filter(team__in=memberships.values("team"))


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
