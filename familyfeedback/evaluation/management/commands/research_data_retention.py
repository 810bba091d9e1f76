from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from familyfeedback.evaluation import actions, queries
from familyfeedback.evaluation.models import Trial


class Command(BaseCommand):
    help = (
        "Research data retention. Without options, a dry run: lists the trials whose retention "
        "date (set on the trial page; by default two years after the last wave closed) has "
        "come, and what each holds about people, changing nothing. With --erase NAME, erases "
        "that trial's research data (practitioners' and family members' pseudonyms, survey "
        "answers, admin and training records, consent records, documents and their coding), "
        "only if it is due, and records that it happened: when, and how many rows of each "
        "kind, with nothing about anyone. Run the dry run first: --erase names one trial the "
        "dry run listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--erase", metavar="NAME",
                            help="the trial, by name, whose research data to erase")

    def handle(self, *args, erase, **options):
        today = timezone.localdate()
        if erase is None:
            self._dry_run(today)
            return
        trial = Trial.objects.filter(name=erase).first()
        if trial is None:
            raise CommandError(f"There is no trial called “{erase}”. Run the command without "
                               "--erase to list the trials due")
        try:
            record = actions.erase_research_data(None, trial, today)
        except ValidationError as error:
            raise CommandError(f"{error.message}. Nothing was erased") from None
        self.stdout.write(f"Erased the research data of {record.trial_name}: "
                          f"{_counts(record.counts)}. A record of the erasure is kept.")

    def _dry_run(self, today) -> None:
        due = queries.trials_due_for_erasure(today)
        if not due:
            self.stdout.write("No trial is due for erasure.")
        for trial, when in due:
            self.stdout.write(f"{trial.name}: due since {when.isoformat()}; would erase "
                              f"{_counts(queries.research_data_counts(trial))}")
        self.stdout.write("Dry run: nothing was erased. To erase one, run again with "
                          "--erase NAME.")


def _counts(counts: dict) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in counts.items())
