from pathlib import Path

from django.core.management.base import BaseCommand

from familyfeedback.accounts.backups import BackupError, restore
from familyfeedback.lib.commands import sentences, who_runs
from familyfeedback.lib.csvfiles import printable


class Command(BaseCommand):
    help = (
        "Restore the database and the uploaded photos from an archive the backup command "
        "wrote. Every file's checksum is checked first: a damaged or foreign archive is refused "
        "and nothing is changed. Refuses a database that already holds data unless --force. "
        "Stop the service first. Each restore is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the archive to restore")
        parser.add_argument("--force", action="store_true",
                            help="replace the data the database already holds")

    def handle(self, *args, file: Path, force: bool, **options):
        with sentences(BackupError, f"Could not restore {file}"):
            manifest = restore(file, by=who_runs(), force=force)
        self.stdout.write(printable(f"Restored the backup made at {manifest['made_at']}: "
                                    f"{sum(manifest['tables'].values())} rows in "
                                    f"{len(manifest['tables'])} tables"))
