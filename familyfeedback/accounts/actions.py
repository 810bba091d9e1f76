"""The writes to people's accounts, each saved in one transaction and audited."""

from django.db import transaction

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import User


def reset_password(user: User, password: str) -> None:
    """A new password from a reset link (checked by NewPasswordForm). The password's change
    alone ends every session signed in with the old one, and spends the link."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(user, "user.password_reset", user)
