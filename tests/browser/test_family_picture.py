"""The family picture's family-facing pages in a browser: axe finds nothing at 320 px and 1024 px,
a phone never scrolls sideways, and the printed page is one A4 page for a family of four with
eight sessions."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in


@pytest.fixture
def eight_sessions(live_world):
    """The Ashdown family of four (35, 34, 9 and 4), eight sessions a fortnight apart."""
    family = live_world.family
    people = list(family.people.order_by("date_of_birth").reverse())
    today = timezone.localdate()
    session = None
    for n in range(8):
        # One parent getting better, the other flat and low, the child up and down.
        parent, other, child = people[:3]
        scores = {parent.pk: ((3 + n * 0.6, 4 + n * 0.5, 5, 5), (9, 9, 9, 9)),
                  other.pk: ((3, 3.5, 4, 3), (8, 8.5, 8, 8)),
                  child.pk: ((6 + n % 3, 7, 6, 7 - n % 2), (9, 9.5, 9, 9))}
        session = factories.session(live_world.practitioner, family,
                                    today - timedelta(days=14 * (8 - n)), scores)
    return family, session


def pages(family, session):
    return {"family-facing": f"/sessions/{session.pk}/picture/",
            "print": f"/families/{family.pk}/picture/print/"}


@pytest.mark.parametrize("width", [320, 1024])
def test_the_family_facing_pages_pass_axe_and_fit_the_width(eight_sessions, live_world,
                                                            live_server, new_context, width):
    family, session = eight_sessions
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, live_server, live_world.practitioner)
    for name, path in pages(family, session).items():
        page.goto(f"{live_server.url}{path}")
        assert page.locator("svg.ff-chart--family").count() == 1
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, name
        assert_no_axe_violations(page, f"the {name} family picture at {width} px")


def test_the_printed_picture_is_one_a4_page(eight_sessions, live_world, live_server, new_context):
    family, session = eight_sessions
    page = new_context().new_page()
    sign_in(page, live_server, live_world.practitioner)
    page.goto(f"{live_server.url}/families/{family.pk}/picture/print/")
    page.emulate_media(media="print")
    # The numbers are on paper too: all eight sessions, each of the three with a total.
    assert page.locator("table tbody tr").count() == 8
    assert page.locator("table").is_visible()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
