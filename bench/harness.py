"""What every benchmark here shares. Each runs one child process per database (so each reads
the project's settings as production does), the child reports one JSON line, and the parent
prints a table: the launching, the database set-up and the report line live here once."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULT_MARK = "BENCH-RESULT "


def bench_targets(sqlite_path: Path, pg_url: str | None, pg_name: str,
            reuse: bool = False) -> list[tuple[str, str]]:
    """SQLite always; PostgreSQL too when a postgres URL is given or DATABASE_URL is one."""
    found = [("SQLite", f"sqlite:///{sqlite_path}")]
    url = pg_url or os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        found.append(("PostgreSQL", postgres_database(url, pg_name, reuse)))
    return found


def postgres_database(url: str, name: str, reuse: bool = False) -> str:
    """The URL of the bench database `name` on the server `url` names: dropped and made again,
    or, with reuse, kept if it exists."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        found = reuse and conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                       [name]).fetchone()
        if not found:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def run_child(script: str, label: str, url: str, arguments: list[str]) -> dict | None:
    """Run the script as the worker for one database; its printed lines pass through, and its
    result line is returned (None, said on stderr, if it failed)."""
    command = [sys.executable, str(Path(script).resolve()), "--worker", label, *arguments]
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false",
           "DJANGO_SETTINGS_MODULE": "familyfeedback.settings"}
    done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    result = None
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            result = json.loads(line[len(RESULT_MARK):])
        else:
            print(line)
    if done.returncode != 0 or result is None:
        print(f"{label} run failed (exit {done.returncode})", file=sys.stderr)
        return None
    return result


def start_django(label: str, sqlite_path: Path) -> None:
    """In the child: a fresh SQLite file (WAL and shared-memory files too), Django set up, and
    the database migrated."""
    if label == "SQLite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def report(label: str, sqlite_path: Path, **result) -> None:
    """In the child: print the result line, with what the run ran on."""
    import django
    from django.db import connection

    server = (f"SQLite {connection.Database.sqlite_version}, file "
              f"{sqlite_path.relative_to(ROOT)}" if connection.vendor == "sqlite"
              else f"PostgreSQL {pg_version(connection)}, database "
                   f"{connection.settings_dict['NAME']}")
    print(RESULT_MARK + json.dumps({
        "database": label, "server": server, "python": sys.version.split()[0],
        "django": django.__version__, "cpus": os.cpu_count(), **result,
    }), flush=True)


def pg_version(connection) -> str:
    with connection.cursor() as cursor:
        number = cursor.connection.info.server_version
    return f"{number // 10000}.{number % 10000}"
