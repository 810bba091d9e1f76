from pathlib import Path

from django.utils import timezone

from familyfeedback.casework import history_csv
from familyfeedback.casework.management.case_system import CaseSystemImport, count

COLUMNS_HELP = (
    "Columns (a header row naming them, in any order): case_reference (the family's case "
    "reference); person_reference (the person's id in the case system, as recorded on their "
    "record here); date_of_birth (YYYY-MM-DD, must match the person's); practitioner_email (an "
    "active member or manager of the family's team; any case); date (YYYY-MM-DD, not in the "
    "future, not before the person was born); measure (ORS, CORS, YCORS, SRS, CSRS or YCSRS: the "
    "right one for the person's age on the date); item_1, item_2, item_3, item_4 (0.0 to 10.0, "
    "at most one decimal place; blank for the faces forms YCORS and YCSRS and when not "
    "administered); status (completed or not_administered); reason (blank when completed; when "
    "not administered one of crisis, declined, not_appropriate, language, other, or their labels "
    "such as 'Family in crisis', in any case)."
)


class Command(CaseSystemImport):
    help = (
        "Import earlier ORS/SRS records exported from the council's case system. The whole file "
        "is checked first: if anything is wrong, nothing is imported and every problem is listed "
        "as 'file:line: column: what is wrong'. Records of one family on one date by one "
        "practitioner form one session (an existing session of that family, date and "
        "practitioner is reused; otherwise one is made, marked as imported). A record is skipped "
        "when the person already has one of that tool on that date, so importing a file twice "
        "adds nothing. The date must fall within a period of support, or before the family's "
        "first one: history often starts before the family was opened here, so the first period "
        "of support is then moved back to start on the earliest imported date. A date when "
        "support was closed (between two periods, or after the last one closed) is refused. "
        + COLUMNS_HELP
    )

    dry_run_help = ("check the file and say what would be imported, without importing "
                    "anything")

    def handle(self, *args, file: Path, dry_run: bool, columns: Path | None, **options):
        lines, names = self.export(file, columns)
        outcome = history_csv.import_history(lines, today=timezone.localdate(), dry_run=dry_run,
                                             names=names)
        self.refuse_any(outcome.problems, file, names)
        records = count(outcome["imported"], "record")
        sessions = count(outcome["sessions"], "session")
        families = count(outcome["families"], "family")
        if dry_run:
            self.stdout.write(
                f"Dry run: the file is good and nothing was imported. It would import {records} "
                f"into {sessions} ({outcome['new_sessions']} new) for {families}.")
            self.stdout.write(f"{outcome['imported']} to import, {outcome['already_there']} "
                              "already there.")
        else:
            self.stdout.write(f"{records} imported into {sessions} for {families}.")
            self.stdout.write(f"{outcome['imported']} imported, {outcome['already_there']} "
                              "already there.")
        verb = "would now start" if dry_run else "now starts"
        for old, new in outcome.extended.values():
            self.stdout.write(f"Support for one family {verb} on {new.isoformat()} (was "
                              f"{old.isoformat()}), the date of its earliest imported record.")

