"""The power page adjusts for the baseline correlation and starts from a trial's own estimates."""

import html

import pytest
from django.urls import reverse

from familyfeedback.evaluation.next_trial import recommend
from familyfeedback.stats.cluster_power import clusters_needed, mdes
from tests.evaluation.test_next_trial import build


@pytest.fixture
def pilot(db):
    return build()


def test_a_baseline_correlation_shrinks_the_mdes(world, client):
    client.force_login(world.evaluator)
    page = client.get(reverse("power"), {"clusters": "10", "per_cluster": "10", "icc": "0.05",
                                         "alpha": "0.05", "power": "0.8", "effect": "0.4",
                                         "correlation": "0.6"}).content.decode()
    # Normal: 0.477093 · 0.8 = 0.38; t on 2 · 10 − 3 = 17 df: 0.405040; 10 per arm for 0.4
    # (normal) or more with t.
    assert "0.41</strong>" in page and "17 degrees of freedom" in page and "0.38 with" in page
    assert "× 0.64" in page
    k = clusters_needed(0.4, 10, 0.05, method="t", correlation=0.6)
    assert f"<strong>{k}</strong> clusters in each arm" in page


def test_an_empty_correlation_leaves_the_figures_unadjusted(world, client):
    client.force_login(world.evaluator)
    page = client.get(reverse("power"), {"clusters": "10", "correlation": ""}).content.decode()
    assert "18 degrees of freedom" in page and "adjusted for the baseline" not in page


@pytest.mark.parametrize("value", ["1", "-1", "x", "nan"])
def test_a_correlation_out_of_range_is_a_message(world, client, value):
    client.force_login(world.evaluator)
    response = client.get(reverse("power"), {"correlation": value, "icc": "0.07"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a baseline-endline correlation from -0.99 to 0.99" in page
    assert 'value="0.07"' in page  # what was typed is kept


def test_the_trials_estimates_fill_the_empty_boxes(world, client, pilot):
    client.force_login(world.evaluator)
    page = client.get(reverse("power"), {"trial": pilot.pk, "clusters": "6",
                                         "effect": "0.5"}).content.decode()
    # The pilot's ICC 36/73 = 0.493, r 27/28 = 0.96, 8/3 ≈ 3 practitioners per cluster.
    assert 'id="icc" name="icc" type="text" value="0.493"' in page
    assert 'id="correlation" name="correlation" type="text" value="0.96"' in page
    assert 'id="per_cluster" name="per_cluster" type="text" value="3"' in page
    assert "From Pilot" in page and "0.49</strong> (95% CI 0.00 to 0.95)" in page
    assert f'name="trial" value="{pilot.pk}"' in page
    expected = mdes(6, 3, 0.493, method="t", correlation=0.96)
    assert f"{expected:.2f}</strong>" in page
    # The table: teams needed at each pairing of the interval ends, at the boxes' m and k.
    plan = recommend(pilot, effect=0.5, per_cluster=3, clusters_per_arm=6)
    worst = next(s for s in plan["scenarios"]
                 if (s["icc_at"], s["correlation_at"]) == ("high", "weakest"))
    assert "ICC upper end (0.95)" in page and f">{worst['teams']}</td>" in page
    assert "Across the 95% intervals" in page


def test_what_is_typed_beats_the_trials_estimate(world, client, pilot):
    client.force_login(world.evaluator)
    page = client.get(reverse("power"), {"trial": pilot.pk, "icc": "0.1"}).content.decode()
    assert 'value="0.1"' in page and 'value="0.493"' not in page


def test_the_analysis_page_links_to_the_plan(world, client, pilot):
    client.force_login(world.evaluator)
    page = client.get(reverse("trial_analysis", args=[pilot.pk])).content.decode()
    assert f"/evaluation/power/?trial={pilot.pk}" in page


def test_a_trial_that_is_not_there_is_not_found_and_a_bad_one_is_a_message(world, client):
    client.force_login(world.evaluator)
    assert client.get(reverse("power"), {"trial": "999999"}).status_code == 404
    page = html.unescape(client.get(reverse("power"), {"trial": "abc"}).content.decode())
    assert "Open the power page from a trial's analysis page" in page


def test_only_an_evaluator_sees_a_trials_estimates(world, client, pilot):
    client.force_login(world.practitioner)
    assert client.get(reverse("power"), {"trial": pilot.pk}).status_code == 404
