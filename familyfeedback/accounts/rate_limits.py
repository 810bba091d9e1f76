"""Anti-automation (OWASP ASVS 5.0 2.4.1): each signed-in person may search for families
SEARCHES_PER_MINUTE times a minute and download files of identifiable data EXPORTS_PER_HOUR times
an hour. Enough for any day's work; not enough for a script copying the service out.

Counted in fixed windows (a minute from :00, an hour from the hour) in RateCount, so that every
app server counts against the same limit. One statement adds one to the count and returns it:
PostgreSQL's INSERT ... ON CONFLICT takes the row's lock, and SQLite has one writer at a time, so
two requests at once never both see the old count. A refused request counts too, which changes
nothing: the window is already full. The first count of a new window removes the person's
windows of that kind that have ended, so the table holds about one row per person and kind.

Sign-in is throttled apart, by django-axes (accounts/throttle.py)."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps
from math import ceil

from django import forms
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from familyfeedback.accounts.models import RateCount, User
from familyfeedback.accounts.throttle import wait_text
from familyfeedback.lib.formats import datetime_local

# The time the windows are counted in. A name of its own so that a test can move it on a minute
# or an hour rather than wait (tests/accounts/test_rate_limits.py).
clock = timezone.now


@dataclass(frozen=True)
class Limit:
    setting: str  # the setting that says how many
    window: timedelta
    one: str  # one of what is counted, and many: "search", "searches"
    many: str
    period: str  # the window in words
    again: str  # what the person may do when it ends


LIMITS = {
    "search": Limit("SEARCHES_PER_MINUTE", timedelta(minutes=1), "search", "searches",
                    "a minute", "search again"),
    "export": Limit("EXPORTS_PER_HOUR", timedelta(hours=1), "download", "downloads", "an hour",
                    "download again"),
}


class RateLimited(Exception):
    """Over the limit: refused until the window ends."""

    def __init__(self, kind: str, allowed: int, until: datetime, now: datetime):
        self.kind, self.allowed, self.until = kind, allowed, until
        self.retry_after = max(1, ceil((until - now).total_seconds()))
        limit = LIMITS[kind]
        made = f"{allowed} {limit.one if allowed == 1 else limit.many} in {limit.period}"
        self.message = (f"You have made {made}, the most allowed. You can {limit.again} in "
                        f"{wait_text(until - now)}.")
        self.when = datetime_local(until)
        super().__init__(self.message)


def window_start(now: datetime, window: timedelta) -> datetime:
    seconds = int(window.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=UTC)


def check_rate(user: User, kind: str, now: datetime | None = None) -> int:
    """Counts one search or export by this person; raises RateLimited once they are over the
    limit for the current window. Returns how many they have made in it."""
    now = now or clock()
    limit = LIMITS[kind]
    allowed = getattr(settings, limit.setting)
    start = window_start(now, limit.window)
    used = _add_one(user, kind, start)
    if used == 1:
        RateCount.objects.filter(user=user, kind=kind, window_start__lt=start).delete()
    if used > allowed:
        raise RateLimited(kind, allowed, start + limit.window, now)
    return used


def _add_one(user: User, kind: str, start: datetime) -> int:
    table = connection.ops.quote_name(RateCount._meta.db_table)
    # The only interpolated name is the model's own table; every value is a parameter. The same
    # statement on SQLite (3.35 and later) and PostgreSQL.
    sql = (f"INSERT INTO {table} (user_id, kind, window_start, used) VALUES (%s, %s, %s, 1) "  # nosec B608
           f"ON CONFLICT (user_id, kind, window_start) DO UPDATE SET used = {table}.used + 1 "
           "RETURNING used")
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, kind, connection.ops.adapt_datetimefield_value(start)])
        return cursor.fetchone()[0]


def limited(kind: str, methods: Collection[str] | None = None):
    """A view counted against the limit (for the given methods only, or all): over it, the page
    saying when the person can try again, with status 429 and Retry-After, before the view
    runs."""
    def decorate(view):
        @wraps(view)
        def counted(request, *args, **kwargs):
            if methods is None or request.method in methods:
                try:
                    check_rate(request.user, kind)
                except RateLimited as refusal:
                    return answered(render(request, "errors/429.html", {"refusal": refusal}),
                                    refusal)
            return view(request, *args, **kwargs)
        return counted
    return decorate


def refused_on(form: forms.Form, field: str, user: User, kind: str) -> RateLimited | None:
    """For a page that answers a form itself (the search): counts it; over the limit, the
    refusal, with its message on the field, so the page shows what was typed and why nothing
    was found."""
    try:
        check_rate(user, kind)
    except RateLimited as refusal:
        form.add_error(field, refusal.message)
        return refusal
    return None


def answered(response: HttpResponse, refusal: RateLimited | None) -> HttpResponse:
    """The response as refused: 429, and when to try again, in seconds, for a script."""
    if refusal is not None:
        response.status_code = 429
        response["Retry-After"] = str(refusal.retry_after)
    return response
