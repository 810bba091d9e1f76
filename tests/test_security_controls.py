"""Controls docs/security.md claims that no other test proves: cookies, headers, how passwords
are stored and which ones are taken, and methods a page must refuse."""
import io
import re
import zipfile

import docx
import pytest
from django.conf import global_settings
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

import familyfeedback.settings as project
from familyfeedback.accounts import actions
from familyfeedback.accounts.models import Role, User
from familyfeedback.evaluation import texts
from tests import factories


def sign_in(client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_the_session_and_csrf_cookies_are_same_site_and_the_session_is_http_only(world, client):
    client.get(reverse("login"))
    response = sign_in(client, "pat@example.test", factories.PASSWORD)
    session = response.cookies["sessionid"]
    assert session["httponly"] is True and session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["samesite"] == "Lax"


def test_signing_in_gives_a_new_session_key(world, client):
    before = client.session
    before["seen"] = True
    before.save()
    old_key = client.cookies["sessionid"].value
    assert sign_in(client, "pat@example.test", factories.PASSWORD).status_code == 302
    assert client.cookies["sessionid"].value not in ("", old_key)


def test_the_policy_refuses_plugins_and_other_bases_and_pages_are_utf8_html(world, client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert re.search(r'<input[^>]*id="password"[^>]*type="password"|<input[^>]*type="password"'
                     r'[^>]*id="password"', response.content.decode())


def test_passwords_are_stored_with_pbkdf2_at_current_strength(settings):
    # The test suite swaps in a fast hasher; this puts back what the service itself uses.
    settings.PASSWORD_HASHERS = getattr(project, "PASSWORD_HASHERS",
                                        global_settings.PASSWORD_HASHERS)
    algorithm, iterations, _salt, _hash = make_password("a long and unusual passphrase").split("$")
    # OWASP's password storage guidance: at least 600,000 iterations of PBKDF2-HMAC-SHA256.
    assert algorithm == "pbkdf2_sha256" and int(iterations) >= 600_000


def test_trace_is_refused_signed_in_or_not(world, client):
    assert client.generic("TRACE", reverse("login")).status_code == 405
    assert client.generic("TRACE", reverse("health")).status_code == 405
    client.force_login(world.practitioner)
    assert client.generic("TRACE", reverse("home")).status_code == 405


def accept_invitation(client, password: str):
    actions.invite(_administrator(), email="nia@example.test", full_name="Nia Newton",
                   roles=[Role.PRACTITIONER], teams=[], site="https://ff.example")
    link = re.search(r"https://ff\.example(/invitation/\S+/)", mail.outbox[-1].body)[1]
    opened = client.get(link)
    return client.post(opened["Location"], {"password": password, "confirm": password})


def _administrator() -> User:
    return User.objects.get(email="ada@example.test")


def test_a_common_password_is_refused(world, client):
    page = accept_invitation(client, "qwerty123456").content.decode()
    assert "This password is too common" in page
    assert not User.objects.get(email="nia@example.test").has_usable_password()


def test_a_long_password_of_any_characters_is_taken_and_checked_exactly_as_typed(world, client):
    password = "Ünïcode, spaces and punctuation!? " * 3  # 102 characters, no rule on kinds
    accept_invitation(client, password)
    assert User.objects.get(email="nia@example.test").check_password(password)
    for wrong in (password[:64], password.upper(), password.strip()):
        client.logout()
        assert sign_in(client, "nia@example.test", wrong).status_code == 200
    client.logout()
    assert sign_in(client, "nia@example.test", password).status_code == 302


def word_file_with(document_xml: bytes | None = None,
                   extra: dict[str, bytes] | None = None) -> bytes:
    """A real .docx from python-docx, with its main part replaced or members added."""
    out = io.BytesIO()
    docx.Document().save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source:
        parts = {item.filename: source.read(item) for item in source.infolist()}
    if document_xml is not None:
        parts["word/document.xml"] = document_xml
    parts.update(extra or {})
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return packed.getvalue()


def test_a_word_document_cannot_read_a_server_file_through_an_entity(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SERVER SECRET")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Before &x; after</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    text = texts.read_upload("a.docx", word_file_with(document))
    assert text.startswith("Before") and "SERVER SECRET" not in text


def test_a_word_document_that_unpacks_past_the_limit_is_refused_before_it_is_read():
    padding = b" " * (texts.MAX_UNPACKED_BYTES + 1)  # compresses to about 50 kB
    with pytest.raises(ValidationError, match="too large to read"):
        texts.read_upload("a.docx", word_file_with(extra={"word/padding.xml": padding}))
