from django.core.management.base import BaseCommand, CommandError

from familyfeedback.casework import actions


class Command(BaseCommand):
    help = (
        "Work out every person's alerts again from their scores, with the rules and settings in "
        "force now, and compare them with the alerts stored for the caseload, the supervision "
        "page and the dashboards (docs/decisions/0025-alerts-are-stored.md). Each person whose "
        "stored alerts differ is listed by id, with what is stored and what the rules say, and "
        "stored again as the rules say. Run it after changing FF_ALERT_REVIEW_AFTER, "
        "FF_ALERT_SESSION_DROP or FF_RELIABLE_CHANGE_STANDARD. With --check, nothing is changed "
        "and the command fails if anyone differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="only report the differences; exit with an error if any")

    def handle(self, *args, check: bool, **options):
        found = actions.rebuild_alerts(None, fix=not check)
        for line in found:
            self.stdout.write(line)
        if not found:
            self.stdout.write("Every stored alert is as the rules say: nothing to change.")
        elif check:
            raise CommandError(f"{len(found)} {'person' if len(found) == 1 else 'people'} with "
                               "stored alerts that differ from the rules: run rebuild_alerts "
                               "without --check to store them again.")
        else:
            self.stdout.write(f"Stored again: {len(found)} "
                              f"{'person' if len(found) == 1 else 'people'}.")
