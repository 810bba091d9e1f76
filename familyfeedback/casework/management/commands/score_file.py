import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from familyfeedback.casework import administrations_csv
from familyfeedback.lib.csvfiles import printable, read_for_command
from familyfeedback.lib.spreadsheet import csv_cell

FIELDS = ["person_id", "tool", "measure", "administrations", "first_date", "first_total",
          "latest_date", "latest_total", "change", "cutoff", "reliable_change_value",
          "change_class", "clinically_significant", "alerts"]
ALERT_CODES_HELP = (
    "Alert codes: reliable_deterioration, no_reliable_improvement (by the Nth completed ORS, "
    "--review-after), intake_above_cutoff, low_session_total (below 36), low_session_item (an "
    "item below 9), session_rating_dropped. below_expected needs a fitted trajectory and is "
    "never raised from a file."
)


class Command(BaseCommand):
    help = (
        "Score an administrations.csv (the evaluation package format): for each person and tool "
        "(ORS = ORS/CORS/YCORS, SRS = SRS/CSRS/YCSRS) print first and latest totals, change, its "
        "class and alerts, sorted by person_id then tool. The whole file is checked first: any "
        "bad row is listed as file:line: column: what is wrong and nothing is printed, unless "
        "--skip-bad. "
        + ALERT_CODES_HELP
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument("--skip-bad", action="store_true",
                            help="report bad rows on standard error and score the rest")
        parser.add_argument("--standard", choices=("common", "cyp_iapt_2015"),
                            default=settings.RELIABLE_CHANGE_STANDARD,
                            help="which reliable-change values to use")
        parser.add_argument("--review-after", type=int, default=3,
                            help="completed ORS without reliable improvement before it is raised")

    def handle(self, *args, file: Path, format: str, skip_bad: bool, standard: str,
               review_after: int, **options):
        text = read_for_command(file)
        rows, problems = administrations_csv.read(io.StringIO(text, newline=""),
                                                  today=timezone.localdate())
        for problem in problems:
            self.stderr.write(problem.located(str(file)))
        if problems and not skip_bad:
            raise CommandError(printable(
                f"{len(problems)} problem(s) in {file}: nothing scored. Fix them, or use "
                "--skip-bad to score the good rows only."))
        results = administrations_csv.score(rows, standard=standard, review_after=review_after)
        if format == "json":
            self.stdout.write(json.dumps(results, indent=2, default=_number))
        else:
            self._write_csv(results)

    def _write_csv(self, results: list[dict]) -> None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for result in results:
            writer.writerow({key: csv_cell(_cell(value)) for key, value in result.items()})
        self.stdout.write(buffer.getvalue(), ending="")


def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)
