"""Personas for every test: a practitioner and their family, a colleague in another team, the
practitioner's team manager, the data team, an evaluator, an administrator and an outsider (a
signed-in account with no team), who must be refused everywhere."""

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from familyfeedback.accounts.models import Role, Team, User
from familyfeedback.casework.models import Family
from tests import factories


@dataclass
class World:
    team: Team
    other_team: Team
    practitioner: User
    colleague_other_team: User
    manager: User
    data_team: User
    evaluator: User
    administrator: User
    outsider: User
    family: Family
    other_family: Family

    def everyone(self) -> dict[str, User]:
        return {
            "practitioner": self.practitioner,
            "colleague in another team": self.colleague_other_team,
            "manager": self.manager,
            "data team": self.data_team,
            "evaluator": self.evaluator,
            "administrator": self.administrator,
            "outsider": self.outsider,
        }


def pytest_sessionstart(session):
    """Compile the translations as `make assets` does: they are built, never committed, so a
    clean clone has none. Django reads a catalogue when a language is first used, after this."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in Path(__file__).resolve().parents[1].glob("locale/*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


def pytest_sessionfinish(session, exitstatus):
    # Django removes the SQLite test database but not the WAL and shared-memory files beside it.
    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if name:
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 is deliberately slow; the tests make dozens of users and sign in through the form.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def force_login_includes_the_code(monkeypatch):
    """Client.force_login stands for a person fully signed in: their password and a code from
    their authenticator app (with_code=False: their password only). The steps themselves go
    through the pages in tests/accounts/test_two_factor.py."""
    force_login = Client.force_login

    def signed_in_with_code(self, user, backend=None, with_code=True):
        force_login(self, user, backend)
        if not with_code:
            return
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = factories.authenticator(user).persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", signed_in_with_code)


@pytest.fixture
def world(db) -> World:
    team = Team.objects.create(name="North 1")
    other_team = Team.objects.create(name="South 2")
    practitioner = factories.user("pat@example.test", team=team)
    colleague = factories.user("cole@example.test", team=other_team)
    return World(
        team=team,
        other_team=other_team,
        practitioner=practitioner,
        colleague_other_team=colleague,
        manager=factories.user("mona@example.test", Role.TEAM_MANAGER, manages=team),
        data_team=factories.user("dana@example.test", Role.DATA_TEAM),
        evaluator=factories.user("eve@example.test", Role.EVALUATOR),
        administrator=factories.user("ada@example.test", Role.ADMINISTRATOR),
        outsider=factories.user("otto@example.test"),
        family=factories.family(team, practitioner, ages=(35, 34, 9, 4), name="Ashdown family"),
        other_family=factories.family(other_team, colleague, name="Birchley family"),
    )


@pytest.fixture
def signed_in(client):
    def sign_in(user: User):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Pictures a test saves go to a folder of its own, removed after it: no child's drawing,
    even a made-up one, is left behind."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield settings.MEDIA_ROOT
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
