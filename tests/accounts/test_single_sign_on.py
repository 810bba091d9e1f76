"""Single sign-on against a real OpenID Connect provider on 127.0.0.1 (tests/oidc_provider.py):
an invited person gets in, someone the service has not invited is refused and the refusal kept."""

from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from familyfeedback.accounts import sso
from familyfeedback.accounts.models import AuditEntry
from tests import factories, oidc_provider


@pytest.fixture
def provider(settings):
    with oidc_provider.configured(settings) as running:
        yield running


def sign_in_at_the_council(client, provider, email, next_page=""):
    """Press "Sign in with your council account", sign in at the provider as email, and follow
    the provider back: the response to the service's callback."""
    provider.signs_in = email
    start = client.get(reverse("oidc_authentication_init") + next_page)
    assert start.status_code == 302 and start["Location"].startswith(provider.url)
    back = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_an_invited_person_signs_in_with_their_council_account(world, client, provider):
    response = sign_in_at_the_council(client, provider, "PAT@example.test")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    # The council's provider asked for its own second factor: no authenticator code here.
    assert client.get(reverse("home")).status_code == 200
    assert client.session["_auth_user_id"] == str(world.practitioner.pk)


def test_it_returns_the_person_to_the_page_they_asked_for(world, client, provider):
    family_page = reverse("family", args=[world.family.pk])
    response = sign_in_at_the_council(client, provider, "pat@example.test", f"?next={family_page}")
    assert response["Location"] == family_page


def test_someone_not_invited_is_refused_with_a_page_that_says_why(world, client, provider):
    response = sign_in_at_the_council(client, provider, "stranger@example.test")
    assert response.status_code == 302 and response["Location"] == reverse("sso_refused")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "only lets in people its administrators have invited" in page.content.decode()
    assert client.get(reverse("home")).status_code == 302  # not signed in
    refused = AuditEntry.objects.get(action="sign_in.sso_refused")
    assert refused.changes == {"email": "stranger@example.test"} and refused.actor is None


def test_a_switched_off_account_is_refused(world, client, provider):
    world.practitioner.is_active = False
    world.practitioner.save()
    response = sign_in_at_the_council(client, provider, "pat@example.test")
    assert response["Location"] == reverse("sso_refused")
    assert AuditEntry.objects.filter(action="sign_in.sso_refused").count() == 1


def test_an_id_token_made_for_another_service_is_refused(world, client, provider):
    provider.audience = "some-other-service"
    response = sign_in_at_the_council(client, provider, "pat@example.test")
    assert response.status_code == 400
    assert client.get(reverse("home")).status_code == 302


def test_where_the_provider_is_not_trusted_for_it_an_authenticator_code_is_asked(
        world, client, provider, settings):
    settings.SSO_COUNTS_AS_TWO_FACTOR = False
    sign_in_at_the_council(client, provider, "pat@example.test")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("enrol_two_factor"))


def test_the_sign_in_page_offers_the_council_account_only_when_it_is_set_up(world, client,
                                                                            settings):
    assert "Sign in with your council account" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("sso_refused")).status_code == 404
    settings.SINGLE_SIGN_ON = True
    assert "Sign in with your council account" in client.get(reverse("login")).content.decode()


def test_a_provider_that_cannot_be_reached_does_not_stop_password_sign_in(world, client,
                                                                          settings):
    with oidc_provider.configured(settings):
        pass  # set up, then the provider stops: its address no longer answers
    sso.discovery.cache_clear()
    response = client.post(reverse("login"), {"username": world.practitioner.email,
                                              "password": factories.PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
