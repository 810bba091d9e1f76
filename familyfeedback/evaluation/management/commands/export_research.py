from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from familyfeedback.evaluation import actions
from familyfeedback.evaluation.models import Trial
from familyfeedback.evaluation.research_export import KEY_BYTES, ExportError, read_key
from familyfeedback.lib.commands import sentences, who_runs
from familyfeedback.lib.csvfiles import printable


class Command(BaseCommand):
    help = (
        "Write a trial's research data for analysts into DIRECTORY (made if need be): teams, "
        "practitioners, training, administrations, responses (one row per respondent and wave), "
        "response_rates and reach, each as CSV, SPSS .sav and Stata .dta with variable and value "
        "labels, and codebook.csv (docs/formats/research-export.md). Practitioners, family "
        "members and administrations appear as HMAC-SHA256 pseudonyms made with the key in "
        f"KEY_FILE (at least {KEY_BYTES} bytes, kept apart from the data: the same key gives the "
        "same pseudonyms, another key unrelated ones); no names, dates of birth (age bands "
        "instead) or case references. Whoever withdrew from surveys or from the use of admin "
        "data is left out of what they withdrew from. Counts below FF_EXPORT_SUPPRESS_BELOW in "
        "the aggregate tables are suppressed. Files already in DIRECTORY are never replaced "
        "without --force. Each export is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--trial", required=True, help="the trial's name")
        parser.add_argument("--key-file", required=True, type=Path,
                            help="the file holding the pseudonym key; it is only read")
        parser.add_argument("--force", action="store_true",
                            help="replace files of the same names already in DIRECTORY")

    def handle(self, *args, directory: Path, trial: str, key_file: Path, force: bool,
               **options):
        found = Trial.objects.filter(name=trial).first()
        if found is None:
            raise CommandError(printable(f"There is no trial called {trial}"))
        with sentences(ExportError, f"Could not write to {directory}"):
            key = read_key(key_file, directory)
            written = actions.export_research(None, found, key, directory, force=force,
                                              by=who_runs())
        self.stdout.write(printable(f"Wrote {len(written)} files for trial {trial} to "
                                    f"{directory}"))

