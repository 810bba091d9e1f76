"""Backups: the database and the photos in one archive, checked before anything is restored.

An archive is a tar of the database (an SQLite copy made with SQLite's online backup API, or a
pg_dump in its custom format), the files under MEDIA_ROOT and manifest.json, which holds each
table's row count and each file's SHA-256. Both are taken from one consistent view of the
database while the service runs: SQLite's backup copies a snapshot (WAL readers are never
blocked), and pg_dump is pointed at the snapshot the row counts were read in. Restore checks
every checksum before it changes anything, so a damaged, truncated or foreign archive is refused
whole.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from familyfeedback.accounts import audit

FORMAT = "family-feedback-backup"
VERSION = 1
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
# The apps whose rows are the service's data; Django's own tables (migrations, content types,
# permissions, groups) are filled by migrate in any new database.
DATA_APPS = ("accounts", "casework", "implementation", "evaluation")


class BackupError(Exception):
    """A sentence for the person running the command."""


def back_up(directory: Path, *, by: str) -> Path:
    """Write a new archive into directory and return its path; never replaces a file."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"familyfeedback-{timezone.now():%Y%m%d-%H%M%S}.tar"
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"Backups of a {vendor} database are not supported")
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMPS[vendor]
        tables = _dump_sqlite(dump) if vendor == "sqlite" else _dump_postgresql(dump)
        files = {DUMPS[vendor]: dump.read_bytes()}
        files.update(_media_files())
        manifest = {"format": FORMAT, "version": VERSION, "made_at": timezone.now().isoformat(),
                    "database": vendor, "tables": tables,
                    "files": {name: _sha256(data) for name, data in files.items()}}
        files[MANIFEST] = json.dumps(manifest, indent=2, sort_keys=True).encode()
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise BackupError(f"{path} already exists: it is never replaced") from None
        try:
            with os.fdopen(descriptor, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
                for name, data in files.items():
                    member = tarfile.TarInfo(name)
                    member.size, member.mode = len(data), 0o600
                    tar.addfile(member, io.BytesIO(data))
        except BaseException:
            path.unlink(missing_ok=True)  # a half-written archive must not pass for a backup
            raise
    audit.record(None, "backup.made", None, {"by": by, "archive": path.name,
                                            "files": str(len(files) - 1)})
    return path


def restore(path: Path, *, by: str, force: bool = False) -> dict:
    """Restore the archive at path; returns its manifest. Refuses, changing nothing, an archive
    that fails its checks, or a database holding data unless force."""
    with tempfile.TemporaryDirectory() as work:
        manifest = _unpack(path, Path(work))
        if manifest["database"] != connection.vendor:
            raise BackupError(f"{path.name} is a backup of a {manifest['database']} database; "
                              f"this service uses {connection.vendor}")
        if not force and holds_data():
            raise BackupError("The database already holds data: restore only into an empty "
                              "database, or add --force to replace it")
        dump = Path(work) / DUMPS[connection.vendor]
        if connection.vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)
        _restore_media(Path(work), manifest["files"])
    counts = row_counts()
    if counts != manifest["tables"]:
        raise BackupError(f"{path.name} was restored but its row counts differ from its "
                          "manifest: check the database")
    audit.record(None, "backup.restored", None, {"by": by, "archive": path.name,
                                                "made_at": manifest["made_at"]})
    return manifest


def holds_data() -> bool:
    """Whether any of the service's own tables has a row; a database never migrated has none."""
    tables = set(connection.introspection.table_names())
    return any(model.objects.exists() for model in apps.get_models()
               if model._meta.app_label in DATA_APPS and model._meta.db_table in tables)


def row_counts(cursor=None) -> dict[str, int]:
    """Every table's row count, in the caller's transaction (and database) if it passes its
    cursor."""
    if cursor is None:
        with connection.cursor() as cursor:
            return row_counts(cursor)
    database = cursor.db  # the service's database, or another the caller opened
    counts = {}
    for table in sorted(database.introspection.table_names(cursor)):
        # The database's own table names, quoted: nothing from outside gets into the SQL.
        cursor.execute(f"SELECT COUNT(*) FROM {database.ops.quote_name(table)}")  # nosec B608
        counts[table] = cursor.fetchone()[0]
    return counts


def _dump_sqlite(dump: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(dump)
    try:
        connection.connection.backup(copy)
        # Counted in the copy itself, so they are exactly what the archive holds.
        return {table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # nosec B608
                for (table,) in copy.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name")}
    finally:
        copy.close()


def _dump_postgresql(dump: Path) -> dict[str, int]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = row_counts(cursor)
        # The exported snapshot lives only while this transaction is open.
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--snapshot={snapshot}", f"--file={dump}"])
    return counts


def _restore_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgresql(dump: Path) -> None:
    connection.close()  # pg_restore drops the tables: no session of ours may hold them
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", str(dump)])


def _run(command: list[str]) -> None:
    database = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(database["PASSWORD"] or "")}
    target = ["--dbname", database["NAME"], "--host", database["HOST"] or "localhost",
              "--port", str(database["PORT"] or 5432), "--username", database["USER"] or ""]
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: install the PostgreSQL client tools")
    result = subprocess.run(command + target, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{command[0]} failed: {last}")


def _media_files() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return {}
    return {f"{MEDIA}/{path.relative_to(root).as_posix()}": path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


def _unpack(path: Path, work: Path) -> dict:
    """The archive's manifest, with every file it lists written under work and checked."""
    foreign = f"{path.name} is not a Family Feedback backup"
    try:
        with tarfile.open(path, mode="r:") as tar:
            members = {member.name: member for member in tar.getmembers()}
            manifest = json.loads(_read(tar, members, MANIFEST, foreign))
            if not (isinstance(manifest, dict) and manifest.get("format") == FORMAT
                    and manifest.get("version") == VERSION
                    and manifest.get("database") in DUMPS
                    and isinstance(manifest.get("files"), dict)
                    and isinstance(manifest.get("tables"), dict)
                    and DUMPS[manifest["database"]] in manifest["files"]):
                raise BackupError(foreign)
            if set(members) != set(manifest["files"]) | {MANIFEST}:
                raise BackupError(f"{path.name} holds other files than its manifest lists")
            for name, checksum in manifest["files"].items():
                if not _safe(name):
                    raise BackupError(foreign)
                data = _read(tar, members, name, foreign)
                if _sha256(data) != checksum:
                    raise BackupError(f"{path.name} is damaged: {name} does not match its "
                                      "checksum")
                target = work / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    except FileNotFoundError:
        raise BackupError(f"There is no file {path}") from None
    except (tarfile.TarError, EOFError, UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"{path.name} is damaged or is not a Family Feedback backup") from None
    return manifest


def _read(tar: tarfile.TarFile, members: dict, name: str, foreign: str) -> bytes:
    member = members.get(name)
    if member is None or not member.isfile():
        raise BackupError(foreign)
    return tar.extractfile(member).read()


def _safe(name: str) -> bool:
    """A name inside the archive that stays inside the folder it is restored to."""
    parts = PurePosixPath(name).parts
    return (name in DUMPS.values() or (len(parts) > 1 and parts[0] == MEDIA)) \
        and not PurePosixPath(name).is_absolute() and ".." not in parts


def _restore_media(work: Path, files: dict) -> None:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name in files:
        parts = PurePosixPath(name).parts
        if parts[0] != MEDIA:
            continue
        folder = root
        for part in parts[1:-1]:
            folder = folder / part
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = root.joinpath(*parts[1:])
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write((work / name).read_bytes())
        target.chmod(0o600)  # a file restored over a looser one is tightened too


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
