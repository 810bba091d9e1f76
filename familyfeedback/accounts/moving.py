"""Moving a pilot from its SQLite file into a new PostgreSQL database: every table of every app,
each row with its primary key, so every link between rows, every audit entry's place in the hash
chain and every picture's file name stay as they were.

The SQLite file is opened read-only and read in one transaction, so it is never changed and is
read as of one moment. The copy is one PostgreSQL transaction with the foreign keys checked at
its commit (Django makes every foreign key DEFERRABLE), so tables go in any order and a failure
leaves the target as empty as it was. Rows are inserted with their values as stored: nothing is
stamped with the time of the move (a model's auto_now would be, through the ORM), which would
break the audit chain. The audit log's trigger refuses UPDATE and DELETE only, so the INSERTs
pass it, and it stays in force after.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connection,
    connections,
    transaction,
)
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from familyfeedback.accounts import audit
from familyfeedback.accounts.backups import row_counts

SOURCE = "moving_from_sqlite"
# What migrate writes into any new database; the move replaces them with the pilot's own rows,
# which the pilot's other rows (permissions, audit entries about users) point at by key.
FILLED_BY_MIGRATE = ("django_content_type", "auth_permission")
MIGRATIONS = "django_migrations"
BATCH = 2000
SQLITE_HEADER = b"SQLite format 3\x00"


class MoveError(Exception):
    """A sentence for the person running the command."""


def move(path: Path, *, by: str,
         show: Callable[[list[tuple[str, int, int]]], None]) -> list[tuple[str, int, int]]:
    """Copy the pilot's SQLite file at path into this service's PostgreSQL database, which must
    hold no data. show is given each table's row count in the file and in PostgreSQL before the
    copy is committed; the copy is undone if any differ."""
    if connection.vendor != "postgresql":
        raise MoveError(f"This service is using {connection.display_name}, not PostgreSQL: set "
                        "DATABASE_URL to the new PostgreSQL database (postgres://...) and run "
                        "this again")
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise MoveError(f"Could not open the PostgreSQL database: {_first_line(error)}") from None
    with _opened(path) as source:
        _refuse_other_migrations(source, path)
        _refuse_data()
        call_command("migrate", interactive=False, verbosity=0)
        models = _models()
        try:
            counts = _copy_all(source, models, show)
        except IntegrityError as error:  # a deferred foreign key, checked at the commit
            raise MoveError(f"PostgreSQL refused the copy ({_first_line(error)}): nothing was "
                            "copied, and the PostgreSQL database is as empty as it was") from None
    audit.record(None, "database.moved", None, {
        "by": by, "from": path.name, "rows": str(sum(here for _, _, here in counts))})
    return counts


def _copy_all(source, models: list, show) -> list[tuple[str, int, int]]:
    with transaction.atomic(using=SOURCE), transaction.atomic(), \
            connection.cursor() as cursor, source.cursor() as reading:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # Names of our own tables, quoted: nothing from outside gets into the SQL.
        cursor.execute("TRUNCATE " + ", ".join(map(connection.ops.quote_name,  # nosec B608
                                                   FILLED_BY_MIGRATE)) + " CASCADE")
        for model in models:
            _copy(model, cursor)
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
        before, after = row_counts(reading), row_counts(cursor)
        counts = [(table, before.get(table, 0), after.get(table, 0))
                  for table in sorted(before.keys() | after.keys())]
        show(counts)
        differ = [table for table, there, here in counts if there != here]
        if differ:
            raise MoveError(f"The row counts differ in {', '.join(differ)}: nothing was "
                            "copied, and the PostgreSQL database is as empty as it was")
    return counts


@contextmanager
def _opened(path: Path) -> Iterator:
    """The SQLite file as a database connection of its own, read-only, closed on leaving."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise MoveError(f"There is no file {path}") from None
    except IsADirectoryError:
        raise MoveError(f"{path} is a folder: give the SQLite database file") from None
    if header != SQLITE_HEADER:
        raise MoveError(f"{path.name} is not a SQLite database")
    with connected(SOURCE, {"ENGINE": "django.db.backends.sqlite3",
                            "NAME": f"{path.resolve().as_uri()}?mode=ro"}) as source:
        try:
            tables = set(source.introspection.table_names())
        except DatabaseError:
            raise MoveError(f"{path.name} is damaged or is not a SQLite database") from None
        if not {MIGRATIONS, "accounts_user", "accounts_auditentry"} <= tables:
            raise MoveError(f"{path.name} is a SQLite database, but not Family Feedback's")
        yield source


