"""The dashboards' figures summed from the monthly summaries equal the figures counted from the
records: after a refresh, after writes and the next refresh, and when a write commits while a
refresh runs. Below the threshold, or for a period that is not whole months, the records are
counted. On SQLite and PostgreSQL alike (the test database is whichever DATABASE_URL names)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from familyfeedback.casework import actions
from familyfeedback.casework.models import Family, TouchedMonth
from familyfeedback.implementation import dashboard, summaries
from familyfeedback.implementation.forms import default_period
from familyfeedback.lib import versions
from familyfeedback.privacy.erasure import ERASURE, erase_families
from tests import factories
from tests.casework import test_import_history
from tests.implementation import test_figures
from tests.implementation.test_figures import D1, D2, given, month_start, record

service = test_figures.service  # the hand-made service whose figures test_figures works out
people = test_import_history.people  # the world's families' people, with case-system references

BOTH = {"ORS": "completed", "SRS": "completed"}


def every_figure(counted, by_team):
    return {
        "usage": counted.usage_by_month(by_team),
        "reach": counted.reach(by_team),
        "per_person": counted.completions_per_person(by_team),
        "not_administered": counted.not_administered(by_team),
        "coverage": counted.coverage(by_team),
        "used_tools": counted.used_tools(),
        "languages": counted.language_support(by_team),
    }


def assert_summed_equals_counted(team_ids, start, end):
    raw = every_figure(summaries.Raw(team_ids, start, end), len(team_ids) > 1)
    summed = every_figure(summaries.Summed(team_ids, start, end), len(team_ids) > 1)
    assert summed == raw
    return raw


def periods():
    today = timezone.localdate()
    return [default_period(today), (month_start(2), month_start(1) - timedelta(days=1)),
            (month_start(1), today + timedelta(days=40))]


def test_every_figure_from_the_summaries_equals_the_records(service):
    assert summaries.refresh() == sorted({D1.replace(day=1), D2.replace(day=1)})
    both = [service["north"].pk, service["south"].pk]
    for start, end in periods():
        for team_ids in (both, [service["north"].pk], [service["south"].pk]):
            assert_summed_equals_counted(team_ids, start, end)
    figures = assert_summed_equals_counted(both, *default_period(timezone.localdate()))
    assert sum(row["completions"] for row in figures["usage"]) == 7  # not an empty agreement
    assert figures["not_administered"] == [
        {"team_key": service["north"].pk, "reason": "declined", "count": 1}]


def test_sessions_in_another_language_from_the_summaries_equal_the_records(service, world):
    fa = Family.objects.get(name="FA")
    adult, child = fa.people.order_by("date_of_birth")
    given(D1, adult, "ORS", language="pl")
    given(D1, child, "ORS", helped=True)
    given(D2, adult, "SRS", language="ur", helped=True)
    summaries.refresh()
    both = [service["north"].pk, service["south"].pk]
    for start, end in periods():
        for team_ids in (both, [service["north"].pk]):
            assert_summed_equals_counted(team_ids, start, end)
    counted = summaries.Summed(both, month_start(2), timezone.localdate())
    assert counted.language_support(False) == [  # not an empty agreement
        {"sessions": 3, "other_language": 2, "with_help": 2, "either": 2}]


def test_after_writes_the_next_refresh_counts_only_their_months_and_agrees_again(
        service, world):
    summaries.refresh()
    both = [service["north"].pk, service["south"].pk]
    start, end = default_period(timezone.localdate())
    today = timezone.localdate()
    family = factories.family(service["north"], service["p1"], ages=(35, 9), name="FC")
    record(service["p1"], family, today, dict.fromkeys(family.people.all(), BOTH))
    assert list(TouchedMonth.objects.values_list("month", flat=True)) == [today.replace(day=1)]
    before = every_figure(summaries.Summed(both, start, end), True)
    assert before != every_figure(summaries.Raw(both, start, end), True), (
        "the summaries are as at the last refresh until the next")
    assert summaries.refresh() == [today.replace(day=1)]
    assert_summed_equals_counted(both, start, end)

    # A family moved to another team takes all its months with it.
    fa = Family.objects.get(name="FA")
    actions.transfer_family(service["p1"], fa, team=service["south"], key_worker=None,
                            opened=versions.plain(actions.placement(fa)))
    # A child's date of birth corrected so that they were an adult at every session.
    child = fa.people.order_by("-date_of_birth").first()
    with transaction.atomic():
        actions.change_person(service["p1"], child,
                              {"date_of_birth": child.date_of_birth.replace(year=1990)})
    assert summaries.refresh() == sorted({D1.replace(day=1), D2.replace(day=1)})
    figures = assert_summed_equals_counted(both, start, end)
    assert {row["person_group"] for row in figures["reach"]
            if row["team_key"] == service["south"].pk} == {"adult"}

    # An erased family's counts go at the next refresh.
    erase_families([fa], rule=ERASURE, actor=world.administrator, reason="SAR 2026/1")
    summaries.refresh()
    figures = assert_summed_equals_counted(both, start, end)
    assert sum(row["completions"] for row in figures["usage"]) == 2 + 2 * family.people.count()


def test_an_imported_history_marks_the_months_it_adds_to(tmp_path, world, people, monkeypatch):
    summaries.refresh()
    monkeypatch.chdir(tmp_path)
    test_import_history.run(tmp_path, test_import_history.good_file(people))
    on = (test_import_history.EARLY, test_import_history.MIDDLE, test_import_history.LATE)
    months = sorted({day.replace(day=1) for day in on})
    assert summaries.refresh() == months
    figures = assert_summed_equals_counted([world.team.pk, world.other_team.pk], months[0],
                                           timezone.localdate())
    assert sum(row["completions"] for row in figures["usage"]) == 7


def test_refresh_all_counts_every_month_again(service):
    summaries.refresh()
    assert summaries.refresh() == []
    assert summaries.refresh(everything=True) == sorted({D1.replace(day=1), D2.replace(day=1)})
    assert_summed_equals_counted([service["north"].pk, service["south"].pk],
                                 *default_period(timezone.localdate()))


def test_below_the_threshold_or_for_part_of_a_month_the_records_are_counted(
        service, settings):
    today = timezone.localdate()
    ids = [service["north"].pk]
    start, end = default_period(today)
    assert isinstance(summaries.counts(ids, start, end, today), summaries.Raw), "never refreshed"
    summaries.refresh()
    settings.SUMMARIES_ABOVE = 7  # the service holds 7 + 1 records
    assert isinstance(summaries.counts(ids, start, end, today), summaries.Summed)
    settings.SUMMARIES_ABOVE = 8
    assert isinstance(summaries.counts(ids, start, end, today), summaries.Raw)
    settings.SUMMARIES_ABOVE = 0
    assert isinstance(summaries.counts(ids, start + timedelta(days=1), end, today),
                      summaries.Raw)
    assert isinstance(summaries.counts(ids, start, month_start(1) + timedelta(days=10), today),
                      summaries.Raw)


def test_the_page_says_when_the_summaries_were_refreshed_only_when_it_uses_them(
        service, client, world, settings):
    client.force_login(world.data_team)
    summaries.refresh()
    settings.SUMMARIES_ABOVE = 10**9
    raw = client.get(reverse("dashboards")).content.decode()
    assert "summaries-refreshed" not in raw
    settings.SUMMARIES_ABOVE = 0
    summed = client.get(reverse("dashboards")).content.decode()
    assert "last brought up to date on" in summed
    # The same tables either way.
    teams = [service["north"], service["south"]]
    start, end = default_period(timezone.localdate())
    assert ([t.rows for t in dashboard.build(teams, start, end,
                                             counted=summaries.Raw([t.pk for t in teams],
                                                                   start, end))]
            == [t.rows for t in dashboard.build(teams, start, end)])


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_while_a_refresh_runs_is_counted_by_the_next(service, world,
                                                                        monkeypatch):
    """The refresh waits, after reading the marks, for a session recorded from another thread
    (another connection): on PostgreSQL it commits meanwhile; on SQLite it waits for the
    refresh's write lock and commits after. Either way its mark is left for the next refresh."""
    summaries.refresh()
    today = timezone.localdate()
    family = factories.family(service["north"], service["p1"], ages=(35, 9), name="FC")
    people = list(family.people.all())
    counting, written = threading.Event(), threading.Event()
    count_month = summaries._count_month
    errors = []

    def slow_count(month):
        counting.set()  # the marks are read: the write comes after
        written.wait(timeout=3)
        count_month(month)

    def in_thread(work):
        def run():
            try:
                work()
            except Exception as error:  # noqa: BLE001 (told to the test below)
                errors.append(error)
            finally:
                connection.close()
        return threading.Thread(target=run)

    def write():
        counting.wait(timeout=10)
        try:
            record(service["p1"], family, today, dict.fromkeys(people, BOTH))
        finally:
            written.set()

    TouchedMonth.objects.create(month=D1.replace(day=1))  # something for the refresh to count
    monkeypatch.setattr(summaries, "_count_month", slow_count)
    threads = [in_thread(summaries.refresh), in_thread(write)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    monkeypatch.setattr(summaries, "_count_month", count_month)
    assert list(TouchedMonth.objects.values_list("month", flat=True)) == [today.replace(day=1)]
    summaries.refresh()
    assert_summed_equals_counted([service["north"].pk, service["south"].pk],
                                 *default_period(today))
