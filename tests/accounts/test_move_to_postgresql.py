"""move_to_postgresql as the person moving a pilot runs it: `manage.py` in its own process with
DATABASE_URL naming a new PostgreSQL database, from a real SQLite file made by migrate and the
demo service, with rows added in every app the demo leaves empty (Django's, axes', django-otp's,
a picture, a tombstone).

Both passes of the suite reach PostgreSQL: the PostgreSQL pass on its own server; the SQLite pass
on FF_TEST_POSTGRESQL_URL (`make test` sets it to DATABASE_URL), or else on the local server CI
starts (.ci/run). Each move goes into a database of its own, made and dropped here."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from itertools import count
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
import pytest
from django.apps import apps
from django.conf import settings

from familyfeedback.accounts.moving import connected

REPO = Path(__file__).resolve().parents[2]
LOCAL_SERVER = "postgres://postgres:postgres@127.0.0.1:5432/postgres"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

# What the demo leaves empty, added through the models as the service adds it.
SEED = f"""
import datetime
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from familyfeedback.accounts import rate_limits
from familyfeedback.accounts.models import AuditEntry, User
from familyfeedback.casework.models import Administration
from familyfeedback.privacy.models import Tombstone
from tests import factories

person = User.objects.order_by("pk").first()
group = Group.objects.create(name="Moved group")
group.permissions.set(Permission.objects.order_by("pk")[:3])
person.groups.add(group)
person.user_permissions.add(Permission.objects.order_by("-pk").first())
factories.authenticator(person)
factories.recovery_codes(person, "abcd-efgh", "ijkl-mnop")
session = SessionStore()
session["moved"] = "yes"
session.save()
attempt = AccessAttempt.objects.create(
    username="someone@example.test", ip_address="192.0.2.1", user_agent="test",
    http_accept="*/*", path_info="/sign-in/", get_data="", post_data="", failures_since_start=2)
AccessAttemptExpiration.objects.create(
    access_attempt=attempt, expires_at=datetime.datetime(2026, 1, 2, 3, 4, 5, 678901,
                                                         tzinfo=datetime.UTC))
AccessLog.objects.create(username="someone@example.test", ip_address="2001:db8::1",
                         user_agent="test", http_accept="*/*", path_info="/sign-in/")
AccessFailureLog.objects.create(username="someone@example.test", ip_address="192.0.2.1",
                                user_agent="test", http_accept="*/*", path_info="/sign-in/",
                                locked_out=True)
# Stamped when made; moved, it must keep this time, not take the time of the move.
tombstone = Tombstone.objects.create(rule="test", record_type="family", count=1,
                                     removed_ids=[1, 2], reason="Ünïcode reason")
Tombstone.objects.filter(pk=tombstone.pk).update(
    at=datetime.datetime(2025, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC))
rate_limits.check_rate(person, "export")
from django.core.management import call_command
from familyfeedback.casework.actions import touch
call_command("refresh_summaries", "--all")  # the dashboards' monthly summaries
touch([datetime.date(2026, 1, 5)])  # and a month marked for the next refresh
record = Administration.objects.order_by("pk").first()
record.picture.save("moved-drawing.png", ContentFile(bytes.fromhex("{PNG.hex()}")))
# Last: an entry whose process stopped before it could seal it into the hash chain.
AuditEntry.objects.bulk_create([AuditEntry(action="family.view", object_type="family",
                                           object_id=1)])
"""


def server_url() -> str:
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return settings.DATABASE_URL
    return os.environ.get("FF_TEST_POSTGRESQL_URL") or LOCAL_SERVER


def manage(*arguments: str, database: str, var: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database, "FF_VAR_DIR": str(var),
                   "FF_REQUIRE_TWO_FACTOR": "false"}
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=600)


def refused(result: subprocess.CompletedProcess) -> str:
    """The sentence a refused command ends with: on its own, with no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    # After any warnings of Django's checks (SQLite's, when the service is on SQLite).
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("CommandError: ")
    return last.removeprefix("CommandError: ")


