"""The link by which an invited person sets their first password: one use, and it expires.

The token is Django's password-reset kind with a key of its own, so a reset link is never an
invitation link or the reverse. Its hash covers the password (so setting one spends the link), the
time the invitation was sent (so resending kills the old link) and whether the account is on."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from familyfeedback.accounts.models import User


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "familyfeedback.accounts.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        sent = user.invited_at.isoformat() if user.invited_at else ""
        return f"{user.pk}{user.password}{sent}{user.is_active}{timestamp}"

    def check_token(self, user: User | None, token: str | None) -> bool:
        """As Django's, but an invitation lasts settings.INVITATION_DAYS rather than a password
        reset's PASSWORD_RESET_TIMEOUT."""
        if user is None or not token or user.invited_at is None:
            return False
        try:
            made = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - made > lifetime().total_seconds():
            return False
        return any(constant_time_compare(self._make_token_with_timestamp(user, made, secret),
                                         token)
                   for secret in [self.secret, *self.secret_fallbacks])


tokens = InvitationTokenGenerator()


def lifetime() -> timedelta:
    return timedelta(days=settings.INVITATION_DAYS)


def expires_on(user: User):
    return timezone.localdate(user.invited_at + lifetime()) if user.invited_at else None


def link(user: User, site: str) -> str:
    """The person's set-up link, on the service's address `site`."""
    path = reverse("accept_invitation", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": tokens.make_token(user)})
    return f"{site.rstrip('/')}{path}"
