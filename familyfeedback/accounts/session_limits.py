"""How long a signed-in session lasts: it ends after settings.SESSION_IDLE_TIMEOUT without a
request, after SESSION_COOKIE_AGE since signing in whatever happens, and when the browser closes
(SESSION_EXPIRE_AT_BROWSER_CLOSE: no cookie stays on a shared tablet). Signing out ends every
session of the person, on every device."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views

from familyfeedback.accounts import actions

SIGNED_IN_AT = "ff_signed_in_at"
LAST_SEEN = "ff_last_seen"
# The last request's time is written at most once a minute, not on every request: the idle
# timeout is then up to a minute generous, and most pages write nothing to the session table.
LAST_SEEN_EVERY = 60


def session_limits_middleware(get_response):
    """After the messages middleware, so the sign-in page can say why; before the views, so a
    session past its time is signed out and LoginRequiredMiddleware sends the person to sign
    in, with the page they asked for to come back to."""

    def middleware(request):
        if request.user.is_authenticated:
            _check(request, int(time.time()))
        return get_response(request)

    return middleware


def _check(request, now: int) -> None:
    session = request.session
    signed_in_at = session.setdefault(SIGNED_IN_AT, now)
    last_seen = session.get(LAST_SEEN, now)
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    if now - last_seen > idle:
        why = (f"You were signed out because Family Feedback was not used for "
               f"{int(idle // 60)} minutes. Sign in again to carry on")
    elif now - signed_in_at > settings.SESSION_COOKIE_AGE:
        why = (f"You were signed out because you had been signed in for "
               f"{_duration(settings.SESSION_COOKIE_AGE)}. Sign in again to carry on")
    else:
        if LAST_SEEN not in session or now - last_seen >= LAST_SEEN_EVERY:
            session[LAST_SEEN] = now
        return
    logout(request)
    messages.info(request, why)


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours} hours" if hours and not rest else f"{seconds // 60} minutes"


class SignOutView(auth_views.LogoutView):
    """Signing out here signs the person out everywhere: a tablet left signed in at the office
    is signed out too."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            actions.end_all_sessions(request.user, by=request.user)
        return super().post(request, *args, **kwargs)
