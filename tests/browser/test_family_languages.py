"""The family's own screen in the person's language, in a real browser: Welsh page and wording,
Urdu wording from a text pack laid out right to left inside the page, the language switched on
the screen, and the families' guide; axe finds nothing on any of them at 320 px and 1024 px."""

import json
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from familyfeedback import measures
from familyfeedback.casework import actions
from familyfeedback.casework.models import Person, Session
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in

PACK = json.loads((Path(__file__).parents[1] / "fixtures" / "text_pack_languages.json")
                  .read_text(encoding="utf-8"))


@pytest.fixture
def adult_screen(live_world, live_server):
    actions.install_text_pack(None, PACK, measures.parse_text_pack(PACK))
    people = list(live_world.family.people.order_by("date_of_birth", "pk"))
    session, _ = actions.record_session(
        live_world.practitioner, live_world.family, token=uuid.uuid4(), on=timezone.localdate(),
        kind="home_visit", present=people, entries=[], stage=Session.Stage.STARTED)
    return people[0], f"{live_server.url}/sessions/{session.pk}/rate/{people[0].pk}/ORS/"


def looks_right(page, what: str) -> None:
    for width in (320, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, what
        assert_no_axe_violations(page, f"{what} at {width}px")


def test_a_welsh_speaker_gets_the_page_and_the_wording_in_welsh(
        live_world, live_server, new_context, adult_screen):
    person, url = adult_screen
    Person.objects.filter(pk=person.pk).update(preferred_language="cy")
    page = new_context().new_page()
    sign_in(page, live_server, live_world.practitioner)
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "cy"
    page.get_by_role("heading", name="Sut mae pethau wedi bod?").wait_for()
    assert page.get_by_text("Llinell brawf 1", exact=True).is_visible()
    looks_right(page, "the Welsh rating screen")
    page.get_by_role("link", name="English").click()
    page.get_by_role("heading", name="How have things been?").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Test line 1", exact=True).is_visible()


def test_urdu_wording_reads_right_to_left_and_is_saved_as_given_in_urdu(
        live_world, live_server, new_context, adult_screen):
    person, url = adult_screen
    Person.objects.filter(pk=person.pk).update(preferred_language="ur")
    page = new_context().new_page()
    sign_in(page, live_server, live_world.practitioner)
    page.goto(url)
    # The wording, and only the wording, is in Urdu: the page's own words stay English.
    line = page.get_by_text("آزمائشی لکیر 1", exact=True)
    assert line.is_visible() and line.get_attribute("lang") == "ur"
    assert line.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.get_by_text("Mark, 0.0 to 10.0").first.evaluate(
        "e => e.closest('[lang]').lang") == "en"
    looks_right(page, "the rating screen with Urdu wording")
    for number in range(1, 5):
        page.fill(f"#rating-item_{number}", "7")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/hand-over/**")
    given = person.administrations.get()
    assert (given.language, given.total) == ("ur", 28)


def test_the_families_guide_is_plain_and_reachable_without_signing_in(live_server, new_context):
    page = new_context().new_page()
    page.goto(f"{live_server.url}/guide/")
    page.get_by_role("heading", name="Your answers: a short guide for families").wait_for()
    looks_right(page, "the families' guide")
    page.goto(f"{live_server.url}/guide/?lang=cy")
    page.get_by_role("heading", name="Eich atebion: canllaw byr i deuluoedd").wait_for()
    looks_right(page, "the families' guide in Welsh")
