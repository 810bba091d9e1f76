"""The family page's charts read on a phone and a desktop: text at least 12 CSS px, every label
inside the drawing, and the reliable-change band and the expected range told apart by pattern,
outline and a label, not by colour alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from familyfeedback.casework.models import TrajectoryCurve, TrajectoryFit
from tests import factories
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import screenshot, sign_in

MEASURE = """svg => {
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll("text")].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, height: r.height, left: r.left - box.left,
            right: box.right - r.right, top: r.top - box.top, bottom: box.bottom - r.bottom,
            size: parseFloat(getComputedStyle(t).fontSize) * box.width / svg.viewBox.baseVal.width};
  });
  const look = sel => {
    const e = svg.querySelector(sel);
    if (!e) return null;
    const s = getComputedStyle(e);
    return {fill: s.fill, stroke: s.stroke, dash: s.strokeDasharray};
  };
  return {texts, band: look(".ff-chart__band"), expected: look(".ff-chart__expected")};
}"""


@pytest.fixture
def family_with_ranges(live_world):
    family = live_world.family
    adult = family.people.order_by("date_of_birth", "id").first()
    fit = TrajectoryFit.objects.create(closed_episodes=60, trajectories_used=[], notes={})
    TrajectoryCurve.objects.create(fit=fit, measure="ORS", band_low=0, band_high=41,
                                   intercept=16, slope=4, re_cov=[[4, 0], [0, 1]],
                                   residual_var=4, trajectories=60, observations=300)
    today = timezone.localdate()
    for days_ago, marks, session in ((40, (4, 4, 4, 4), (9, 9, 9, 8)),
                                     (20, (4.5, 4.5, 4.5, 4.5), (9, 9, 8, 8)),
                                     (5, (5, 5, 5, 5), (9, 9, 9, 9))):
        factories.session(live_world.practitioner, family, today - timedelta(days=days_ago),
                          {adult.pk: (marks, session)})
    return family, adult


@pytest.mark.parametrize("width", [320, 1024])
def test_chart_text_is_legible_inside_the_chart_and_the_bands_differ(family_with_ranges,
                                                                     live_world, live_server,
                                                                     new_context, width):
    family, adult = family_with_ranges
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, live_server, live_world.practitioner)
    page.goto(f"{live_server.url}/families/{family.pk}/")
    charts = page.locator("svg.ff-chart")
    assert charts.count() >= 2
    for n in range(charts.count()):
        found = charts.nth(n).evaluate(MEASURE)
        for text in found["texts"]:
            assert text["size"] >= 12 and text["height"] >= 12, (width, text)
            assert min(text["left"], text["right"], text["top"], text["bottom"]) >= 0, (
                width, text)
    ors = page.locator(f"figure:has(table#ors-{adult.pk}) svg.ff-chart")
    found = ors.evaluate(MEASURE)
    labels = [t["text"] for t in found["texts"]]
    assert "No reliable change" in labels and "Expected range" in labels
    assert any(label.startswith("Cut-off") for label in labels)
    band, expected = found["band"], found["expected"]
    assert band["fill"].startswith("url(") and expected["fill"].startswith("url(")
    assert band["fill"] != expected["fill"], "each band has its own pattern"
    assert band["dash"] != expected["dash"], "and its own outline"
    screenshot(page, f"family-page-{width}.png")
    assert_no_axe_violations(page, f"the family page at {width} px")


def test_on_a_phone_the_caseload_and_family_page_do_not_scroll_sideways(family_with_ranges,
                                                                        live_world, live_server,
                                                                        new_context):
    """A wide table scrolls inside its own box; the page itself stays the phone's width."""
    family, _ = family_with_ranges
    page = new_context(viewport={"width": 320, "height": 800}).new_page()
    sign_in(page, live_server, live_world.practitioner)
    for path in ("/", f"/families/{family.pk}/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, path
        assert_no_axe_violations(page, f"{path} at 320 px")
