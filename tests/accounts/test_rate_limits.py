"""Rate limits on searching for families and on downloading identifiable data (OWASP ASVS 5.0
2.4.1, accounts/rate_limits.py): over the limit, a 429 that says in words when to try again,
with Retry-After; a new window lets the person in again; each person is counted apart; and two
requests at once never share a count. Time is moved by setting rate_limits.clock, not waited
for."""

import inspect
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from familyfeedback.accounts import rate_limits
from familyfeedback.accounts.models import RateCount, Role
from familyfeedback.accounts.rate_limits import RateLimited, check_rate
from tests import factories
from tests.routes import routes
from tests.test_hostile_requests import _functions_reached, objects  # noqa: F401 (a fixture)

# 20 seconds into a minute, 20 minutes into an hour; January, so London's time is UTC.
MONDAY = datetime(2026, 1, 5, 10, 20, 20, tzinfo=UTC)


@pytest.fixture
def at(monkeypatch):
    """Sets the time the limits count in."""
    def set_to(when: datetime):
        monkeypatch.setattr(rate_limits, "clock", lambda: when)
    set_to(MONDAY)
    return set_to


def search(client, words: str = "Ashdown"):
    return client.post(reverse("find_family"), {"words": words})


# Searching -------------------------------------------------------------------------------------

def test_the_search_past_the_limit_is_refused_with_429_keeping_the_words(
        world, signed_in, settings, at):
    settings.SEARCHES_PER_MINUTE = 3
    client = signed_in(world.practitioner)
    for _ in range(3):
        allowed = search(client)
        assert allowed.status_code == 200
        assert "Ashdown family" in allowed.text
    refused = search(client)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert "There is a problem" in refused.text
    assert ("You have made 3 searches in a minute, the most allowed. You can search again in "
            "1 minute.") in refused.text
    assert 'value="Ashdown"' in refused.text
    assert "Ashdown family" not in refused.text
    assert refused["Cache-Control"] == "private, no-store"


def test_finding_a_family_by_reference_on_the_privacy_page_is_counted_as_a_search(
        world, signed_in, settings, at):
    settings.SEARCHES_PER_MINUTE = 2
    client = signed_in(world.administrator)
    url = reverse("privacy_find_family")
    for reference in ("NOBODY-1", world.family.case_reference):
        assert client.post(url, {"case_reference": reference}).status_code in (200, 302)
    refused = client.post(url, {"case_reference": world.family.case_reference})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert "You have made 2 searches in a minute, the most allowed." in refused.text
    assert f'value="{world.family.case_reference}"' in refused.text


def test_a_new_minute_lets_the_person_search_again(world, signed_in, settings, at):
    settings.SEARCHES_PER_MINUTE = 1
    client = signed_in(world.practitioner)
    assert search(client).status_code == 200
    assert search(client).status_code == 429
    at(MONDAY + timedelta(seconds=39))
    assert search(client).status_code == 429
    at(MONDAY + timedelta(seconds=40))
    assert search(client).status_code == 200


def test_one_persons_searches_do_not_hold_back_another(world, signed_in, settings, at):
    settings.SEARCHES_PER_MINUTE = 1
    search(signed_in(world.practitioner))
    assert search(signed_in(world.practitioner)).status_code == 429
    assert search(signed_in(world.manager)).status_code == 200


def test_a_search_refused_as_empty_does_not_count(world, signed_in, settings, at):
    settings.SEARCHES_PER_MINUTE = 1
    client = signed_in(world.practitioner)
    assert search(client, "").status_code == 200
    assert search(client).status_code == 200


def test_searches_and_downloads_are_counted_apart(world, settings):
    settings.SEARCHES_PER_MINUTE = 1
    settings.EXPORTS_PER_HOUR = 1
    check_rate(world.practitioner, "search", now=MONDAY)
    assert check_rate(world.practitioner, "export", now=MONDAY) == 1


# Downloads -------------------------------------------------------------------------------------

# Every page that hands over a file of identifiable data: how it is asked for, by whom, with
# which URL parts (from tests/test_hostile_requests.py's objects).
EXPORTS = {
    "dashboard_download": ("get", "manager", lambda o: {"key": o["key"][0], "kind": "csv"}),
    "research_export": ("post", "evaluator", lambda o: {"trial_id": o["trial_id"][0]}),
    "survey_links_csv": ("get", "evaluator", lambda o: {"trial_id": o["trial_id"][0]}),
    "refi_qda_codebook": ("get", "evaluator", lambda o: {"trial_id": o["trial_id"][0]}),
    "refi_qda_project": ("get", "evaluator", lambda o: {"trial_id": o["trial_id"][0]}),
    "matrix_download": ("get", "evaluator", lambda o: {"trial_id": o["trial_id"][0]}),
    "report_pdf": ("get", "evaluator", lambda o: {"trial_id": o["trial_id"][0]}),
    "subject_access": ("post", "administrator", lambda o: {"person_id": o["person_id"][0]}),
}


