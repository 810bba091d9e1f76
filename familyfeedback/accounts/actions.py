"""The writes to people's accounts, each saved in one transaction and audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from familyfeedback.accounts import audit, throttle
from familyfeedback.accounts.models import User


def reset_password(user: User, password: str) -> None:
    """A new password from a reset link (checked by NewPasswordForm). The password's change
    alone ends every session signed in with the old one, and spends the link. The person has
    shown who they are, so their account's wrong passwords are forgotten: nobody else's guesses
    can keep them out."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        throttle.forget_failures(user.email)
        audit.record(user, "user.password_reset", user)


def end_all_sessions(user: User, by: User | None) -> None:
    """Every session of this person, on every device, ends at its next request (the session
    version is in each session's hash: User._get_session_auth_hash)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
        user.refresh_from_db(fields=["session_version"])
        audit.record(by, "user.sessions_end", user)


def deactivate(by: User, person: User) -> None:
    """Switch an account off: it cannot sign in, and its sessions end now. Its records stay
    attributed to it."""
    if person.pk == by.pk:
        raise ValidationError("You cannot switch off your own account", code="self")
    if not person.is_active:
        return
    with transaction.atomic():
        User.objects.filter(pk=person.pk).update(
            is_active=False, session_version=F("session_version") + 1)
        person.refresh_from_db(fields=["is_active", "session_version"])
        audit.record(by, "user.deactivate", person)


def reactivate(by: User, person: User) -> None:
    """Switch an account back on: the person signs in afresh (no old session comes back)."""
    if person.is_active:
        return
    with transaction.atomic():
        User.objects.filter(pk=person.pk).update(is_active=True)
        person.refresh_from_db(fields=["is_active"])
        audit.record(by, "user.reactivate", person)
