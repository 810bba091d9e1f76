import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from familyfeedback.evaluation import analysis
from familyfeedback.evaluation.models import Trial

FORMATS = ("json", "html", "pdf")


class Command(BaseCommand):
    # The system checks import every view (half a second); a report read from the command line
    # has a 2-second budget (bench/evaluation.py) and needs none of them.
    requires_system_checks = []
    help = (
        "Write a trial's report. --format json (the default) prints its analysis as the "
        "evaluation package format defines it (docs/formats/evaluation-package.md, 'The analysis "
        "the system returns'): one JSON object with response_rates, scales, within_arm_change, "
        "between_arm_change, training_by_role, usage_by_month, reach, completions_per_person and "
        "questions. Intention to treat: everyone in an arm counts, trained or not. Numbers are "
        "not rounded; a statistic that cannot be computed (too few people, no variance) is null. "
        "Lists are sorted by the values of their leading keys. --format html or pdf writes the "
        "evaluation report itself, as on the trial's report page, with the digest of the data and "
        "the version it was made from: the same data always makes the same report. --output FILE "
        "writes to FILE instead of printing (a PDF needs it); an existing FILE is never "
        "overwritten unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--trial", required=True, help="the trial's name")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="the file to write (printed if left out)")
        parser.add_argument("--force", action="store_true",
                            help="overwrite --output if it exists")

    def handle(self, *args, trial: str, format: str, output: str | None, force: bool,
               **options):
        found = Trial.objects.filter(name=trial).first()
        if found is None:
            known = ", ".join(Trial.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(f"There is no trial called {trial!r}. Known trials: "
                               f"{known or 'none yet'}.")
        target = Path(output) if output else None
        if target is None and format == "pdf":
            raise CommandError("A PDF is not printed: give the file to write with --output.")
        if target is not None:
            if target.is_dir():
                raise CommandError(f"{target} is a folder: give the name of a file to write.")
            if target.exists() and not force:
                raise CommandError(f"{target} already exists: give another name, or --force "
                                   "to overwrite it.")
            if not target.parent.is_dir():
                raise CommandError(f"There is no folder {target.parent} to write {target.name} "
                                   "in.")
        content = self._content(found, format)
        if target is None:
            self.stdout.write(content)
            return
        try:
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content + ("\n" if format == "json" else ""), encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Could not write {target}: {error.strerror}.") from None
        self.stdout.write(f"Wrote the {format} report of {found.name} to {target}.")

    def _content(self, trial: Trial, format: str) -> str | bytes:
        if format == "json":
            # allow_nan=False: a NaN would be invalid JSON; the analysis gives null instead.
            return json.dumps(analysis.report(trial), indent=2, allow_nan=False)
        # Imported here: the JSON's two-second budget has no room for the templates and PDF.
        from familyfeedback.evaluation.report import output

        return output.html(trial) if format == "html" else output.pdf(trial)
