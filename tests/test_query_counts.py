"""No page's number of queries grows with the service: every URL pattern (tests/routes.py, so a
new page is covered without anyone listing it) is opened by someone its row of the access matrix
lets in, its queries are counted, the world then grows (more families in the team with their
sessions and people, more sessions, people and history for the family itself, more coding for
the trial), and each page is counted again. The two counts must be equal: a page that runs one
query per family, session, person or entry (an N+1) fails here. A page whose count may grow, and
why, is named in GROWS.

Each page is opened twice and the second opening counted, so a first look-up that is cached for
the process (content types, the measures' text packs) is not counted against the small world.
Each request runs in a savepoint rolled back after it, as in tests/test_access_matrix.py, whose
personas and objects (tests/test_hostile_requests.py) are used here."""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from familyfeedback.casework.models import Person
from familyfeedback.evaluation import actions as evaluation_actions
from familyfeedback.evaluation.models import Trial
from tests import factories
from tests import test_hostile_requests as hostile
from tests.test_access_matrix import MATRIX, outcome, urls_of
from tests.test_hostile_requests import become, everyone, patterns

objects = hostile.objects  # the fixture: a real object for every id a URL takes

# Pages whose count may grow with the service, each with why. Empty is the aim.
GROWS: dict[str, str] = {
    "refresh_admin_data": "copies every record of the trial's teams into its admin data with "
                          "bulk inserts, as many as the database's cap on one statement's "
                          "parameters needs (about 50 rows each on SQLite, 2,000 on PostgreSQL): "
                          "one statement per batch, never one per record",
}

# How much the world grows: enough that one query per row would show, few enough to stay quick.
MORE_FAMILIES = 4
MORE_SESSIONS = 3


@dataclass(frozen=True)
class Opened:
    name: str
    url: str
    method: str
    persona: str


def opening(pattern, objects, people, client) -> Opened | None:
    """The first of the pattern's addresses someone in its row reaches, by GET, or by POST where
    the page takes only that. A page whose row names nobody here (the recovery codes, shown once
    to someone who has just set up an app) is opened by whoever reaches it."""
    row = MATRIX.get(pattern.name)
    if row is None:
        return None
    for method in ("get", "post"):
        for url in urls_of(pattern, objects):
            for name in sorted(row.who) or sorted(people):
                point = transaction.savepoint()
                try:
                    become(client, people[name])
                    if outcome(getattr(client, method)(url)) == "reached":
                        return Opened(pattern.name, url, method, name)
                finally:
                    transaction.savepoint_rollback(point)
    return None


def count(client, people, opened: Opened) -> list[str]:
    """The queries of the page's second opening (the first warms what the process caches)."""
    point = transaction.savepoint()
    try:
        become(client, people[opened.persona])
        send = getattr(client, opened.method)
        send(opened.url)
        with CaptureQueriesContext(connection) as queries:
            send(opened.url)
        return [query["sql"] for query in queries]
    finally:
        transaction.savepoint_rollback(point)


def more_often(small: list[str], large: list[str]) -> list[str]:
    """The statements (their first words) the grown world ran more times: where the N+1 is."""
    def shape(sql: str) -> str:  # savepoints and ids differ from one opening to the next
        return re.sub(r"\d+", "N", sql)[:160]

    shapes = Counter(map(shape, large))
    shapes.subtract(map(shape, small))
    return [shape for shape, extra in shapes.most_common(2) if extra > 0]


def grow(world, objects) -> None:
    """More of everything a page might list, in the team whose pages are opened: families with
    people and sessions, sessions and a person for the family itself (and so more history in the
    audit log), and more documents, themes and coding for the trial."""
    today = timezone.localdate()
    for n in range(MORE_FAMILIES):
        family = factories.family(world.team, world.practitioner, ages=(40, 12, 6),
                                  name=f"Grown family {n}")
        for days in range(MORE_SESSIONS):
            factories.session(world.practitioner, family, today - timedelta(days=60 - 7 * days))
    Person.objects.create(family=world.family, first_name="Newborn", last_name="Test",
                          date_of_birth=factories.born(1))
    for days in range(MORE_SESSIONS):
        factories.session(world.practitioner, world.family, today - timedelta(days=40 - 7 * days))
    other = factories.family(world.other_team, world.colleague_other_team, name="Grown south")
    factories.session(world.colleague_other_team, other, today - timedelta(days=5))
    trial = Trial.objects.get(pk=objects["trial_id"][0])
    respondent = trial.practitioners.get(pk=objects["respondent_id"][0])
    for n in range(MORE_SESSIONS):
        theme = evaluation_actions.add_theme(world.evaluator, trial, name=f"Theme {n}")
        document = evaluation_actions.add_document(
            world.evaluator, trial, kind="interview", title=f"Interview {n}",
            text="An answer.\n\nAnother answer.", participant=respondent)
        evaluation_actions.code_passage(world.evaluator, document, themes=[theme], start=0,
                                        end=10)


def test_no_page_runs_more_queries_as_the_service_grows(world, objects):
    people, client = everyone(world, objects), Client()
    every = list(patterns())
    opened = {pattern.name: opening(pattern, objects, people, client) for pattern in every}
    unreached = sorted(name for name, found in opened.items() if found is None)
    assert unreached == [], f"no one in the access matrix reaches {unreached}: count them how?"
    small = {name: count(client, people, found) for name, found in opened.items()}
    grow(world, objects)
    large = {name: count(client, people, found) for name, found in opened.items()}
    grown = sorted(f"{opened[name].method.upper()} {opened[name].url} as {opened[name].persona}:"
                   f" {len(small[name])} queries, then {len(large[name])}; "
                   f"more often: {more_often(small[name], large[name])}"
                   for name in opened if len(large[name]) != len(small[name])
                   and name not in GROWS)
    assert grown == [], "pages whose queries grow with the service:\n" + "\n".join(grown)
    # Every page was counted, and every allowance is for a page that exists.
    assert set(small) == {pattern.name for pattern in every}
    assert set(GROWS) <= set(small)
