import pytest
from django.core.exceptions import ImproperlyConfigured

from familyfeedback.lib.env import env_bool, env_int, env_list, env_str


def test_booleans_accept_the_usual_spellings(monkeypatch):
    for raw, expected in (("1", True), ("yes", True), ("ON", True), ("0", False), ("no", False)):
        monkeypatch.setenv("FF_FLAG", raw)
        assert env_bool("FF_FLAG", not expected) is expected


def test_a_misspelt_boolean_stops_the_server(monkeypatch):
    monkeypatch.setenv("FF_FLAG", "flase")
    with pytest.raises(ImproperlyConfigured, match="FF_FLAG must be true or false"):
        env_bool("FF_FLAG", False)


def test_numbers_are_checked(monkeypatch):
    monkeypatch.setenv("FF_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("FF_N", 1)
    monkeypatch.setenv("FF_N", "-3")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("FF_N", 1)
    monkeypatch.setenv("FF_N", "42")
    assert env_int("FF_N", 1) == 42


def test_an_empty_text_value_means_the_default(monkeypatch):
    monkeypatch.setenv("FF_URL", "")
    assert env_str("FF_URL", "sqlite:///x") == "sqlite:///x"
    monkeypatch.setenv("FF_URL", "postgres://h/db")
    assert env_str("FF_URL", "sqlite:///x") == "postgres://h/db"


def test_lists_split_on_commas(monkeypatch):
    monkeypatch.setenv("FF_HOSTS", "a.example, b.example,,")
    assert env_list("FF_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.delenv("FF_HOSTS")
    assert env_list("FF_HOSTS", ["x"]) == ["x"]


def test_sqlite_runs_in_wal_with_immediate_transactions(tmp_path, django_db_blocker):
    # The settings' own builder on an SQLite URL, opened as a real connection by the backend it
    # names: the same on the SQLite and the PostgreSQL pass, whichever database the suite uses.
    from tests.test_file_permissions import open_sqlite

    connection = open_sqlite(tmp_path / "check.sqlite3", django_db_blocker)
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
    finally:
        connection.close()


def test_amounts_are_checked(monkeypatch):
    from decimal import Decimal

    from familyfeedback.lib.env import env_decimal

    assert env_decimal("FF_AMOUNT", Decimal("1"), minimum=Decimal("0.1")) == Decimal("1")
    monkeypatch.setenv("FF_AMOUNT", "one")
    with pytest.raises(ImproperlyConfigured, match="FF_AMOUNT must be a number"):
        env_decimal("FF_AMOUNT", Decimal("1"), minimum=Decimal("0.1"))
    for bad in ("0", "nan", "inf"):
        monkeypatch.setenv("FF_AMOUNT", bad)
        with pytest.raises(ImproperlyConfigured, match="FF_AMOUNT must be"):
            env_decimal("FF_AMOUNT", Decimal("1"), minimum=Decimal("0.1"))
    monkeypatch.setenv("FF_AMOUNT", "1.5")
    assert env_decimal("FF_AMOUNT", Decimal("1"), minimum=Decimal("0.1")) == Decimal("1.5")
