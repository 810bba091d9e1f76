"""A parent gives the session rating on their own phone through the link the practitioner made:
by touch, and by keyboard alone; the practitioner's session page then shows it as given on their
own device; the link used again, run out, of an ended session or mistyped says so kindly. Every
family-facing page passes axe and does not scroll sideways, at 320 px and at 1024 px."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from familyfeedback.casework import actions
from familyfeedback.casework.models import Administration, FeedbackLink, Session
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in
from tests.browser.test_line_on_a_phone import at

PHONE = {"viewport": {"width": 375, "height": 667}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}


@pytest.fixture
def started(live_world) -> Session:
    session, _ = actions.record_session(
        live_world.practitioner, live_world.family, token=uuid.uuid4(),
        on=timezone.localdate(), kind="home_visit",
        present=list(live_world.family.people.order_by("date_of_birth")), entries=[],
        stage=Session.Stage.STARTED)
    return session


def parents(world):
    return list(world.family.people.order_by("date_of_birth")[:2])


def family_page_is_fine(page, name: str) -> None:
    """No sideways scrolling and nothing axe finds, on a small phone and on a tablet."""
    for width, height in ((320, 640), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        assert_no_axe_violations(page, f"{name} at {width}px")
    page.set_viewport_size(PHONE["viewport"])


def link_made_by_the_practitioner(practitioner, live_server, session, person) -> str:
    practitioner.goto(f"{live_server.url}/sessions/{session.pk}/")
    practitioner.get_by_role("link", name="Send the session rating to someone's own phone").click()
    practitioner.get_by_label(person.first_name, exact=True).check()
    practitioner.get_by_role("button", name="Make a link").click()
    assert practitioner.locator("svg.ff-qr").is_visible()
    return practitioner.locator(".ff-link-text code").inner_text()


def test_a_parent_rates_the_session_by_touch_and_the_practitioner_sees_it(
        live_world, live_server, new_context, started):
    mum, dad = parents(live_world)
    practitioner = new_context().new_page()
    sign_in(practitioner, live_server, live_world.practitioner)
    link = link_made_by_the_practitioner(practitioner, live_server, started, mum)
    assert link.startswith(f"{live_server.url}/r/")

    # Given the link opened on Mum's phone
    phone = new_context(**PHONE).new_page()
    phone.goto(link)
    assert mum.first_name not in phone.title() and live_world.family.name not in phone.title()
    family_page_is_fine(phone, "the rating form")
    # When she taps each line and sends her answers
    lines = phone.locator("input[type=range]")
    assert lines.count() == 4
    for n, fraction in enumerate((0.9, 0.8, 0.95, 1.0)):
        line = f"#{lines.nth(n).get_attribute('id')}"
        box = phone.locator(line).bounding_box()
        assert box["height"] >= 24 and box["width"] >= 280  # a target a thumb can hit
        phone.touchscreen.tap(*at(phone, line, fraction))
    phone.get_by_role("button").last.tap()
    # Then she is thanked, and the practitioner's page shows her rating as her own
    phone.wait_for_url(f"{live_server.url}/r/thank-you/")
    assert "Thank you" in phone.locator("h1").inner_text()
    family_page_is_fine(phone, "the thank-you page")
    rating = Administration.objects.get(session=started, person=mum, tool="SRS")
    assert rating.channel == "own_device" and rating.total >= 30
    practitioner.goto(f"{live_server.url}/sessions/{started.pk}/")
    row = practitioner.locator("tr", has_text=mum.first_name)
    assert "Given on their own device" in row.inner_text()

    # The link opened again says she has already answered
    phone.goto(link)
    assert "You have already sent your answers. Thank you." in phone.locator("main").inner_text()
    family_page_is_fine(phone, "the used link's page")

    # A link that has run out says so
    made, token = actions.make_feedback_link(live_world.practitioner, started, dad)
    FeedbackLink.objects.filter(pk=made.pk).update(expires_at=timezone.now() - timedelta(1))
    phone.goto(f"{live_server.url}/r/{token}/")
    assert "This link has run out" in phone.locator("h1").inner_text()
    family_page_is_fine(phone, "the run-out link's page")

    # A mistyped link, and one whose session has ended, say so too
    phone.goto(f"{live_server.url}/r/{token[:-3]}xyz/")
    assert "This link does not work" in phone.locator("h1").inner_text()
    family_page_is_fine(phone, "the unknown link's page")
    _, fresh = actions.make_feedback_link(live_world.practitioner, started, dad)
    actions.finish_session(live_world.practitioner, started, [])
    phone.goto(f"{live_server.url}/r/{fresh}/")
    assert "This session has ended" in phone.locator("h1").inner_text()
    family_page_is_fine(phone, "the ended session's page")


def test_a_parent_rates_the_session_by_keyboard_alone(live_world, live_server, new_context,
                                                      started):
    mum, _ = parents(live_world)
    _, token = actions.make_feedback_link(live_world.practitioner, started, mum)
    phone = new_context(**{**PHONE, "has_touch": False, "is_mobile": False}).new_page()
    phone.goto(f"{live_server.url}/r/{token}/")
    marks = ["9", "8.5", "9", "10"]
    for _ in range(60):
        phone.keyboard.press("Tab")
        tag, kind, is_box = phone.evaluate(
            "() => [document.activeElement.tagName, document.activeElement.type, "
            "document.activeElement.hasAttribute('data-ff-box')]")
        if is_box and marks:
            phone.keyboard.type(marks.pop(0))
        elif tag == "BUTTON" and kind == "submit" and not marks:
            phone.keyboard.press("Enter")
            break
    phone.wait_for_url(f"{live_server.url}/r/thank-you/")
    rating = Administration.objects.get(session=started, person=mum, tool="SRS")
    assert (float(rating.total), rating.channel) == (36.5, "own_device")


def test_without_javascript_the_form_still_takes_the_marks(live_world, live_server,
                                                          new_context, started):
    mum, _ = parents(live_world)
    _, token = actions.make_feedback_link(live_world.practitioner, started, mum)
    phone = new_context(**PHONE, java_script_enabled=False).new_page()
    phone.goto(f"{live_server.url}/r/{token}/")
    boxes = phone.locator("input[data-ff-box]")
    for n, mark in enumerate(["7", "8", "9", "6.5"]):
        boxes.nth(n).fill(mark)
    phone.get_by_role("button").last.tap()
    phone.wait_for_url(f"{live_server.url}/r/thank-you/")
    assert float(Administration.objects.get(session=started, person=mum).total) == 30.5
