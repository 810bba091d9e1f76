import json

from django.core.management.base import BaseCommand, CommandError

from familyfeedback.evaluation import analysis
from familyfeedback.evaluation.models import Trial


class Command(BaseCommand):
    # The system checks import every view (half a second); a report read from the command line
    # has a 2-second budget (bench/evaluation.py) and needs none of them.
    requires_system_checks = []
    help = (
        "Print a trial's analysis as the evaluation package format defines it "
        "(docs/formats/evaluation-package.md, 'The analysis the system returns'): one JSON "
        "object with response_rates, scales, within_arm_change, between_arm_change, "
        "training_by_role, usage_by_month, reach, completions_per_person and questions. Intention "
        "to treat: everyone in an arm counts, trained or not. Numbers are not rounded; a statistic "
        "that cannot be computed (too few people, no variance) is null. Lists are sorted by the "
        "values of their leading keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--trial", required=True, help="the trial's name")
        parser.add_argument("--format", choices=("json",), default="json",
                            help="only json for now")

    def handle(self, *args, trial: str, format: str, **options):
        found = Trial.objects.filter(name=trial).first()
        if found is None:
            known = ", ".join(Trial.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(f"There is no trial called {trial!r}. Known trials: "
                               f"{known or 'none yet'}.")
        # allow_nan=False: a NaN would be invalid JSON; the analysis gives null instead.
        self.stdout.write(json.dumps(analysis.report(found), indent=2, allow_nan=False))
