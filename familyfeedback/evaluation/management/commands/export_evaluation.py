from pathlib import Path

from django.core.management.base import CommandError

from familyfeedback.evaluation import package_io
from familyfeedback.evaluation.management.commands._package import PackageCommand
from familyfeedback.evaluation.models import Trial
from familyfeedback.lib.csvfiles import printable


class Command(PackageCommand):
    help = (
        "Write the trial's data as an evaluation data package: the six CSV files described in "
        "docs/formats/evaluation-package.md, in DIRECTORY (created if need be; files of the "
        "same names are replaced). Importing them into a new trial gives the same data."
    )

    def handle(self, *args, directory: Path, trial: str, **options):
        found = Trial.objects.filter(name=trial).first()
        if found is None:
            raise CommandError(printable(f"There is no trial called {trial}"))
        written = package_io.export_package(found, directory)
        counts = ", ".join(f"{file}: {n}" for file, n in written.items())
        self.stdout.write(printable(f"Wrote trial {trial} to {directory}: {counts}"))