@pytest.fixture(scope="module")
def pilot(tmp_path_factory):
    """A pilot's var folder: its SQLite database (the demo and the seed above) and its media."""
    var = tmp_path_factory.mktemp("pilot") / "var"
    var.mkdir()
    database = f"sqlite:///{var / 'familyfeedback.sqlite3'}"
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"], ["shell", "-c", SEED]):
        result = manage(*command, database=database, var=var)
        assert result.returncode == 0, result.stderr
    return var


_names = count()


def new_database() -> str:
    """The URL of a new, empty PostgreSQL database (dropped by drop_databases)."""
    name = f"ff_move_{os.getpid()}_{next(_names)}"
    server = server_url()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


@pytest.fixture(scope="module", autouse=True)
def drop_databases():
    yield
    with psycopg.connect(server_url(), autocommit=True) as connection:
        for (name,) in connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                [f"ff_move_{os.getpid()}_%"]).fetchall():
            connection.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def moved(pilot):
    target = new_database()
    result = manage("move_to_postgresql", str(pilot / "familyfeedback.sqlite3"),
                    database=target, var=pilot)
    assert result.returncode == 0, result.stderr
    return target, result.stdout


@pytest.fixture
def both(pilot, moved, django_db_blocker):
    """The pilot's file and the PostgreSQL database it moved to, read through Django."""
    with django_db_blocker.unblock(), \
            connected("pilot", dj_database_url.parse(
                f"sqlite:///{pilot / 'familyfeedback.sqlite3'}")) as before, \
            connected("moved", dj_database_url.parse(moved[0])) as after:
        yield before, after


def tables_of(database) -> list[str]:
    with database.cursor() as cursor:
        return sorted(database.introspection.table_names(cursor))


def test_every_row_of_every_table_moves_with_its_primary_key(both):
    before, after = both
    assert tables_of(before) == tables_of(after)
    models = [model for model in apps.get_models(include_auto_created=True)
              if model._meta.managed and not model._meta.proxy]
    covered = {model._meta.db_table for model in models} | {"django_migrations"}
    assert set(tables_of(before)) == covered
    empty = []
    for model in models:
        fields = [field.attname for field in model._meta.local_concrete_fields]
        there = list(model._base_manager.using("pilot").order_by("pk").values_list(*fields))
        here = list(model._base_manager.using("moved").order_by("pk").values_list(*fields))
        if model._meta.db_table == "accounts_auditentry":
            assert here[-1][fields.index("action")] == "database.moved"
            here = here[:-1]  # the move's own entry, written once the copy was committed
            there, here = without_the_seal_of_unsealed_entries(fields, there, here)
        if model._meta.db_table == "accounts_auditseal":
            continue  # it moved on by the move's entry: test_the_audit_chain_...
        assert there == here, model._meta.db_table
        if not there:
            empty.append(model._meta.db_table)
    # Only tables of features the demo and the seed do not use are empty.
    assert set(empty) <= {"accounts_bulkviewalert", "casework_alertacknowledgement",
                          "casework_feedbacklink", "casework_installedtextpack",
                          "evaluation_coding", "evaluation_consent", "evaluation_document",
                          "evaluation_erasure", "evaluation_finding", "evaluation_matrixcell",
                          "evaluation_quote", "evaluation_theme",
                          "evaluation_theme_research_questions",
                          "implementation_reminderpreference", "implementation_remindersent",
                          "implementation_supervisionnote"}
    with before.cursor() as old, after.cursor() as new:
        old.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        new.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        assert old.fetchall() == new.fetchall()


