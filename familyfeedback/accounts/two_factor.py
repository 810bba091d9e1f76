"""The second step of signing in: whether a session has passed it, the one middleware that holds
every other page back until it has, and the pieces the enrolment and recovery pages share."""

import hashlib
import io
import secrets
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import user_has_device

from familyfeedback.accounts import throttle

# Set by a single sign-on whose identity provider asked for its own second factor.
SSO_SESSION_KEY = "ff_signed_in_by_sso"
# Recovery codes between being made and being shown, once (accounts.access.recovery_codes_to_show).
NEW_CODES_SESSION_KEY = "ff_new_recovery_codes"
# The pages a person may reach between their password and their code: besides these, only pages
# open to everyone (sign-in, health, survey links), which are marked login_not_required.
SIGNING_IN_PAGES = frozenset({"enrol_two_factor", "verify_code", "recovery_code_sign_in",
                              "recovery_codes", "logout"})
RECOVERY_CODES = 10


def passed(request) -> bool:
    """Whether this session has given its second factor, or need not."""
    if not settings.REQUIRE_TWO_FACTOR:
        return True
    if request.session.get(SSO_SESSION_KEY) and settings.SSO_COUNTS_AS_TWO_FACTOR:
        return True
    # Set by django-otp's middleware; a request that never reached it has given no code.
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


class TwoFactorMiddleware:
    """A person who has given their password but not yet a code reaches the sign-in pages and
    nothing else: every other page sends them to enrol or to give a code, then back where they
    were going. Runs as a view is chosen, so that pages open to everyone stay open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (not request.user.is_authenticated or passed(request)
                or not getattr(view_func, "login_required", True)
                or request.resolver_match.url_name in SIGNING_IN_PAGES):
            return None
        step = "verify_code" if user_has_device(request.user) else "enrol_two_factor"
        return redirect_to_login(request.get_full_path(), reverse(step))


def passed_now(request, device) -> None:
    """This session has given its second factor with device: it is marked so, under a new
    session key, as at any change of who a session may act as."""
    otp_login(request, device)
    request.session.cycle_key()
    forget_failures_once_signed_in(request)


def forget_failures_once_signed_in(request) -> None:
    """Forget the account's wrong passwords once its owner is fully signed in: their password
    and, where asked for, their second factor (or a single sign-on that counts as one). A right
    password alone is not enough: someone who guessed it but lacks the code must not also wipe
    out the record of their guesses (ADR 0015)."""
    if request.user.is_authenticated and passed(request):
        throttle.forget_failures(request.user.email)


def onward(request) -> str:
    """Where the person was going before the sign-in pages (?next=), if it is a page of ours."""
    wanted = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def qr_svg(text: str, title: str = "QR code for your authenticator app") -> str:
    """A QR code as inline SVG markup, drawn here: no image request, no third party sees it."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=5, border=4, xmldecl=False,
                                     title=title,
                                     svgclass="ff-qr", dark="#0b0c0c", light="#ffffff")
    return out.getvalue().decode()


def spaced_secret(bin_key: bytes) -> str:
    """The secret as an authenticator app asks for it typed: base32 in groups of four."""
    text = b32encode(bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def new_recovery_code() -> str:
    """Twelve characters (60 random bits) in three groups: short to type, long to guess."""
    raw = b32encode(secrets.token_bytes(10)).decode()[:12].lower()
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def recovery_code_digest(code: str) -> str:
    """What is stored for a recovery code: django-otp's static tokens keep the code itself, so we
    keep a hash in its place (16 characters, as its column holds). A fast hash is enough for 60
    random bits; spaces, hyphens and capitals as typed do not matter."""
    plain = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(plain.encode()).hexdigest()[:16]
