"""What an account may see of the service's own records: the audit log, people and teams are the
administrators'. Anyone else is told there is no such page (docs/decisions/0003)."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from familyfeedback.accounts.invitations import tokens
from familyfeedback.accounts.models import AuditEntry, Membership, Role, Team, User


def require_administrator(user: User) -> None:
    if not user.is_authenticated or not user.is_active or not user.has_role(Role.ADMINISTRATOR):
        raise Http404("No such page")


def audit_entries_for(user: User) -> QuerySet[AuditEntry]:
    """The whole log, for administrators."""
    require_administrator(user)
    return AuditEntry.objects.select_related("actor")


def get_user_for(user: User, user_id: int) -> User:
    """Any account of the service, for an administrator."""
    require_administrator(user)
    return _one(User.objects.all(), user_id, "No such person")


def get_membership_for(user: User, membership_id: int) -> Membership:
    require_administrator(user)
    return _one(Membership.objects.select_related("user", "team"), membership_id,
                "No such membership")


def get_team_for(user: User, team_id: int) -> Team:
    require_administrator(user)
    return _one(Team.objects.all(), team_id, "No such team")


def _one(found: QuerySet, pk: int, missing: str):
    try:
        return found.get(pk=pk)
    except found.model.DoesNotExist:
        raise Http404(missing) from None


def invited_person(uidb64: str, token: str) -> User | None:
    """The person whose set-up link this is, while it still works (unused, not expired, not
    replaced by a newer one, account on); None for any other link."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    person = User.objects.filter(pk=pk).first()
    if person is None or person.has_usable_password() or not tokens.check_token(person, token):
        return None
    return person