def without_the_seal_of_unsealed_entries(fields: list[str], there: list, here: list):
    """The entries moved: the one the pilot had not sealed yet was sealed with the move's own
    entry, and is otherwise as it was."""
    chain = {fields.index(name) for name in ("position", "changes_digest", "entry_hash")}
    unsealed = [index for index, row in enumerate(there) if row[fields.index("position")] is None]
    assert len(unsealed) == 1
    for index in unsealed:
        assert all(here[index][column] not in (None, "") for column in chain)
        there[index], here[index] = (
            tuple(value for column, value in enumerate(row) if column not in chain)
            for row in (there[index], here[index]))
    return there, here


def test_the_command_prints_each_tables_counts_and_where_the_pictures_are(moved, both, pilot):
    _, output = moved
    before, _ = both
    with before.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM casework_administration")
        (administrations,) = cursor.fetchone()
    lines = output.splitlines()
    assert lines[0].split() == ["table", "SQLite", "PostgreSQL"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:] if line.startswith(
        tuple("abcdefghijklmnopqrstuvwxyz"))}
    assert set(rows) == set(tables_of(before))
    assert all(there == here for there, here in rows.values())
    assert rows["casework_administration"] == [f"{administrations:,}"] * 2
    assert "differs" not in output
    assert f"The pictures were not copied: they stay in {pilot / 'media'}" in output


def test_the_pictures_stay_where_they_were_and_the_moved_records_name_them(both, pilot):
    pictures = []
    for database in both:
        with database.cursor() as cursor:
            cursor.execute("SELECT id, picture FROM casework_administration WHERE picture <> ''")
            pictures.append(cursor.fetchall())
    before, after = pictures
    assert after == before and len(after) == 1
    [(_, name)] = after
    assert (pilot / "media" / name).read_bytes() == PNG


def test_the_audit_chain_verifies_and_the_trigger_still_refuses_changes(moved, pilot):
    target, _ = moved
    result = manage("verify_audit", database=target, var=pilot)
    assert result.returncode == 0, result.stderr
    assert "the chain is whole" in result.stdout
    assert "Sealed" not in result.stdout  # the pilot's unsealed entry was sealed by the move
    with psycopg.connect(target) as connection:
        (entries,) = connection.execute("SELECT COUNT(*) FROM accounts_auditentry").fetchone()
        assert f"Checked {entries:,} entries" in result.stdout
        with pytest.raises(psycopg.errors.RaiseException, match="never deleted"):
            connection.execute("DELETE FROM accounts_auditentry")
        connection.rollback()
        with pytest.raises(psycopg.errors.RaiseException, match="never changed"):
            connection.execute("UPDATE accounts_auditentry SET action = 'altered'")


def test_new_rows_take_keys_after_the_moved_ones(moved):
    target, _ = moved
    with psycopg.connect(target) as connection:
        (highest,) = connection.execute("SELECT MAX(id) FROM accounts_team").fetchone()
        (new,) = connection.execute(
            "INSERT INTO accounts_team (name) VALUES ('New team') RETURNING id").fetchone()
        connection.rollback()
    assert new > highest


def test_a_database_holding_data_is_refused_and_left_as_it_was(moved, pilot):
    target, _ = moved
    with psycopg.connect(target) as connection:
        (users,) = connection.execute("SELECT COUNT(*) FROM accounts_user").fetchone()
    result = manage("move_to_postgresql", str(pilot / "familyfeedback.sqlite3"),
                    database=target, var=pilot)
    assert refused(result).startswith("The PostgreSQL database already holds data (in ")
    with psycopg.connect(target) as connection:
        assert connection.execute("SELECT COUNT(*) FROM accounts_user").fetchone() == (users,)


