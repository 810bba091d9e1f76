from pathlib import Path

from django.utils import timezone

from familyfeedback.casework import families_csv
from familyfeedback.casework.management.case_system import CaseSystemImport

COLUMNS_HELP = (
    "Columns (a header row naming them, in any order; or the case system's own names, given "
    "with --columns), one row per person: case_reference (the family's, matched in any case); "
    "family_name (how the team refers to the family); team (a team's name, any case); "
    "key_worker_email (a current member of the team who works with its families; optional, "
    "blank leaves an existing family's key worker as it is); opened_on (YYYY-MM-DD, the date "
    "support started, used when the family is new); person_reference (the person's id in the "
    "case system, once per family); first_name; last_name (optional); date_of_birth "
    "(YYYY-MM-DD, not in the future); preferred_language (optional, blank is English; a "
    "name such as Polish or a code such as pl); "
    "needs_interpreter (optional: yes or no, blank is no). A family's own columns must be the "
    "same on each of its rows."
)


class Command(CaseSystemImport):
    help = (
        "Open and update families and the people in them from the council's case-system "
        "export. The whole file is checked first: if anything is wrong, nothing is imported and "
        "every problem is listed as 'file:line: column: what is wrong', never repeating a name, "
        "date of birth, reference or email. A family is matched by case reference, a person by "
        "person reference within the family: what is already here is updated to what the file "
        "says, and what is new is opened, its support starting on opened_on; importing the same "
        "file again changes nothing. People here but not in the file are kept. " + COLUMNS_HELP
    )

    def handle(self, *args, file: Path, dry_run: bool, columns: Path | None, **options):
        lines, names = self.export(file, columns)
        outcome = families_csv.import_families(lines, today=timezone.localdate(),
                                               dry_run=dry_run, names=names)
        self.refuse_any(outcome.problems, file, names)
        if outcome.changes_nothing:
            self.stdout.write(f"Nothing {'would change' if dry_run else 'changed'}: every "
                              "family and person in the file is already here as it says.")
        elif dry_run:
            self.stdout.write("Dry run: the file is good and nothing was imported.")
        self.stdout.write(
            f"Families: {outcome['new_families']} new, {outcome['changed_families']} changed, "
            f"{outcome['same_families']} already as the file says.")
        self.stdout.write(
            f"People: {outcome['new_people']} new, {outcome['changed_people']} changed, "
            f"{outcome['same_people']} already as the file says.")