def test_every_page_that_sends_a_file_to_keep_is_in_the_table():
    """A route whose code sends an attachment is an export: a new one fails here until it is
    limited and listed above."""
    sending = {route.name for route in routes() if route.name
               and any("attachment;" in inspect.getsource(function)
                       for function in _functions_reached(route.callback))}
    assert sending == set(EXPORTS)


@pytest.mark.parametrize("name", list(EXPORTS))
def test_each_download_past_the_limit_is_refused_with_429_saying_when(
        name, world, objects, client, settings, at):  # noqa: F811
    method, persona, kwargs = EXPORTS[name]
    settings.EXPORTS_PER_HOUR = 2
    url = reverse(name, kwargs=kwargs(objects))
    client.force_login(getattr(world, persona))
    for _ in range(2):
        assert getattr(client, method)(url).status_code != 429
    refused = getattr(client, method)(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(40 * 60 - 20)
    assert "Content-Disposition" not in refused
    assert ("You have made 2 downloads in an hour, the most allowed. You can download again in "
            "40 minutes.") in refused.text
    assert "That is from 5 January 2026 at 11:00am." in refused.text
    at(MONDAY + timedelta(minutes=40))
    assert getattr(client, method)(url).status_code != 429


def test_the_downloads_share_one_count_and_another_person_has_their_own(
        world, objects, client, settings, at):  # noqa: F811
    settings.EXPORTS_PER_HOUR = 2
    trial = objects["trial_id"][0]
    client.force_login(world.evaluator)
    assert client.get(reverse("refi_qda_codebook", args=[trial])).status_code == 200
    assert client.get(reverse("survey_links_csv", args=[trial])).status_code == 200
    assert client.get(reverse("report_pdf", args=[trial])).status_code == 429
    client.force_login(factories.user("evan@example.test", Role.EVALUATOR))
    assert client.get(reverse("report_pdf", args=[trial])).status_code == 200


def test_the_subject_access_page_itself_is_not_counted_only_the_download(
        world, client, settings, at):
    settings.EXPORTS_PER_HOUR = 1
    url = reverse("subject_access", args=[world.family.people.first().pk])
    client.force_login(world.administrator)
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert client.post(url)["Content-Type"] == "application/zip"
    assert client.post(url).status_code == 429


# The counter -----------------------------------------------------------------------------------

def test_the_limit_is_reached_at_the_setting_and_not_before(world, settings):
    settings.EXPORTS_PER_HOUR = 3
    assert [check_rate(world.evaluator, "export", now=MONDAY) for _ in range(3)] == [1, 2, 3]
    with pytest.raises(RateLimited) as refused:
        check_rate(world.evaluator, "export", now=MONDAY + timedelta(minutes=39))
    assert refused.value.retry_after == 40
    assert refused.value.message.endswith("You can download again in 1 minute.")


def test_a_new_window_starts_from_nothing_and_removes_the_ended_ones(world, settings):
    settings.SEARCHES_PER_MINUTE = 2
    for minute in range(3):
        now = MONDAY + timedelta(minutes=minute)
        assert check_rate(world.practitioner, "search", now=now) == 1
        assert check_rate(world.practitioner, "search", now=now) == 2
    check_rate(world.manager, "search", now=MONDAY)
    kept = RateCount.objects.values_list("user", "window_start", "used")
    assert sorted(kept) == sorted([
        (world.practitioner.pk, datetime(2026, 1, 5, 10, 22, tzinfo=UTC), 2),
        (world.manager.pk, datetime(2026, 1, 5, 10, 20, tzinfo=UTC), 1)])


@pytest.mark.django_db(transaction=True)
def test_requests_at_once_never_share_a_count(settings):
    """Four threads, each with its own database connection, counting 25 times at once: every
    count from 1 to 100 is handed out exactly once, so none can slip under the limit."""
    settings.EXPORTS_PER_HOUR = 1000
    person = factories.user("busy@example.test")
    counts, start = [], threading.Barrier(4)

    def count():
        try:
            start.wait()
            counts.extend(check_rate(person, "export", now=MONDAY) for _ in range(25))
        finally:
            connection.close()

    threads = [threading.Thread(target=count) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 101))
    assert RateCount.objects.get(user=person).used == 100
