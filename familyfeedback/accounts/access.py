"""What an account may see of the service's own records (the audit log is the administrators'),
and which sign-in pages a person part-way through signing in may reach."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from familyfeedback.accounts import two_factor
from familyfeedback.accounts.models import AuditEntry, Role, User


def audit_entries_for(user: User) -> QuerySet[AuditEntry]:
    """The whole log, for administrators; anyone else is told there is no such page."""
    if user.role != Role.ADMINISTRATOR:
        raise Http404("No such page")
    return AuditEntry.objects.select_related("actor")


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
