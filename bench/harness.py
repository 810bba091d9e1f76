"""What every benchmark here shares: a fresh PostgreSQL database of its own, and the server's
version for the table's footnote."""

from urllib.parse import urlsplit, urlunsplit


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


def pg_version(connection) -> str:
    with connection.cursor() as cursor:
        number = cursor.connection.info.server_version
    return f"{number // 10000}.{number % 10000}"
