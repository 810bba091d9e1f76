from django.core.management.base import BaseCommand

from familyfeedback.implementation import summaries


class Command(BaseCommand):
    help = (
        "Bring the dashboards' monthly summaries up to date: count again, from the records, the "
        "months written since the last refresh (every month the first time, or with --all). "
        "Run it from a timer (deploy/familyfeedback-summaries.timer, every 15 minutes); the "
        "dashboards read the summaries once the service holds more records than "
        "FF_SUMMARIES_ABOVE, and say when they were last refreshed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true",
                            help="count every month again, not only those written since")

    def handle(self, *args, **options):
        months = summaries.refresh(everything=options["all"])
        self.stdout.write(f"Counted {len(months)} month{'s' if len(months) != 1 else ''} "
                          "again.")
