"""Every change to a person's sign-in: each validates, saves in one transaction and audits."""

import math

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from familyfeedback.accounts import audit, two_factor
from familyfeedback.accounts.models import Role, User

WRONG_CODE = "That code is not right, or has been used. Enter the code your app shows now"
WRONG_RECOVERY_CODE = "That recovery code is not right, or has been used"


def begin_enrolment(person: User) -> TOTPDevice:
    """The authenticator secret a person is setting up: the same one each time the page is shown
    until they confirm it, so that a reload does not undo what they scanned."""
    device = TOTPDevice.objects.devices_for_user(person, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=person, name="Authenticator app",
                                               confirmed=False)


def confirm_enrolment(person: User, device: TOTPDevice, code: str) -> list[str]:
    """The first code proves the app holds the secret: the app is confirmed, ten recovery codes
    are made (stored hashed), and the plain codes returned to be shown once."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=person)
        refusal = _refusal(device, code)
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _replace_recovery_codes(person)
            audit.record(person, "two_factor.enrol", person)
    if refusal is not None:
        raise ValidationError(refusal)
    return codes


def check_code(device: TOTPDevice, code: str) -> None:
    """Accept a code from the person's app once: django-otp remembers the last time step used
    (last_t), so the same code a second time is refused, and it slows down wrong guesses."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=True)
        refusal = _refusal(locked, code)
    if refusal is not None:
        raise ValidationError(refusal)


def use_recovery_code(device: StaticDevice, code: str) -> int:
    """Sign in with a recovery code instead of the app; the code is used up. Returns how many
    are left."""
    with transaction.atomic():
        locked = StaticDevice.objects.select_for_update().get(pk=device.pk, confirmed=True)
        refusal = _throttled(locked)
        if refusal is None and not locked.verify_token(two_factor.recovery_code_digest(code)):
            refusal = WRONG_RECOVERY_CODE
        if refusal is None:
            left = locked.token_set.count()
            audit.record(locked.user, "two_factor.recovery_code_used", locked.user,
                         {"codes_left": str(left)})
    if refusal is not None:
        raise ValidationError(refusal)
    return left


def reset_second_factor(by: User, person: User) -> None:
    """A person has lost their phone: an administrator removes their authenticator app and
    recovery codes and signs them out everywhere; they set up a new app at their next sign-in."""
    if by.role != Role.ADMINISTRATOR or not by.is_active:
        raise PermissionDenied("Only an administrator can reset a second factor")
    with transaction.atomic():
        devices = [*TOTPDevice.objects.filter(user=person),
                   *StaticDevice.objects.filter(user=person)]
        for device in devices:
            device.delete()
        ended = _end_sessions(person)
        audit.record(by, "two_factor.reset", person,
                     {"devices_removed": str(len(devices)), "sessions_ended": str(ended)})


def refuse_single_sign_on(email: str) -> None:
    """The identity provider vouched for someone this service has not invited: no account is
    made, and the attempt is kept for the administrators to see."""
    audit.record(None, "sign_in.sso_refused", None, {"email": email})


def _refusal(device: TOTPDevice | StaticDevice, code: str) -> str | None:
    """Why this code is refused, or None when it is accepted (and so used up)."""
    refusal = _throttled(device)
    if refusal is None and not device.verify_token(code):
        refusal = WRONG_CODE
    return refusal


def _throttled(device) -> str | None:
    allowed, why = device.verify_is_allowed()
    if allowed:
        return None
    seconds = max(1, math.ceil((why["locked_until"] - timezone.now()).total_seconds()))
    wait = f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"
    return f"You have entered too many wrong codes. Wait {wait}, then try again"


def _replace_recovery_codes(person: User) -> list[str]:
    StaticDevice.objects.filter(user=person).delete()
    device = StaticDevice.objects.create(user=person, name="Recovery codes", confirmed=True)
    codes = [two_factor.new_recovery_code() for _ in range(two_factor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=two_factor.recovery_code_digest(code))
        for code in codes)
    return codes


def _end_sessions(person: User) -> int:
    """Delete every session signed in as this person. Sessions are stored whole and encoded, so
    each is read to find whose it is: one pass over the live sessions, which for one council is a
    few hundred rows."""
    mine = [session.pk for session in Session.objects.filter(expire_date__gt=timezone.now())
            if session.get_decoded().get("_auth_user_id") == str(person.pk)]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)
