"""An evaluator plans the next trial from a pilot's own estimates; the page passes axe."""

from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in
from tests.evaluation.test_next_trial import build


def test_an_evaluator_plans_the_next_trial_from_the_pilots_estimates(live_world, page,
                                                                     live_server):
    """Given a pilot with baseline and endline scores, When the evaluator follows the link on
    its analysis page, Then the power page starts from the pilot's ICC and correlation and
    shows the teams needed across their intervals."""
    trial = build()
    sign_in(page, live_server, live_world.evaluator)
    page.goto(f"{live_server.url}/evaluation/{trial.pk}/analysis/")
    with page.expect_navigation():
        page.get_by_role("link", name="Work out how many teams the next trial needs").click()
    assert page.locator("#icc").input_value() == "0.493"
    assert page.locator("#correlation").input_value() == "0.96"
    table = page.get_by_role("table")
    assert table.get_by_role("rowheader", name="ICC upper end (0.95)").is_visible()
    assert_no_axe_violations(page, "power from a pilot")
    page.fill("#effect", "0.3")
    with page.expect_navigation():
        page.get_by_role("button", name="Work it out").click()
    assert "trial=" in page.url and "detect 0.3 standard deviations" in page.content()
