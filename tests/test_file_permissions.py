"""Children's data on disk is readable by its owner only: the SQLite database and the WAL and
shared-memory files beside it (0600), and the photos of drawn faces with their folders (0600
files, 0700 folders), whatever the umask of the process that made them."""

import os
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.utils import load_backend
from django.urls import reverse
from django.utils import timezone

from familyfeedback.casework.models import Administration
from familyfeedback.settings import _database
from tests.casework.forms_data import record_session_post
from tests.factories import PNG


@pytest.fixture
def loose_umask():
    """The umask many machines have (files 0644, folders 0755): the product must not rely on a
    stricter one."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def open_sqlite(path, django_db_blocker):
    """A connection made exactly as the settings make one, for an SQLite file at path."""
    config = _database(f"sqlite:///{path}")
    wrapper = load_backend(config["ENGINE"]).DatabaseWrapper(
        {**config, "TIME_ZONE": None, "AUTOCOMMIT": True, "CONN_HEALTH_CHECKS": False,
         "ATOMIC_REQUESTS": False})
    with django_db_blocker.unblock():
        wrapper.ensure_connection()
    return wrapper


def test_the_sqlite_database_and_its_wal_are_the_owners_only(tmp_path, loose_umask,
                                                             django_db_blocker):
    path = tmp_path / "familyfeedback.sqlite3"
    connection = open_sqlite(path, django_db_blocker)
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x)")
            cursor.execute("INSERT INTO t VALUES (1)")
            # While the connection is open the WAL and shared-memory files are on disk.
            assert {p.name for p in tmp_path.iterdir()} == {
                "familyfeedback.sqlite3", "familyfeedback.sqlite3-wal",
                "familyfeedback.sqlite3-shm"}
            for name in ("familyfeedback.sqlite3", "familyfeedback.sqlite3-wal",
                         "familyfeedback.sqlite3-shm"):
                assert mode(tmp_path / name) == 0o600, name
    finally:
        connection.close()


def test_a_database_made_readable_to_others_is_made_the_owners_only(tmp_path, loose_umask,
                                                                    django_db_blocker):
    path = tmp_path / "familyfeedback.sqlite3"
    path.touch(mode=0o644)
    assert mode(path) == 0o644
    open_sqlite(path, django_db_blocker).close()
    assert mode(path) == 0o600


def test_a_photo_and_its_folders_are_the_owners_only(world, signed_in, settings, tmp_path,
                                                    loose_umask):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = signed_in(world.practitioner)
    child = world.family.people.get(first_name="Person4")
    data = record_session_post(world.family, timezone.localdate())
    data[f"p{child.pk}-ors-picture"] = SimpleUploadedFile("drawing.png", PNG)
    assert client.post(reverse("record_session", args=[world.family.pk]), data).status_code == 302
    record = Administration.objects.exclude(picture="").get()
    stored = settings.MEDIA_ROOT / record.picture.name
    assert mode(stored) == 0o600
    assert mode(stored.parent) == 0o700
    assert mode(settings.MEDIA_ROOT) == 0o700


def test_collected_static_files_stay_readable_to_a_web_server(settings, tmp_path, loose_umask):
    # Only the photos are the owner's alone: a web server in front of the app may serve these.
    from django.core.management import call_command

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.css").write_text("body {}")
    settings.STATICFILES_DIRS = [tmp_path / "src"]
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", "--noinput", verbosity=0)
    assert mode(tmp_path / "static" / "app.css") == 0o644
