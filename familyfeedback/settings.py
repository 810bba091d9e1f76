"""Family Feedback settings: one file, every value that differs between deployments read from the
environment through the typed helpers in familyfeedback.lib.env."""

import os
import re
import secrets
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from familyfeedback.lib.env import env_bool, env_decimal, env_int, env_list, env_str
from familyfeedback.measures import schedules  # pure: imports nothing of Django's

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("FF_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

def _secret_key() -> str:
    """SECRET_KEY from the environment; failing that, a random key kept in var/, made on first
    use. Never a key written in the source, which anyone could use to forge a signed cookie. App
    servers behind a load balancer must share one key, so production sets SECRET_KEY."""
    if key := env_str("SECRET_KEY", ""):
        return key
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "familyfeedback.accounts",
    "familyfeedback.casework",
    "familyfeedback.implementation",
    "familyfeedback.evaluation",
    "familyfeedback.privacy",
    "familyfeedback.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "familyfeedback.lib.no_store.no_store_middleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session past its time ends before anything else looks at who is signed in.
    "familyfeedback.accounts.session_limits.session_limits_middleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "familyfeedback.accounts.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "familyfeedback.urls"
WSGI_APPLICATION = "familyfeedback.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "familyfeedback.jinja2.environment"},
    },
]


def _database(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Django's SQLite backend, with the database, its WAL and shm readable by the owner only.
        config["ENGINE"] = "familyfeedback.lib.owner_only_sqlite"
        # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue on the busy timeout instead of failing with "database is
        # locked" when one tries to upgrade a read lock. secure_delete zeroes what a delete or
        # an update frees instead of leaving it in the file: a purged family's names and notes
        # must not stay readable in the database's bytes (privacy.purge then checkpoints the
        # WAL, which holds the pages as they were).
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                "PRAGMA secure_delete=ON;"
            ),
        }
        # Tests use a file too, not memory: WAL, locking and the browser tests' second thread
        # behave as they do in production only on a file. One file per test run, so two runs at
        # once do not delete each other's database.
        config["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    else:
        # PostgreSQL's JIT compiler costs ~0.5 s on the dashboards' coverage query and speeds
        # up nothing of ours (bench/dashboards.py, docs/performance-log.md).
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
        # Two test runs on one server (two checkouts) each name their own test database.
        if name := env_str("FF_TEST_DATABASE_NAME", ""):
            config["TEST"] = {"NAME": name}
    return config


DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'familyfeedback.sqlite3'}")
DATABASES = {"default": _database(DATABASE_URL)}
# A read replica for the dashboards and the analysis (familyfeedback/reporting.py): their reads go
# there, everything else and every write to the primary. PostgreSQL does the replication.
if REPORTING_DATABASE_URL := env_str("FF_REPORTING_DATABASE_URL", ""):
    DATABASES["reporting"] = {**_database(REPORTING_DATABASE_URL), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["familyfeedback.reporting.Router"]
# The dashboards sum their figures from the monthly summaries (implementation/summaries.py) once
# the last refresh counted more records than this; below it they count the records themselves.
SUMMARIES_ABOVE = env_int("FF_SUMMARIES_ABOVE", 1_000_000, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The dashboards' covering index names extra columns that only PostgreSQL stores; on SQLite the
# index keeps its keys, which is what we want there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Guessing passwords (docs/decisions/0015-sign-in-throttling.md). Counted per client, the
# person's own machine behind FF_TRUSTED_PROXIES reverse proxies (lib/client_ip.py): after
# FF_SIGN_IN_CLIENT_ATTEMPTS wrong passwords for any accounts it is refused for
# FF_SIGN_IN_LOCKOUT_MINUTES. And per account, from anywhere: after FF_SIGN_IN_ATTEMPTS wrong
# ones each next try waits a while (accounts/throttle.py), never locked; a reset by email clears
# it. django-axes keeps the counts in the database, so they hold across app servers.
FF_TRUSTED_PROXIES = env_int("FF_TRUSTED_PROXIES", 0)
SIGN_IN_FREE_ATTEMPTS = env_int("FF_SIGN_IN_ATTEMPTS", 5, minimum=1)
AXES_FAILURE_LIMIT = env_int("FF_SIGN_IN_CLIENT_ATTEMPTS", 20, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FF_SIGN_IN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "familyfeedback.lib.client_ip.client_ip"
# Off: axes would forget every failure from the client at a success there, so signing in to
# one's own account would wipe the count of guesses at colleagues' (throttle.forget_failures
# forgets only the account's own).
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_CALLABLE = "familyfeedback.accounts.views.attempted_email"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False  # its log lines name the email address tried
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A password reset link works once (Django's token covers the password it replaces) and for
# this long.
PASSWORD_RESET_TIMEOUT = 60 * env_int("FF_PASSWORD_RESET_MINUTES", 60, minimum=5)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Two-factor sign-in and single sign-on (docs/decisions/0016-two-factor-and-single-sign-on.md).
# Everyone gives a code from an authenticator app after their password: these pages reach
# children's records. Only the demo (the Makefile's run target) turns this off, so that anyone
# trying the fictional service can sign in with a printed password and no phone.
REQUIRE_TWO_FACTOR = env_bool("FF_REQUIRE_TWO_FACTOR", True)
# The name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = env_str("FF_TWO_FACTOR_ISSUER", "Family Feedback")
# django-otp's own back-off after wrong codes in a row: 1, 2, 4, 8... seconds, which a person who
# mistypes never notices and a guesser of six digits cannot get past. Only someone who has the
# password can run it up; the person still gets in with a recovery code (counted apart) or an
# administrator's reset (accounts.actions.reset_second_factor).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Single sign-on through the council's identity provider (OpenID Connect, e.g. Entra ID): on
# only when a client id is set. People are matched by email to an account already invited;
# nobody is created by signing in. The provider's endpoints come from its discovery document
# (FF_OIDC_DISCOVERY_URL) or are named one by one.
OIDC_RP_CLIENT_ID = env_str("FF_OIDC_CLIENT_ID", "")
SINGLE_SIGN_ON = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("FF_OIDC_CLIENT_SECRET", "")
OIDC_DISCOVERY_URL = env_str("FF_OIDC_DISCOVERY_URL", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("FF_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("FF_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("FF_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("FF_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env_str("FF_OIDC_SIGN_ALGORITHM", "RS256")
OIDC_RP_SCOPES = "openid email"
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env_int("FF_OIDC_TIMEOUT", 10, minimum=1)
# Councils' identity providers ask for their own second factor (Entra ID's MFA), so a single
# sign-on counts as both; a council whose provider does not sets this to 0 and its people give
# an authenticator code as well.
SSO_COUNTS_AS_TWO_FACTOR = env_bool("FF_SSO_COUNTS_AS_TWO_FACTOR", True)
if SINGLE_SIGN_ON and not (OIDC_DISCOVERY_URL or (
        OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_USER_ENDPOINT
        and OIDC_OP_JWKS_ENDPOINT)):
    raise ImproperlyConfigured("FF_OIDC_CLIENT_ID is set: set FF_OIDC_DISCOVERY_URL too, or "
                               "each of the provider's endpoints (FF_OIDC_*_ENDPOINT)")
if SINGLE_SIGN_ON:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS,
                               "familyfeedback.accounts.sso.InvitedPeopleOnly"]

SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS (always, in production) set SECURE_COOKIES=1: cookies only over HTTPS, and
# browsers told to use nothing else for a year. Off by default so `make run` works on http.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = 31_536_000 if SESSION_COOKIE_SECURE else 0
# The service has a host name of its own (familyfeedback.council.gov.uk), so HSTS for its
# subdomains and the preload flag bind nothing else of the council's: a browser's preload list
# is joined only by submitting the council's domain itself.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# A monitor on the server itself asks for /health/ over plain http, past the proxy.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool(
    "BEHIND_HTTPS_PROXY", False) else None
# Messages name people ("Ava added to the family"): keep them in the server-side session, not in
# a cookie the browser can read.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Sessions (accounts/session_limits.py): at most SESSION_COOKIE_AGE seconds from signing in, however
# busy; ended after FF_SESSION_IDLE_MINUTES without a request; and a cookie that goes when the
# browser closes, so nothing stays signed in on a shared tablet.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=300)
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("FF_SESSION_IDLE_MINUTES", 30, minimum=1))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
# Scripts only from this site, plus GOV.UK Frontend's one inline line, which carries the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
CSRF_FAILURE_VIEW = "familyfeedback.lib.error_pages.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Email for the weekly reminders (manage.py send_reminders). GOV.UK Notify may replace it later.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "family-feedback@localhost")
# SMTP unless told otherwise; `make run` chooses Django's file backend, so the demo's emails can
# be read in EMAIL_FILE_PATH on a machine with no mail server.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# Seconds to wait for the mail server: one that never answers must not hold a page for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The address people reach the service at, for links in emails (blank: the email names the page).
SITE_URL = env_str("FF_SITE_URL", "").rstrip("/")
# How long an invitation's set-up link works; resending one makes a new link and kills the old.
INVITATION_DAYS = env_int("FF_INVITATION_DAYS", 7, minimum=1)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# The languages of the pages families see (Welsh is a duty of public bodies in Wales). The
# practitioners' pages are in English; a family's page is drawn in the person's language through
# lib/languages.speaking. The .mo files are compiled from locale/*/LC_MESSAGES/django.po at build
# time (`make assets`), never committed.
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# GOV.UK Frontend's compiled CSS asks for its fonts and images under /assets/, so our static files
# are served there too.
STATIC_URL = "/assets/"
# A container image collects them when it is built, outside var/ (a volume, which hides them).
STATIC_ROOT = Path(env_str("FF_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "build" / "govuk"]
WHITENOISE_USE_FINDERS = DEBUG

# Which reliable-change values the service uses: "common" (the commonly cited values) or
# "cyp_iapt_2015" (the CYP IAPT 2015 thresholds). Pages name the choice.
RELIABLE_CHANGE_STANDARD = env_str("FF_RELIABLE_CHANGE_STANDARD", "common")
if RELIABLE_CHANGE_STANDARD not in {"common", "cyp_iapt_2015"}:
    raise ImproperlyConfigured("FF_RELIABLE_CHANGE_STANDARD must be common or cyp_iapt_2015")
# When the tools are due: every_session (the pilot's rule), first_and_last, every_weeks:N or
# taf_reviews. See measures/schedules.py.
try:
    SCHEDULE = schedules.parse(env_str("FF_SCHEDULE", "every_session"))
except ValueError as error:
    raise ImproperlyConfigured(f"FF_SCHEDULE: {error}") from None

# Raise "no reliable improvement" when this many outcome ratings in an episode show none.
ALERT_REVIEW_AFTER = env_int("FF_ALERT_REVIEW_AFTER", 3, minimum=2)
# Raise "session rating fell" when it is at least this many points below the one before (OpenFIT's
# rule is 1 point; see docs/decisions/0013-alert-tiers.md).
ALERT_SESSION_DROP = env_decimal("FF_ALERT_SESSION_DROP", Decimal("1"), minimum=Decimal("0.1"))
# The family picture says so when family members' outcome ratings at one session are at least this
# many points apart on the 0-40 total (measures/family.py).
FAMILY_SPREAD = env_decimal("FF_FAMILY_SPREAD", Decimal("10"), minimum=Decimal("0.1"))

# A practitioner's personal survey link works for this many days from when it was issued; the
# evaluator can revoke it or issue a new one at any time.
SURVEY_LINK_DAYS = env_int("FF_SURVEY_LINK_DAYS", 28, minimum=1)

# A self-completion link (a family member's own phone) works once, for this many hours from when
# the practitioner makes it.
FEEDBACK_LINK_HOURS = env_int("FF_FEEDBACK_LINK_HOURS", 24, minimum=1)
# GOV.UK Notify sends a link by text message or email. With no key set, the practitioner shows the
# QR code or the link instead, and no send form is offered. Each template has a ((link)) and an
# ((hours)) placeholder.
NOTIFY_API_KEY = env_str("FF_NOTIFY_API_KEY", "")
NOTIFY_SMS_TEMPLATE_ID = env_str("FF_NOTIFY_SMS_TEMPLATE_ID", "")
NOTIFY_EMAIL_TEMPLATE_ID = env_str("FF_NOTIFY_EMAIL_TEMPLATE_ID", "")
# With this template too, an evaluation's survey reminders and new survey links go by Notify
# rather than the mail server; it has ((link)), ((trial)), ((wave)) and ((days)).
NOTIFY_SURVEY_TEMPLATE_ID = env_str("FF_NOTIFY_SURVEY_TEMPLATE_ID", "")
NOTIFY_BASE_URL = env_str("FF_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
# A Notify key is its name, the service id and the secret: the client reads the two ids from its
# end, and a key pasted short would fail only at the first send.
if NOTIFY_API_KEY and not re.fullmatch(r".+-[0-9a-f-]{36}-[0-9a-f-]{36}", NOTIFY_API_KEY):
    raise ImproperlyConfigured("FF_NOTIFY_API_KEY must be the whole key GOV.UK Notify gave: "
                               "its name, then the service id and the secret")
if NOTIFY_API_KEY and not (NOTIFY_SMS_TEMPLATE_ID or NOTIFY_EMAIL_TEMPLATE_ID
                           or NOTIFY_SURVEY_TEMPLATE_ID):
    raise ImproperlyConfigured("FF_NOTIFY_API_KEY is set: set FF_NOTIFY_SMS_TEMPLATE_ID, "
                               "FF_NOTIFY_EMAIL_TEMPLATE_ID or FF_NOTIFY_SURVEY_TEMPLATE_ID too")

# Photos of children's drawn faces. Never served as public files: a view checks access first.
MEDIA_ROOT = VAR_DIR / "media"
# ... and readable on disk by the app's own user only, whatever its umask. Set on the media
# storage alone (FILE_UPLOAD_PERMISSIONS would also make collected static files unreadable to a
# web server that serves them).
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # django.request and django.security name the path of every 4xx and 5xx (local variables
    # are never included). Paths carry numeric ids by design, but a personal link's carries its
    # token: the filter keeps only the routes' own words and the ids, as gunicorn's access log.
    "filters": {"paths": {"()": "familyfeedback.lib.logged_paths.HidePathParts"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["paths"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes tells of every sign-in at INFO; failures still reach WARNING. WeasyPrint tells
    # of every step of a PDF at INFO and warns of each CSS property it does not draw (GOV.UK
    # Frontend's screen styles): only its errors say something is wrong with a report.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "ERROR"},
                "fontTools": {"level": "WARNING"}},
}

# Research exports (docs/formats/research-export.md). Counts from 1 to one below this in the
# aggregate tables are suppressed (0 turns suppression off). The trial page's download takes its
# pseudonym key from this file, kept on the server apart from the database and never shown:
# unset, the download says so and export_research --key-file is the way.
RESEARCH_EXPORT_SUPPRESS_BELOW = env_int("FF_EXPORT_SUPPRESS_BELOW", 5)
RESEARCH_EXPORT_KEY_FILE = env_str("FF_RESEARCH_EXPORT_KEY_FILE", "")

# Retention (privacy.retention, docs/security.md). A family is removed this many years after its
# last period of support closed, unless it is under a legal hold; a child's drawn-face photo may
# go sooner (0: kept as long as its record). Audit entries keep who did what for ever, but the
# values inside them are emptied after FF_RETAIN_AUDIT_VALUES_YEARS. Sign-in records (django-axes:
# addresses and the emails tried) go after FF_RETAIN_SIGN_IN_DAYS.
RETAIN_CLOSED_FAMILY_YEARS = env_int("FF_RETAIN_CLOSED_FAMILY_YEARS", 6, minimum=0)
RETAIN_PICTURES_MONTHS = env_int("FF_RETAIN_PICTURES_MONTHS", 0, minimum=0)
RETAIN_AUDIT_VALUES_YEARS = env_int("FF_RETAIN_AUDIT_VALUES_YEARS", 7, minimum=1)
RETAIN_SIGN_IN_DAYS = env_int("FF_RETAIN_SIGN_IN_DAYS", 90, minimum=1)
# Erasure on request is refused while a family is under a legal hold, while its support is open,
# and for this many years after it closed (a statutory duty to keep the record; 0: none).
ERASURE_DUTY_YEARS = env_int("FF_ERASURE_DUTY_YEARS", 0, minimum=0)

# Unusual viewing: more than FF_BULK_VIEW_FAMILIES different families opened by one person within
# FF_BULK_VIEW_MINUTES raises one alert to the data protection contact.
BULK_VIEW_FAMILIES = env_int("FF_BULK_VIEW_FAMILIES", 50, minimum=1)
BULK_VIEW_MINUTES = env_int("FF_BULK_VIEW_MINUTES", 60, minimum=1)
DATA_PROTECTION_EMAIL = env_str("FF_DATA_PROTECTION_EMAIL", "")
# Who the record of processing (manage.py record_of_processing) names: the council that is the
# controller, and its data protection officer or contact, reached at FF_DATA_PROTECTION_EMAIL.
CONTROLLER_NAME = env_str("FF_CONTROLLER_NAME", "")
DATA_PROTECTION_CONTACT = env_str("FF_DATA_PROTECTION_CONTACT", "")

# The audit chain's key (accounts.audit): unset, one derived from SECRET_KEY. Someone holding
# only a copy of the database cannot forge the chain without it.
AUDIT_CHAIN_KEY = env_str("FF_AUDIT_CHAIN_KEY", "")

# Rate limits per signed-in person (accounts/rate_limits.py): searches a minute, downloads of
# identifiable data an hour, counted in fixed windows in the database.
SEARCHES_PER_MINUTE = env_int("FF_SEARCHES_PER_MINUTE", 60, minimum=1)
EXPORTS_PER_HOUR = env_int("FF_EXPORTS_PER_HOUR", 30, minimum=1)
