"""What an account may see of the service's own records: the audit log, people and teams are the
administrators'. Anyone else is told there is no such page (docs/decisions/0003). And which
sign-in pages a person part-way through signing in may reach."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from familyfeedback.accounts import two_factor
from familyfeedback.accounts.invitations import tokens
from familyfeedback.accounts.models import (
    AuditEntry,
    BulkViewAlert,
    Membership,
    Role,
    Team,
    User,
)


def require_administrator(user: User) -> None:
    if not user.is_authenticated or not user.is_active or not user.has_role(Role.ADMINISTRATOR):
        raise Http404("No such page")


def audit_entries_for(user: User) -> QuerySet[AuditEntry]:
    """The whole log, for administrators."""
    require_administrator(user)
    return AuditEntry.objects.select_related("actor")


def bulk_view_alerts_for(user: User) -> QuerySet[BulkViewAlert]:
    """The alerts of unusual viewing, for administrators beside the log."""
    require_administrator(user)
    return BulkViewAlert.objects.select_related("user")


def signing_in(request) -> User:
    """The person part-way through signing in: their password given, their second factor not
    yet. Anyone past that step (or not asked for it) is told there is no such page."""
    if not request.user.is_authenticated or two_factor.passed(request):
        raise Http404("No such page")
    return request.user


def enrolling(request) -> User:
    """A person signing in who has no authenticator app set up yet."""
    person = signing_in(request)
    if user_has_device(person):
        raise Http404("No such page")
    return person


def authenticator_for(request) -> TOTPDevice:
    """The authenticator app of a person signing in, confirmed when they set it up."""
    device = TOTPDevice.objects.devices_for_user(signing_in(request), confirmed=True).first()
    if device is None:
        raise Http404("No such page")
    return device


def recovery_codes_for(request) -> StaticDevice:
    """The recovery codes of a person signing in (what is left of them)."""
    device = StaticDevice.objects.devices_for_user(signing_in(request), confirmed=True).first()
    if device is None:
        raise Http404("No such page")
    return device


def recovery_codes_to_show(request) -> list[str]:
    """The codes just made for this person, which are shown once: taken out of the session as
    they are read, so that a reload, or anyone later at the same browser, sees none."""
    if not request.user.is_authenticated:
        raise Http404("No such page")
    codes = request.session.pop(two_factor.NEW_CODES_SESSION_KEY, None)
    if not codes:
        raise Http404("No such page")
    return codes


def single_sign_on() -> None:
    """Signing in through the council's identity provider is there only when it is set up."""
    if not settings.SINGLE_SIGN_ON:
        raise Http404("No such page")
def get_user_for(user: User, user_id: int) -> User:
    """Any account of the service, for an administrator."""
    require_administrator(user)
    return get_object_or_404(User, pk=user_id)


def get_membership_for(user: User, membership_id: int) -> Membership:
    require_administrator(user)
    return get_object_or_404(Membership.objects.select_related("user", "team"), pk=membership_id)


def get_team_for(user: User, team_id: int) -> Team:
    require_administrator(user)
    return get_object_or_404(Team, pk=team_id)


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
