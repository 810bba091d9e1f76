"""Two practitioners saving sessions for the same family at the same moment must both be saved:
no "database is locked" on SQLite (WAL, immediate transactions, busy timeout) nor on PostgreSQL."""

import threading
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from familyfeedback.casework import alerts
from familyfeedback.casework.models import Administration, Session
from tests import factories
from tests.casework.forms_data import record_session_post

ROUNDS = 8


def test_two_practitioners_recording_at_once_are_both_saved(transactional_db, world):
    second = factories.user("sam@example.test", team=world.team)
    url = reverse("record_session", args=[world.family.pk])
    start = threading.Barrier(2)
    results: dict[str, list[int]] = {}
    failures: list[BaseException] = []

    def record(user):
        client = Client()
        client.force_login(user)
        codes = []
        try:
            start.wait(timeout=10)
            for days_ago in range(ROUNDS):  # each practitioner's sessions on different days
                data = record_session_post(world.family,
                                           timezone.localdate() - timedelta(days=days_ago))
                codes.append(client.post(url, data).status_code)
        except BaseException as error:  # reported below, with the thread's name
            failures.append(error)
        finally:
            results[user.email] = codes
            connection.close()

    threads = [threading.Thread(target=record, args=(u,)) for u in (world.practitioner, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert results == {world.practitioner.email: [302] * ROUNDS, second.email: [302] * ROUNDS}
    assert Session.objects.filter(family=world.family).count() == 2 * ROUNDS
    assert Session.objects.filter(practitioner=second).count() == ROUNDS
    assert Administration.objects.filter(session__family=world.family).count() == 2 * ROUNDS * 8
    # Each write stored the family's alerts after the other's had committed (ADR 0025).
    assert alerts.differences() == []


def test_the_same_form_sent_twice_at_the_same_moment_records_once(transactional_db, world):
    url = reverse("record_session", args=[world.family.pk])
    data = record_session_post(world.family, timezone.localdate())
    start = threading.Barrier(2)
    codes: list[int] = []

    def send():
        client = Client()
        client.force_login(world.practitioner)
        try:
            start.wait(timeout=10)
            codes.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert codes == [302, 302]
    assert Session.objects.filter(family=world.family).count() == 1
    assert Administration.objects.filter(session__family=world.family).count() == 8
