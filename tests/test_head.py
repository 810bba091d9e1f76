"""Monitors and link checkers ask with HEAD: every page that answers GET answers HEAD the same
way (never 405 Method Not Allowed). The pages are found by walking the URL patterns, so a new page
is covered without anyone adding it here."""

import re

import pytest

from familyfeedback.accounts.models import Role
from tests import factories
from tests.routes import names_reverse_knows, routes

# A value for a URL part, the first its converter accepts: the method check comes before any
# lookup, so a page for an object that does not exist still says whether it takes the method.
SAMPLES = ("1", "x", "1.1")


def sample(converter) -> str:
    return next(s for s in SAMPLES if re.fullmatch(converter.regex, s))


def sample_paths():
    """Every route as a path with sample values, and its name."""
    for found in routes():
        route = found.route
        for name, converter in found.converters.items():
            route = route.replace(f"<{_spelling(route, name)}>", sample(converter))
        yield "/" + route.lstrip("^").rstrip("$"), found.name


def _spelling(route: str, name: str) -> str:
    start = route.index(f":{name}>")
    return route[route.rindex("<", 0, start) + 1:start] + f":{name}"


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.EVALUATOR, Role.TEAM_MANAGER, None])
def test_no_page_that_answers_get_refuses_head(db, client, role):
    if role is not None:
        client.force_login(factories.user(f"{role}@example.test", role))
    found = list(sample_paths())
    assert {name for _, name in found} == names_reverse_knows()  # every page, included ones too
    refused = []
    for url, name in found:
        if client.get(url).status_code != 405 and client.head(url).status_code == 405:
            refused.append(name)
    assert refused == []


def test_health_answers_head(db, client):
    response = client.head("/health/")
    assert response.status_code == 200
