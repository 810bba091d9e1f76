from django.core.management.base import BaseCommand
from django.utils import timezone

from familyfeedback.lib.commands import add_dry_run
from familyfeedback.privacy import purge


class Command(BaseCommand):
    help = (
        "Apply the retention rules (FF_RETAIN_*): say first, rule by rule, what kind of record "
        "is due for removal, how many and why, then remove them: families closed longer than "
        "the rule (never one under a legal hold) with all their records, their pictures and "
        "the values in the audit entries about them; old pictures; the values in old audit "
        "entries; old sign-in records; ended sessions; trials due for erasure. Each removal "
        "leaves a tombstone saying what went, when and under which rule, with nobody in it. "
        "Safe to run every night: a second run removes nothing."
    )

    def add_arguments(self, parser):
        add_dry_run(parser, "say what would be removed, and why, removing nothing")

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        findings = purge.find(now)
        for finding in findings:
            self._report(finding)
        if dry_run:
            self.stdout.write("Dry run: nothing was removed.")
            return
        if not any(finding.total for finding in findings):
            self.stdout.write("Nothing is due: nothing was removed.")
            return
        tombstones = [t for finding in findings for t in purge.remove(finding, now)]
        if unfinished := purge.vacuum(findings):
            self.stdout.write(unfinished)
        removed = sum(t.count for t in tombstones)
        self.stdout.write(f"Removed {removed:,} in all, leaving {len(tombstones):,} "
                          f"tombstone{'' if len(tombstones) == 1 else 's'}.")

    def _report(self, finding: purge.Finding) -> None:
        rule = finding.rule
        self.stdout.write(f"{rule.key}: {rule.records}. {rule.describe()}.")
        if not finding.total:
            self.stdout.write("  nothing due")
        for record_type, count in finding.counts.items():
            self.stdout.write(f"  {count:,} {record_type}")
        for why in finding.kept:
            self.stdout.write(f"  kept: {why}")
