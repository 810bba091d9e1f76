from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from familyfeedback.accounts.backups import BackupError, restore
from familyfeedback.lib.commands import who_runs
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
        try:
            manifest = restore(file, by=who_runs(), force=force)
        except BackupError as error:
            raise CommandError(printable(str(error))) from None
        except OSError as error:
            raise CommandError(printable(f"Could not restore {file}: "
                                         f"{error.strerror or error}")) from None
        self.stdout.write(printable(f"Restored the backup made at {manifest['made_at']}: "
                                    f"{sum(manifest['tables'].values())} rows in "
                                    f"{len(manifest['tables'])} tables"))
