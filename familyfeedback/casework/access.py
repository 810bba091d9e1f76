"""Who may see which family: every page reaches families, people, sessions and records only
through these helpers, which return the object or raise Http404 (never 403: a refusal must not
confirm that a record exists)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from familyfeedback.accounts.models import Membership, Role, User
from familyfeedback.casework.models import Administration, Episode, Family, Person, Session


def works_with_families(user: User) -> bool:
    """Whether this person's lists are of families at all; anyone else gets their own home."""
    return user.is_authenticated and user.is_active and user.works_with_families


def families_for(user: User) -> QuerySet[Family]:
    """Practitioners reach their teams' families; managers the teams they manage. The data team,
    evaluators and administrators reach no family record."""
    if not user.is_authenticated or not user.is_active:
        return Family.objects.none()
    if user.role == Role.PRACTITIONER:
        return Family.objects.filter(team__memberships__user=user).distinct()
    if user.role == Role.TEAM_MANAGER:
        return Family.objects.filter(
            team__memberships__user=user, team__memberships__kind=Membership.Kind.MANAGER
        ).distinct()
    return Family.objects.none()


def _visible(user: User, family_path: str) -> Q:
    return Q(**{f"{family_path}__in": families_for(user).values("id")})


def _one(found: QuerySet, object_id: int, missing: str):
    """The object with this id among those found: one the user may not see is as missing as one
    that does not exist."""
    try:
        return found.get(pk=object_id)
    except found.model.DoesNotExist:
        raise Http404(missing) from None


def get_family_for(user: User, family_id: int) -> Family:
    return _one(families_for(user).select_related("team", "key_worker"), family_id,
                "No such family")


def get_person_for(user: User, person_id: int) -> Person:
    people = Person.objects.filter(_visible(user, "family"))
    return _one(people.select_related("family", "family__team"), person_id, "No such person")


def get_session_for(user: User, session_id: int) -> Session:
    sessions = Session.objects.filter(_visible(user, "family"))
    return _one(sessions.select_related("family", "practitioner"), session_id, "No such session")


def get_administration_for(user: User, administration_id: int) -> Administration:
    records = Administration.objects.filter(_visible(user, "session__family"))
    return _one(records.select_related("session", "session__family", "person"), administration_id,
                "No such record")


def get_episode_for(user: User, episode_id: int) -> Episode:
    episodes = Episode.objects.filter(_visible(user, "family"))
    return _one(episodes.select_related("family", "family__team"), episode_id,
                "No such period of support")
