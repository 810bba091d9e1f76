"""Two evaluators creating the same trial, or the same question code, at the same moment: the
second is told plainly that it exists, never a server error.

The clash is made for real: another connection (a thread standing for the first evaluator's
request) has inserted the row and not yet committed when this request checks and inserts. The
check cannot see the uncommitted row, and the insert waits for the other transaction, then meets
the unique constraint, on SQLite (the write lock) and PostgreSQL (the unique index) alike."""

import threading
import time

from django.db import connection, transaction
from django.urls import reverse

from familyfeedback.evaluation.models import Question, Trial

HOLD = 1.0  # seconds the first request keeps its transaction open after inserting


def first_request_inserts(make) -> threading.Thread:
    inserted = threading.Event()

    def run():
        try:
            with transaction.atomic():
                make()
                inserted.set()
                time.sleep(HOLD)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert inserted.wait(timeout=20)
    return thread


def test_two_trials_with_one_name_at_the_same_moment(transactional_db, world, client):
    client.force_login(world.evaluator)
    other = first_request_inserts(lambda: Trial.objects.create(name="Pilot"))
    response = client.post(reverse("new_trial"), {"name": "Pilot", "protocol_note": "Two arms"})
    other.join(timeout=30)
    page = response.content.decode()
    assert response.status_code == 200
    assert "A trial with this name already exists" in page
    assert "Two arms" in page  # what was typed is kept
    assert Trial.objects.count() == 1


def test_two_questions_with_one_code_at_the_same_moment(transactional_db, world, client):
    client.force_login(world.evaluator)
    client.post(reverse("new_trial"), {"name": "Pilot"})
    trial = Trial.objects.get()
    other = first_request_inserts(lambda: Question.objects.create(
        trial=trial, question_code="prev_ors", wave="baseline", text="Used before?", kind="text"))
    response = client.post(reverse("add_question", args=[trial.pk]), {
        "question_id": "prev_ors", "wave": "baseline", "text": "Used the ORS before?",
        "kind": "text"}, follow=True)
    other.join(timeout=30)
    assert response.status_code == 200
    assert "That code is already used in this trial" in response.content.decode()
    assert Question.objects.count() == 1
