"""A session in two halves on the practitioner's tablet: a family of four each rate on their own
screen at the start, the tablet handed round, three rate again at the end and the practitioner
ends the session with a reason for the fourth. Every family-facing screen passes axe at a phone's
and a laptop's width, with nothing to scroll sideways."""

import uuid

import pytest
from django.utils import timezone

from familyfeedback.casework import actions
from familyfeedback.casework.models import Administration, Session
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in
from tests.browser.keys import tab_to, type_into

TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True}


@pytest.fixture
def tablet(new_context):
    return new_context(**TABLET).new_page()


def people(world):
    return list(world.family.people.order_by("date_of_birth", "pk"))


def tap_line(page, selector: str, fraction: float) -> None:
    line = page.locator(selector)
    line.scroll_into_view_if_needed()
    box = line.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)


def rate_by_touch(page, fractions=(0.3, 0.5, 0.6, 0.8)) -> None:
    for number, fraction in enumerate(fractions, start=1):
        tap_line(page, f"#rating-item_{number}_line", fraction)
        assert page.locator(f"#rating-item_{number}").input_value() != ""
    page.get_by_role("button", name="Send").tap()
    page.wait_for_url("**/hand-over/**")


def hand_to(page, name: str) -> None:
    page.get_by_role("heading", name=f"Hand the tablet to {name}").wait_for()
    page.get_by_role("button", name=f"I am {name}: start").tap()
    page.wait_for_url("**/rate/**")


def test_a_family_of_four_rates_round_the_tablet(live_world, live_server, tablet):
    mum, dad, child, young = people(live_world)
    sign_in(tablet, live_server, live_world.practitioner)
    tablet.goto(f"{live_server.url}/families/{live_world.family.pk}/")
    tablet.get_by_role("button", name="Start a session with the family").tap()
    tablet.get_by_role("button", name="Start the session").tap()

    hand_to(tablet, mum.first_name)
    rate_by_touch(tablet)

    # The second adult uses the keyboard only: a line moved with the arrow keys, marks typed.
    tablet.get_by_role("heading", name=f"Hand the tablet to {dad.first_name}").wait_for()
    tab_to(tablet, "a.govuk-button--start")
    tablet.keyboard.press("Enter")
    tablet.wait_for_url("**/rate/**")
    tab_to(tablet, "#rating-item_1_line")
    tablet.keyboard.press("PageUp")
    assert tablet.locator("#rating-item_1").input_value() != ""
    for number, mark in ((2, "4"), (3, "7.5"), (4, "6")):
        type_into(tablet, f"#rating-item_{number}", mark)
    tab_to(tablet, "#rating-helped")
    tablet.keyboard.press("Space")
    tab_to(tablet, "button.ff-big-button")
    tablet.keyboard.press("Enter")
    tablet.wait_for_url("**/hand-over/**")

    # The nine-year-old's lines have a sad face at 0 and a happy one at 10.
    hand_to(tablet, child.first_name)
    sad_end = tablet.locator(".ff-line__end").first.locator(".ff-face")
    assert sad_end.is_visible() and tablet.locator(".ff-line__end .ff-face").count() == 8
    rate_by_touch(tablet, (0.9, 0.8, 0.7, 0.6))

    hand_to(tablet, young.first_name)
    face = tablet.locator("label[for=rating-face]")
    assert face.bounding_box()["height"] >= 44
    face.tap()
    tablet.get_by_role("button", name="Send").tap()

    tablet.get_by_text("Waiting for end ratings").wait_for()
    # With everyone's start ratings in, the family picture is there to talk about together.
    assert tablet.locator("svg.ff-chart--family").is_visible()
    tablet.get_by_role("link", name="Show the family picture on the whole screen").tap()
    tablet.get_by_role("heading", name="Your family picture").wait_for()
    assert not tablet.get_by_role("link", name="My families").count()
    tablet.go_back()
    session = Session.objects.get()
    start = {a.person_id: a for a in session.administrations.filter(tool="ORS")}
    assert {start[p.pk].measure for p in (mum, dad, child, young)} == {"ORS", "CORS", "YCORS"}
    assert start[young.pk].face and start[dad.pk].helped and not start[mum.pk].helped
    assert {a.channel for a in start.values()} == {"tablet"}

    tablet.get_by_role("button", name="Hand round for the end ratings").tap()
    for person in (mum, dad, child):
        hand_to(tablet, person.first_name)
        tablet.get_by_role("heading", name="How was today's session?").wait_for()
        rate_by_touch(tablet)
    tablet.get_by_role("heading", name=f"Hand the tablet to {young.first_name}").wait_for()
    tablet.get_by_role("link", name="Back to the session (for the worker)").tap()
    tablet.get_by_role("button", name="End the session").tap()
    prefix = f"p{young.pk}-srs"
    tablet.locator(f"label[for={prefix}-status-2]").tap()
    tablet.get_by_label("Family in crisis").tap()
    tablet.get_by_role("button", name="End the session").tap()

    tablet.get_by_text("Session ended").wait_for()
    assert not tablet.get_by_text("Waiting for end ratings").count()
    session.refresh_from_db()
    assert session.stage == Session.Stage.COMPLETE
    young_end = session.administrations.get(person=young, tool="SRS")
    assert (young_end.status, young_end.reason) == ("not_administered", "crisis")
    assert session.administrations.filter(status="completed").count() == 7


@pytest.mark.parametrize("width", [320, 1024])
def test_every_family_facing_screen_passes_axe_with_nothing_to_scroll_sideways(
        live_world, live_server, new_context, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, live_server, live_world.practitioner)
    session, _ = actions.record_session(
        live_world.practitioner, live_world.family, token=uuid.uuid4(),
        on=timezone.localdate(), kind="home_visit", present=people(live_world), entries=[],
        stage=Session.Stage.STARTED)
    base = f"{live_server.url}/sessions/{session.pk}"
    screens = [f"{base}/hand-over/ORS/"] + [
        f"{base}/rate/{person.pk}/{tool}/" for person in people(live_world)
        for tool in ("ORS", "SRS")]
    # The practitioner's own new pages too: the start, the session waiting and its end.
    staff = [f"{live_server.url}/families/{live_world.family.pk}/sessions/start/", f"{base}/",
             f"{base}/end/"]
    for screen in screens + staff:
        page.goto(screen)
        assert_no_axe_violations(page, f"{screen} at {width}px")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, screen
    page.goto(screens[1])
    page.get_by_role("button", name="Send").click()
    page.get_by_text("There is a problem").wait_for()
    assert_no_axe_violations(page, f"a rating screen with errors at {width}px")
    Session.objects.filter(pk=session.pk).update(stage=Session.Stage.COMPLETE)
    page.goto(screens[1])
    page.get_by_role("heading", name="This session has ended").wait_for()
    assert_no_axe_violations(page, f"the session-ended screen at {width}px")
    assert not Administration.objects.exists()