def test_a_row_postgresql_refuses_undoes_the_copy_and_a_migrated_database_is_moved_into(
        tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    source = var / "small.sqlite3"
    made = manage("migrate", "--noinput", "-v0", database=f"sqlite:///{source}", var=var)
    assert made.returncode == 0, made.stderr
    # SQLite keeps a name longer than its column allows; PostgreSQL does not.
    with sqlite3.connect(source) as pilot:
        pilot.execute("INSERT INTO accounts_team (name) VALUES (?)", ["N" * 101])
    pilot.close()
    # Migrated as the service's start does, and never used.
    target = new_database()
    assert manage("migrate", "--noinput", "-v0", database=target, var=var).returncode == 0

    result = manage("move_to_postgresql", str(source), database=target, var=var)
    assert refused(result) == (
        "PostgreSQL refused a row of accounts_team (value too long for type character "
        "varying(100)): nothing was copied, and the PostgreSQL database is as empty as it was. "
        "Correct that row in the pilot and run this again")
    with psycopg.connect(target) as connection:
        assert connection.execute("SELECT COUNT(*) FROM accounts_team").fetchone() == (0,)

    with sqlite3.connect(source) as pilot:
        pilot.execute("UPDATE accounts_team SET name = 'Only team'")
    pilot.close()
    result = manage("move_to_postgresql", str(source), database=target, var=var)
    assert result.returncode == 0, result.stderr
    with psycopg.connect(target) as connection:
        assert connection.execute("SELECT id, name FROM accounts_team").fetchall() == [
            (1, "Only team")]


def other_migrations(file: Path, change: str) -> None:
    with sqlite3.connect(file) as pilot:
        if change == "lacks":
            pilot.execute("DELETE FROM django_migrations WHERE id = "
                          "(SELECT MAX(id) FROM django_migrations)")
        else:
            pilot.execute("INSERT INTO django_migrations (app, name, applied) "
                          "VALUES ('casework', '9999_from_the_future', '2027-01-01')")
    pilot.close()


@pytest.mark.parametrize(("change", "sentence"), [
    ("lacks", "lacks 1 of this version's migrations (the first: "),
    ("unknown", "has migrations this version does not know (the first: casework "
                "9999_from_the_future): it was made by a newer version"),
])
def test_a_file_of_another_version_is_refused_and_nothing_is_made(pilot, tmp_path, change,
                                                                  sentence):
    file = tmp_path / "pilot.sqlite3"
    shutil.copyfile(pilot / "familyfeedback.sqlite3", file)
    other_migrations(file, change)
    checksum = hashlib.sha256(file.read_bytes()).hexdigest()
    target = new_database()
    result = manage("move_to_postgresql", str(file), database=target, var=pilot)
    assert sentence in refused(result)
    with psycopg.connect(target) as connection:
        assert connection.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"
                                  ).fetchone() == (0,)
    assert hashlib.sha256(file.read_bytes()).hexdigest() == checksum


def test_files_that_are_not_a_pilots_database_are_refused(tmp_path, pilot):
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as database:
        database.execute("CREATE TABLE notes (body TEXT)")
    database.close()
    target = new_database()
    cases = {
        text: "notes.txt is not a SQLite database",
        other: "other.sqlite3 is a SQLite database, but not Family Feedback's",
        tmp_path / "missing.sqlite3": f"There is no file {tmp_path / 'missing.sqlite3'}",
        tmp_path: f"{tmp_path} is a folder: give the SQLite database file",
    }
    for path, sentence in cases.items():
        assert refused(manage("move_to_postgresql", str(path), database=target,
                              var=pilot)) == sentence


def test_a_service_not_on_postgresql_or_a_database_not_there_is_refused(pilot, tmp_path):
    file = str(pilot / "familyfeedback.sqlite3")
    result = manage("move_to_postgresql", file,
                    database=f"sqlite:///{tmp_path / 'other.sqlite3'}", var=pilot)
    assert refused(result) == (
        "This service is using SQLite, not PostgreSQL: set DATABASE_URL to the new PostgreSQL "
        "database (postgres://...) and run this again")
    missing = urlunsplit(urlsplit(server_url())._replace(path=f"/ff_move_{os.getpid()}_none"))
    sentence = refused(manage("move_to_postgresql", file, database=missing, var=pilot))
    assert sentence.startswith("Could not open the PostgreSQL database: ")
    assert f'database "ff_move_{os.getpid()}_none" does not exist' in sentence
