"""What `import_families` and `import_history` share: a file exported from the council's case
system, `--dry-run`, `--columns` naming the export's own headers (one mapping for both), and
every problem in the file listed, under the file's own column names, before the command stops
having written nothing."""

import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from familyfeedback.casework import families_csv, history_csv
from familyfeedback.lib import csvcolumns
from familyfeedback.lib.commands import add_dry_run
from familyfeedback.lib.csvfiles import Problem, printable, read_for_command


class CaseSystemImport(BaseCommand):
    dry_run_help = "check the file and say what would change, without changing anything"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file (UTF-8)")
        add_dry_run(parser, self.dry_run_help)
        parser.add_argument("--columns", type=Path, metavar="MAPPING.toml",
                            help="a TOML file naming the case system's header for each of our "
                                 "columns (docs/formats/case-system-export.md); one file serves "
                                 "import_families and import_history")

    def export(self, file: Path, columns: Path | None) -> tuple[io.StringIO, dict | None]:
        """The file's lines, and the export's names for our columns (None: our own names)."""
        names = (csvcolumns.load(columns, families_csv.COLUMNS + history_csv.COLUMNS)
                 if columns else None)
        return io.StringIO(read_for_command(file), newline=""), names

    def refuse_any(self, problems: list[Problem], file: Path, names: dict | None) -> None:
        for problem in problems:
            self.stderr.write(problem.located(str(file), names))
        if problems:
            raise CommandError(printable(
                f"{count(len(problems), 'problem')} in {file}: nothing imported. Fix them and "
                "run the import again."))


def count(n: int, word: str) -> str:
    plural = "families" if word == "family" else f"{word}s"
    return f"{n} {word if n == 1 else plural}"
