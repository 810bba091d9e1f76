"""The benchmarks' services come from one place, bench/data.py, and their made-up ratings from
the demo's one generator (demo/ratings.py), each caller naming the shape it draws: the alerts
bench's follows the published outcome rates (docs/decisions/0013-alert-tiers.md), deliberately
unlike the demo's."""

import random
import statistics

import pytest

import bench.alerts
import bench.dashboards
from bench import data
from familyfeedback.casework.models import Administration, Family
from familyfeedback.demo import ratings
from familyfeedback.demo import service as demo


def test_the_alerts_service_follows_the_published_outcome_rates():
    assert data.ALERTS.patterns == {"improving": 62, "flat": 30, "deteriorating": 8}
    assert data.ALERTS.low_session_share == 0.10
    assert data.ALERTS.ratings.slopes == {"improving": 1.2, "deteriorating": -0.8}
    assert demo.RATINGS.slopes == {"improving": 1.4, "deteriorating": -0.9}


@pytest.mark.parametrize(("pattern", "slope"), [("improving", 1.2), ("deteriorating", -0.8)])
def test_an_outcome_rating_moves_by_its_shapes_slope_a_session(pattern, slope):
    rng = random.Random(1)
    gains = []
    for _ in range(200):
        first, tenth = (ratings.rating(rng, data.ALERT_RATINGS, "ORS", 30, pattern, False, 20.0, n)
                        for n in (1, 10))
        if "total" in first and "total" in tenth:
            gains.append(float(tenth["total"] - first["total"]) / 9)
    assert statistics.mean(gains) == pytest.approx(slope, abs=0.15)


def test_no_benchmark_or_the_demo_keeps_its_own_copy_of_the_generator():
    for module in (bench.alerts, bench.dashboards, demo):
        for name in ("rating", "split", "_administration", "_split"):
            assert not hasattr(module, name), f"{module.__name__}.{name}"


@pytest.mark.django_db
def test_the_caseload_service_is_built_to_the_size_asked_for():
    small = data.Caseloads(teams=2, open_families=6, caseload=3, closed_families=4)
    described = data.build_caseloads(small)
    assert Family.objects.count() == 10
    assert Family.objects.filter(episodes__closed_on__isnull=True).count() == 6
    assert Administration.objects.exists()
    assert described.startswith("6 open families (2 key workers x 3) and 4 finished")
