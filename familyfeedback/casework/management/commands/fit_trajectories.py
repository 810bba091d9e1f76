from django.core.management.base import BaseCommand

from familyfeedback.casework import trajectories
from familyfeedback.stats.trajectories import COVERAGE, MIN_RATINGS, MIN_TRAJECTORIES


class Command(BaseCommand):
    help = (
        "Fit expected trajectories (Finch, Lambert & Schaalje 2001) from the service's finished "
        "support: for the ORS and the CORS, people are split into three intake bands of equal "
        f"size, and in each a mixed model of total on log(rating number) is fitted, with a "
        f"{COVERAGE:.0%} tolerance interval. A band needs {MIN_TRAJECTORIES} trajectories of "
        f"{MIN_RATINGS} or more ratings. Stores the curves with the date, the sample sizes and "
        "the trajectories used; the newest fit is the one pages use. Run it monthly."
    )

    def handle(self, *args, **options):
        run = trajectories.fit()
        self.stdout.write(f"Fitted from {run.closed_episodes} finished episodes "
                          f"({len(run.trajectories_used)} trajectories used).")
        for curve in run.curves.all():
            self.stdout.write(
                f"  {curve.measure} intake {curve.band_low:.1f}-{min(curve.band_high, 40):.1f}: "
                f"expected {curve.intercept:.1f} + {curve.slope:.2f} log(n), "
                f"{curve.trajectories} trajectories")
        for note in run.notes.values():
            self.stdout.write(f"  {note}")
