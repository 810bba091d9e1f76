from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from familyfeedback.accounts.moving import MoveError, move
from familyfeedback.lib.commands import sentences, who_runs
from familyfeedback.lib.csvfiles import printable


class Command(BaseCommand):
    help = (
        "Move a pilot from SQLite to PostgreSQL: copy every table of the SQLite database "
        "SQLITE_FILE into the PostgreSQL database DATABASE_URL names, which must be new or "
        "empty. Stop the service first. Every row keeps its primary key, in one transaction; "
        "the file is opened read-only and never changed. Refuses a file of another version of "
        "the service (its migrations differ). Prints each table's row count in the file and in "
        "PostgreSQL, and undoes the copy if any differ. The pictures are not copied: they stay "
        "in the media folder, where the moved rows find them. The move is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("sqlite_file", type=Path,
                            help="the pilot's SQLite database, e.g. var/familyfeedback.sqlite3")

    def handle(self, *args, sqlite_file: Path, **options):
        with sentences(MoveError, f"Could not read {sqlite_file}"):
            counts = move(sqlite_file, by=who_runs(), show=self.show)
        self.stdout.write(printable(
            f"Moved {sum(here for _, _, here in counts):,} rows in {len(counts)} tables from "
            f"{sqlite_file} to PostgreSQL. The pictures were not copied: they stay in "
            f"{settings.MEDIA_ROOT}, where the moved records find them. Now set DATABASE_URL "
            "to this PostgreSQL database for the service, start it, and keep the SQLite file "
            "as it is until you have checked the service."))

    def show(self, counts: list[tuple[str, int, int]]) -> None:
        width = max(len(table) for table, _, _ in counts)
        self.stdout.write(f"{'table':<{width}}  {'SQLite':>9}  {'PostgreSQL':>10}")
        for table, there, here in counts:
            mark = "" if there == here else "  differs"
            self.stdout.write(f"{table:<{width}}  {there:>9,}  {here:>10,}{mark}")
