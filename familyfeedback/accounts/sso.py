"""Single sign-on through the council's identity provider, with mozilla-django-oidc: only people
the service has invited (an active account with the same email) get in; nobody is created."""

from functools import cache

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils.functional import lazy
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from familyfeedback.accounts import access, actions, two_factor
from familyfeedback.accounts.models import User

# mozilla-django-oidc's settings for the endpoints, and their names in a discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


@cache
def discovery(url: str) -> dict:
    """The provider's discovery document, read once per process."""
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    return response.json()


def setting(name: str, *default):
    """mozilla-django-oidc's settings, with each endpoint not named in the environment read from
    the provider's discovery document. Read when first used, not when the backend is made:
    Django makes every backend for every password sign-in too, and a provider that cannot be
    reached must stop only single sign-on."""
    if name in DISCOVERED and not getattr(settings, name, "") and settings.OIDC_DISCOVERY_URL:
        return _discovered(settings.OIDC_DISCOVERY_URL, DISCOVERED[name])
    return import_from_settings(name, *default)


_discovered = lazy(lambda url, key: discovery(url)[key], str)


class InvitedPeopleOnly(OIDCAuthenticationBackend):
    get_settings = staticmethod(setting)

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        return User.objects.filter(email__iexact=email, is_active=True) if email else []

    def get_userinfo(self, access_token, id_token, payload):
        self.claims = super().get_userinfo(access_token, id_token, payload)
        return self.claims

    def get_or_create_user(self, access_token, id_token, payload):
        person = super().get_or_create_user(access_token, id_token, payload)
        if person is None:
            actions.refuse_single_sign_on((self.claims.get("email") or "").strip().lower())
        return person

    def _verify_jws(self, payload, key):
        """The library checks the signature only; an id token must also be for this service
        (its audience) and, when the provider published one, from the provider's issuer."""
        claims = super()._verify_jws(payload, key)
        issuer = (discovery(settings.OIDC_DISCOVERY_URL).get("issuer")
                  if settings.OIDC_DISCOVERY_URL else None)
        try:
            jwt.decode(payload, key, algorithms=[self.OIDC_RP_SIGN_ALGO],
                       audience=self.OIDC_RP_CLIENT_ID, issuer=issuer,
                       options={"require": ["aud", "exp"]})
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"The id token is not for this service: {error}") from None
        return claims


class StartView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(setting)

    def dispatch(self, request, *args, **kwargs):
        access.single_sign_on()
        return super().dispatch(request, *args, **kwargs)


class CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(setting)

    @property
    def failure_url(self):
        return reverse("sso_refused")

    def dispatch(self, request, *args, **kwargs):
        access.single_sign_on()
        return super().dispatch(request, *args, **kwargs)

    def login_success(self):
        response = super().login_success()
        # The provider asked for its own second factor (decision 0016); whether that is enough
        # is the setting SSO_COUNTS_AS_TWO_FACTOR, read on each page by two_factor.passed.
        self.request.session[two_factor.SSO_SESSION_KEY] = True
        two_factor.forget_failures_once_signed_in(self.request)
        return response
