from django.urls import reverse

from tests import factories


def test_a_practitioner_signs_in_with_email_and_password(world, client):
    response = client.post(reverse("login"), {"username": "PAT@example.test",
                                              "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_says_so_plainly_and_keeps_the_email(world, client):
    page = client.post(reverse("login"), {"username": "pat@example.test",
                                          "password": "wrong"}).content.decode()
    assert "Enter a correct email address and password" in page
    assert 'value="pat@example.test"' in page
    assert "There is a problem" in page


def test_empty_fields_are_named(world, client):
    page = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert "Enter your email address" in page and "Enter your password" in page


def test_signing_out_needs_a_post(world, client):
    client.force_login(world.practitioner)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_five_wrong_passwords_lock_the_email_out_for_a_while(world, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "pat@example.test", "password": "wrong"})
    # Even the right password, typed with other capitals, is refused while locked out.
    response = client.post(reverse("login"), {"username": "Pat@Example.test",
                                              "password": factories.PASSWORD})
    page = response.content.decode()
    assert response.status_code == 429
    assert "You entered the wrong password 5 times. Wait 15 minutes" in page
    assert client.get(reverse("home")).status_code == 302  # still signed out


def test_pages_send_a_content_security_policy_with_a_nonce_for_the_one_inline_script(world,
                                                                                     client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_an_absurdly_long_email_is_a_wrong_sign_in_not_a_server_error(world, client):
    response = client.post(reverse("login"), {"username": "Ll" * 70_000, "password": "wrong"})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
