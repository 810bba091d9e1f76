"""Opening the mail connection before sending, so that a mail server that cannot be reached is one
plain error for the whole batch (and nothing recorded as sent), not a failure per email."""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend


class MailServerUnreachable(Exception):
    pass


def open_connection() -> BaseEmailBackend:
    """The configured backend's connection, opened; the caller closes it. Raises
    MailServerUnreachable saying which server and why (smtplib's errors are OSErrors)."""
    connection = get_connection()
    try:
        connection.open()
    except OSError as error:
        why = error.strerror or type(error).__name__
        raise MailServerUnreachable(f"Could not reach the mail server at {settings.EMAIL_HOST}:"
                                    f"{settings.EMAIL_PORT} ({why})") from None
    return connection