@contextmanager
def connected(alias: str, database: dict) -> Iterator:
    """A database besides the service's own, as Django's connection alias for the while: the
    ORM reads it with each field's own conversions."""
    connections.settings[alias] = connections.configure_settings(
        {DEFAULT_DB_ALIAS: {}, alias: database})[alias]
    try:
        yield connections[alias]
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def _refuse_other_migrations(source, path: Path) -> None:
    """The file's tables must be the ones this version's models describe: the migrations it
    has had must be exactly the code's."""
    executor = MigrationExecutor(source)
    missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
    unknown = set(MigrationRecorder(source).applied_migrations()) - set(executor.loader.graph.nodes)
    if missing:
        raise MoveError(f"{path.name} lacks {len(missing)} of this version's migrations (the "
                        f"first: {missing[0][0].app_label} {missing[0][0].name}): start the "
                        "pilot once on this version, which migrates it, stop it, then move it")
    if unknown:
        app, name = sorted(unknown)[0]
        raise MoveError(f"{path.name} has migrations this version does not know (the first: "
                        f"{app} {name}): it was made by a newer version; move it with that one")


def _refuse_data() -> None:
    """Only an empty database is moved into: new, or migrated and never used."""
    counts = row_counts()
    held = sorted(table for table, count in counts.items()
                  if count and table not in {MIGRATIONS, *FILLED_BY_MIGRATE})
    if held:
        raise MoveError(f"The PostgreSQL database already holds data (in {', '.join(held[:3])}"
                        f"{' and more' if len(held) > 3 else ''}): move only into a new, empty "
                        "database")


def _models() -> list:
    """Every model with a table of its own: each app's, Django's and third parties', and the
    link tables of many-to-many fields."""
    return [model for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy]


def _copy(model, cursor) -> None:
    fields = model._meta.local_concrete_fields
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    # The model's own table and columns, quoted; every value is a parameter.
    sql = (f"INSERT INTO {table} ({columns}) "  # nosec B608
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    rows = (model._base_manager.using(SOURCE).order_by("pk")
            .values_list(*(field.attname for field in fields)).iterator(chunk_size=BATCH))
    batch = []
    for row in rows:
        batch.append([field.get_db_prep_save(value, connection)
                      for field, value in zip(fields, row, strict=True)])
        if len(batch) == BATCH:
            _insert(cursor, sql, batch, model)
            batch = []
    if batch:
        _insert(cursor, sql, batch, model)


def _insert(cursor, sql: str, batch: list, model) -> None:
    """SQLite keeps what PostgreSQL refuses (a text longer than its column, say): said in a
    sentence, and the whole copy undone."""
    try:
        with transaction.atomic():  # a savepoint: the transaction stays usable to roll back
            cursor.executemany(sql, batch)
    except DatabaseError as error:
        raise MoveError(f"PostgreSQL refused a row of {model._meta.db_table} "
                        f"({_first_line(error)}): nothing was copied, and the PostgreSQL "
                        "database is as empty as it was. Correct that row in the pilot and "
                        "run this again") from None


def _first_line(error: Exception) -> str:
    """The database's message without its DETAIL lines, which can quote a row's values."""
    return (str(error).strip().splitlines() or ["no message"])[0]
