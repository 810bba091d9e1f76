from pathlib import Path

from django.core.management.base import BaseCommand

from familyfeedback.accounts.backups import BackupError, back_up
from familyfeedback.lib.commands import sentences, who_runs
from familyfeedback.lib.csvfiles import printable


class Command(BaseCommand):
    help = (
        "Write a backup of the database and the uploaded photos into DIRECTORY (made if need "
        "be) as one new archive, familyfeedback-DATE-TIME.tar, readable by its owner only. Safe "
        "while the service runs: the copy is of one consistent moment. The archive's manifest "
        "holds every table's row count and every file's SHA-256, which restore checks. An "
        "existing file is never replaced. Each backup is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="the folder to write the archive into")

    def handle(self, *args, directory: Path, **options):
        with sentences(BackupError, f"Could not write to {directory}"):
            path = back_up(directory, by=who_runs())
        self.stdout.write(printable(f"Wrote the backup {path}"))
