"""Unusual viewing: one person opening more families within BULK_VIEW_MINUTES than
BULK_VIEW_FAMILIES allows raises one alert (BulkViewAlert) to the data protection contact, by
email, and on the administrators' audit log page. Counted from the audit log itself, so nothing
else is written on an ordinary family page."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry, BulkViewAlert, User

log = logging.getLogger(__name__)


def families_opened(user: User, since) -> int:
    """How many different families this person opened since then: one COUNT over the
    audit_actor_at index."""
    return (AuditEntry.objects
            .filter(actor=user, at__gte=since, object_type="family",
                    action__startswith="family.view")
            .values("object_id").distinct().count())


def check(user: User) -> BulkViewAlert | None:
    """After this person opened a family: the alert raised, if they are now over the limit and
    none was raised for them within the window."""
    now = timezone.now()
    since = now - timedelta(minutes=settings.BULK_VIEW_MINUTES)
    count = families_opened(user, since)
    if count <= settings.BULK_VIEW_FAMILIES:
        return None
    if BulkViewAlert.objects.filter(user=user, raised_at__gte=since).exists():
        return None
    alert = BulkViewAlert.objects.create(user=user, raised_at=now, families=count,
                                         window_minutes=settings.BULK_VIEW_MINUTES)
    if settings.DATA_PROTECTION_EMAIL:
        # After the commit, so that a slow mail server never holds the family page's
        # transaction, and a page that failed sends nothing.
        transaction.on_commit(lambda: _send(alert, settings.DATA_PROTECTION_EMAIL), robust=True)
    return alert


def audit_link(user: User) -> str:
    """The audit log page showing only this person's entries, on the service's address when it
    is known (settings.SITE_URL)."""
    return f"{settings.SITE_URL}{reverse('audit_log')}?actor={user.pk}"


def _send(alert: BulkViewAlert, to: str) -> None:
    """The email names the person and how many families, never which: the audit log says that to
    whoever may read it."""
    body = render_to_string("email/bulk_view_alert.txt", {
        "alert": alert, "person": alert.user, "limit": settings.BULK_VIEW_FAMILIES,
        "link": audit_link(alert.user), "site_known": bool(settings.SITE_URL)})
    try:
        send_mail("Unusual viewing of family records", body, settings.DEFAULT_FROM_EMAIL, [to])
    except OSError as error:  # smtplib's errors are OSErrors
        # Only the error's type: an SMTP error's text can carry the address. The alert stays
        # on the audit log page, with no address it went to.
        log.error("Bulk viewing alert %s not emailed: %s", alert.pk, type(error).__name__)
        return
    BulkViewAlert.objects.filter(pk=alert.pk).update(sent_to=to)
