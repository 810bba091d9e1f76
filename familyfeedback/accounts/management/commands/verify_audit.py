from django.core.management.base import BaseCommand, CommandError

from familyfeedback.accounts import audit


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain from its first entry: no entry removed, changed or "
        "moved since it was sealed, and the last one the one the seal names. Entries not yet "
        "sealed (their process stopped before it could) are sealed first. Exits with an error "
        "naming the first break."
    )

    def handle(self, *args, **options):
        sealed = audit.seal()
        if sealed:
            self.stdout.write(f"Sealed {sealed:,} {_entries(sealed)} that "
                              f"{'was' if sealed == 1 else 'were'} waiting to join the chain.")
        try:
            checked, end = audit.verify()
        except audit.Break as error:
            raise CommandError(f"{error}. The audit log cannot be trusted from there on.") from None
        if checked == 0:
            self.stdout.write("The audit log has no entries yet: nothing to check.")
            return
        self.stdout.write(f"Checked {checked:,} {_entries(checked)}: the chain is whole. Last "
                          f"entry {end.position:,}, hash {end.entry_hash[:12]}…")


def _entries(count: int) -> str:
    return "entry" if count == 1 else "entries"
