"""Wrong passwords, counted so that nobody can use them to keep a colleague out
(docs/decisions/0015-sign-in-throttling.md).

Per client (the person's own machine, lib/client_ip): django-axes refuses a client that has
made AXES_FAILURE_LIMIT wrong guesses at any accounts, for AXES_COOLOFF_TIME.
Per account: after SIGN_IN_FREE_ATTEMPTS wrong passwords for an email from anywhere, each next
try waits, 1 minute and doubling up to AXES_COOLOFF_TIME since the last wrong one. A try made
too soon is refused before the password is checked and counts for nothing, so hammering an
account slows it but never shuts it; and a password reset clears the account's count.

The counts are django-axes's own records (one row per email, client and browser), kept in the
database so that every app server sees them."""

from datetime import timedelta
from math import ceil

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def account_wait(email: str) -> timedelta | None:
    """How much longer a sign-in for this email must wait, or None if it may try now."""
    now = timezone.now()
    window = settings.AXES_COOLOFF_TIME
    counted = (AccessAttempt.objects.filter(username=email, attempt_time__gte=now - window)
               .aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time")))
    over = (counted["failures"] or 0) - settings.SIGN_IN_FREE_ATTEMPTS
    if over < 0:
        return None
    wait = min(timedelta(minutes=2 ** min(over, 10)), window)
    left = counted["last"] + wait - now
    return left if left > timedelta(0) else None


def wait_text(wait: timedelta) -> str:
    minutes = ceil(wait.total_seconds() / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def forget_failures(email: str) -> None:
    """The account's wrong passwords, from every client, forgotten: its owner has shown who they
    are (signed in, or reset the password by email). Other accounts' counts stay, so each
    client's count of guesses at them does too."""
    reset(username=email)
