from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from familyfeedback.implementation import reminders
from familyfeedback.lib.commands import add_dry_run
from familyfeedback.lib.mail import MailServerUnreachable


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date like 2026-03-02") from None


class Command(BaseCommand):
    help = (
        "Send the weekly reminder emails; run it once a week from cron (for example, Mondays at "
        "7am: 0 7 * * 1 manage.py send_reminders). Each active practitioner gets a digest of "
        "their families (where they are the key worker and support is open) with the people "
        "whose rating is overdue under the service's schedule (FF_SCHEDULE) and the alerts not "
        "yet acknowledged. Each active team manager gets their teams' use of the ORS and SRS "
        "this month so far against last month (completions, and practitioners completing them) "
        "and the practitioners who have not used the tools this month. Someone with nothing to "
        "report gets no email, and nor does anyone who has opted out on the Email reminders "
        "page. Each email is recorded for its ISO week, so running the command again in the "
        "same week sends nothing twice. Output gives counts only, never names."
    )

    def add_arguments(self, parser):
        add_dry_run(parser, "Count the emails that would be sent; send and record nothing.")
        parser.add_argument("--today", type=iso_date, default=None, metavar="YYYY-MM-DD",
                            help="Act as if today were this date (it picks the week and month).")

    def handle(self, *args, dry_run=False, today=None, **options):
        today = today or timezone.localdate()
        try:
            outcome = reminders.send_all(today, dry_run=dry_run)
        except MailServerUnreachable as error:
            raise CommandError(f"{error}: no reminder was sent and nothing is recorded as sent, "
                               "so running the command again when it is back sends them all. "
                               "Check EMAIL_HOST and EMAIL_PORT.") from None
        week = reminders.iso_week(today)
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            f"{verb} {outcome.sent} reminder emails for {week}: "
            f"{outcome['sent_practitioners']} to practitioners, {outcome['sent_managers']} to team "
            f"managers. Nothing to report: {outcome['nothing_to_report']}. Opted out: "
            f"{outcome['opted_out']}. Already sent this week: {outcome['already_sent']}.")
        if outcome["failed"]:
            raise CommandError(f"{outcome['failed']} reminder emails could not be sent; running "
                               "the command again sends only those.")
