"""The family page's sessions table in pages of SESSIONS_PER_PAGE, newest first, with the GOV.UK
pagination under it; the charts above it drawn from every session, whichever page is shown."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from familyfeedback.casework.presenters import SESSIONS_PER_PAGE
from tests import factories

SESSIONS = SESSIONS_PER_PAGE + 5


@pytest.fixture
def seen_for_years(world):
    """A family of two (35 and 9) with SESSIONS sessions, a week apart; the newest yesterday."""
    family = factories.family(world.team, world.practitioner, name="Weekly family",
                              opened_days_ago=7 * SESSIONS + 10)
    today = timezone.localdate()
    for n in range(SESSIONS):
        factories.session(world.practitioner, family, today - timedelta(days=1 + 7 * n))
    return family


def session_dates(page: str) -> list[str]:
    """The dates in the sessions table, as its links show them."""
    table = page.split('id="sessions"', 1)[1]
    return re.findall(r'href="/sessions/\d+/">([^<]+)</a>', table)


def charts(page: str) -> list[str]:
    return re.findall(r'<svg class="ff-chart".*?</svg>', page, re.S)


def test_the_sessions_table_shows_the_newest_page_and_links_to_the_older(world, signed_in,
                                                                         seen_for_years):
    client = signed_in(world.practitioner)
    url = reverse("family", args=[seen_for_years.pk])
    first = client.get(url).content.decode()
    assert len(session_dates(first)) == SESSIONS_PER_PAGE
    assert f"{SESSIONS} sessions, newest first. Showing 1 to {SESSIONS_PER_PAGE}." in first
    assert 'aria-label="Pages of the sessions"' in first
    assert 'href="?page=2#sessions"' in first and 'aria-current="page"' in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert len(session_dates(second)) == SESSIONS - SESSIONS_PER_PAGE
    assert not set(session_dates(first)) & set(session_dates(second))
    assert 'href="?page=1#sessions"' in second
    # The charts draw every session, on either page: the first chart's line has a vertex for
    # each, and a dot is drawn at every vertex.
    assert charts(first) == charts(second) != []
    line = re.search(r'<path class="ff-chart__line" d="([^"]*)"([^>]*)>', charts(first)[0])
    assert len(re.findall(r"[ML]", line[1])) == SESSIONS
    assert all(f'marker-{at}="url(#' in line[2] for at in ("start", "mid", "end"))


@pytest.mark.parametrize("asked", ["0", "-1", "abc", "\x00", "1.5"])
def test_a_page_it_cannot_read_shows_the_newest_sessions(world, signed_in, seen_for_years,
                                                         asked):
    response = signed_in(world.practitioner).get(reverse("family", args=[seen_for_years.pk]),
                                                 {"page": asked})
    assert response.status_code == 200
    assert "Showing 1 to" in response.content.decode()


@pytest.mark.parametrize("asked", ["9", "99999999999999999999"])
def test_a_page_past_the_end_shows_the_oldest_sessions(world, signed_in, seen_for_years, asked):
    page = signed_in(world.practitioner).get(reverse("family", args=[seen_for_years.pk]),
                                             {"page": asked}).content.decode()
    assert f"Showing {SESSIONS_PER_PAGE + 1} to {SESSIONS}." in page


def test_a_family_with_few_sessions_has_no_pages(world, signed_in):
    factories.session(world.practitioner, world.family, timezone.localdate())
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    assert len(session_dates(page)) == 1
    assert "govuk-pagination" not in page and "Showing" not in page
