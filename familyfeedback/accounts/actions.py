"""The writes to people's accounts, each saved in one transaction and audited."""

from django.db import transaction

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
