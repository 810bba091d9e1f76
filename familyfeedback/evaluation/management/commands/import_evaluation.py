from pathlib import Path

from django.core.management.base import CommandError

from familyfeedback.evaluation import package_io
from familyfeedback.evaluation.management.commands._package import PackageCommand
from familyfeedback.lib.commands import add_dry_run
from familyfeedback.lib.csvfiles import printable


class Command(PackageCommand):
    help = (
        "Import an evaluation data package (a folder of the six CSV files described in "
        "docs/formats/evaluation-package.md) into the trial called --trial, creating it if "
        "there is none. The whole package is checked first: if anything is wrong, every problem "
        "is listed as file:line: column: what is wrong, and nothing is imported. An import only "
        "adds rows; a row the trial already holds with different values is a problem. Importing "
        "the same package again changes nothing."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        add_dry_run(parser, "check the package and say what would be added; import nothing")

    def handle(self, *args, directory: Path, trial: str, dry_run: bool, **options):
        if not directory.exists():
            raise CommandError(printable(f"No folder at {directory}"))
        if not directory.is_dir():
            raise CommandError(printable(f"{directory} is not a folder: give the folder that "
                                         "holds the package's six CSV files"))
        try:
            _, added = package_io.load(directory, trial, dry_run=dry_run)
        except package_io.PackageError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(printable(f"{len(error.problems)} problem(s) in {directory}: "
                                         "nothing imported.")) from None
        counts = ", ".join(f"{file}: {n}" for file, n in added.items())
        name = printable(trial)
        if not any(added.values()):
            self.stdout.write(f"Nothing changed: trial {name} already holds this package"
                              + (" (dry run)." if dry_run else "."))
        elif dry_run:
            self.stdout.write(f"The package is good. Dry run, nothing imported; it would add to "
                              f"trial {name}: {counts}")
        else:
            self.stdout.write(f"Imported into trial {name}: {counts}")
