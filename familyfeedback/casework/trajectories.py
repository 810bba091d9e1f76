"""Expected trajectories from the service's own finished support: collecting the data, storing
the fitted curves, and finding the curve for a person. The statistics are in
familyfeedback.stats.trajectories."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from familyfeedback import measures
from familyfeedback.casework.models import (
    Administration,
    Episode,
    TrajectoryCurve,
    TrajectoryFit,
)
from familyfeedback.stats import trajectories as stats

# Outcome measures with totals; the young children's faces have no numbers to fit.
FITTED = ("ORS", "CORS")


@dataclass(frozen=True)
class Curves:
    """The latest fit's curves, loaded once per page."""

    fit: TrajectoryFit | None
    curves: list[stats.Curve]
    by_measure: dict[str, list[stats.Curve]]

    def for_intake(self, measure: str, intake) -> stats.Curve | None:
        return next((c for c in self.by_measure.get(measure, []) if c.covers(float(intake))),
                    None)

    def why_not(self, measure: str) -> str:
        if measure not in FITTED:
            return ""
        if self.fit is None:
            return ("No expected range yet: it is fitted from the service's finished support "
                    "(manage.py fit_trajectories), and has not been run.")
        return self.fit.notes.get(
            measure, f"No expected range for {measure} intakes like this one yet.")


def latest() -> Curves:
    fit = TrajectoryFit.objects.first()
    if fit is None:
        return Curves(None, [], {})
    curves = [
        (row.measure, stats.Curve(
            band_low=row.band_low, band_high=row.band_high, intercept=row.intercept,
            slope=row.slope, re_cov=tuple(tuple(r) for r in row.re_cov),
            residual_var=row.residual_var, trajectories=row.trajectories,
            observations=row.observations))
        for row in fit.curves.all()
    ]
    by_measure: dict[str, list[stats.Curve]] = {}
    for measure, curve in curves:
        by_measure.setdefault(measure, []).append(curve)
    return Curves(fit, [c for _, c in curves], by_measure)


def observations() -> tuple[int, dict[str, list[stats.Observation]]]:
    """(closed episodes, measure -> observations) from every finished episode: each person's
    completed ratings of one measure in one episode are a trajectory, numbered from 1."""
    closed = list(Episode.objects.filter(closed_on__isnull=False))
    by_measure: dict[str, list[stats.Observation]] = {m: [] for m in FITTED}
    for episode in closed:
        records = (Administration.objects
                   .filter(session__family_id=episode.family_id,
                           session__date__gte=episode.opened_on,
                           session__date__lte=episode.closed_on,
                           measure__in=FITTED, status=Administration.Status.COMPLETED,
                           total__isnull=False)
                   .annotate(session_date=F("session__date"))
                   .order_by("session__date", "session_id")
                   .values_list("person_id", "measure", "total"))
        numbers: dict[tuple[int, str], int] = {}
        for person_id, measure, total in records:
            key = (person_id, measure)
            numbers[key] = numbers.get(key, 0) + 1
            by_measure[measure].append(stats.Observation(
                f"{person_id}:{episode.pk}", numbers[key], float(total)))
    return len(closed), by_measure


def fit() -> TrajectoryFit:
    """Fit every measure's bands from finished support and store them as the latest fit."""
    closed, by_measure = observations()
    notes: dict[str, str] = {}
    fitted: list[tuple[str, stats.Curve]] = []
    used: set[str] = set()
    for measure, found in by_measure.items():
        rows = stats.usable(found)
        intakes = [o.total for o in rows if o.number == 1]
        if len(intakes) < stats.MIN_TRAJECTORIES * 3:
            notes[measure] = (
                f"No expected range for the {measure} yet: it needs at least "
                f"{stats.MIN_TRAJECTORIES * 3} finished trajectories with "
                f"{stats.MIN_RATINGS} or more ratings ({stats.MIN_TRAJECTORIES} in each of three "
                f"intake bands); the service has {len(intakes)}.")
            continue
        for band in stats.band_edges(intakes):
            starts = {o.trajectory for o in rows if o.number == 1 and band[0] <= o.total < band[1]}
            in_band = [o for o in rows if o.trajectory in starts]
            try:
                fitted.append((measure, stats.fit_curve(in_band, band)))
            except ValueError as error:
                notes[measure] = (f"No expected range for {measure} intakes from {band[0]:.1f} "
                                  f"to {min(band[1], 40):.1f}: {error}.")
                continue
            used |= starts
    with transaction.atomic():
        run = TrajectoryFit.objects.create(closed_episodes=closed,
                                           trajectories_used=sorted(used), notes=notes)
        TrajectoryCurve.objects.bulk_create([
            TrajectoryCurve(fit=run, measure=measure, band_low=c.band_low,
                            band_high=c.band_high, intercept=c.intercept, slope=c.slope,
                            re_cov=[list(r) for r in c.re_cov], residual_var=c.residual_var,
                            trajectories=c.trajectories, observations=c.observations)
            for measure, c in fitted
        ])
        # The below-expected rule reads the newest fit: every stored alert is worked out again
        # with it, in the same transaction. (alerts reads this module's curves, hence the late
        # import.)
        from familyfeedback.casework import alerts

        alerts.store_everyone()
    return run


def expected_range(curves: Curves, measure_code: str, totals: list) -> list[tuple[float, float]]:
    """The tolerance interval at each of a person's ratings (1, 2, ...), or [] when the service
    has no curve for where they started."""
    if not totals or measures.get(measure_code).tool != "ORS":
        return []
    curve = curves.for_intake(measure_code, totals[0])
    if curve is None:
        return []
    return [curve.tolerance(n) for n in range(1, len(totals) + 1)]


def expected_low_at(curves: Curves, measure_code: str, intake, number: int) -> float | None:
    """The bottom of the expected range at one rating: all an alert needs."""
    curve = curves.for_intake(measure_code, intake)
    return curve.tolerance(number)[0] if curve else None
