from datetime import date, timedelta

import pytest

from familyfeedback.measures.schedules import Schedule, Visit, due_at, overdue_since, parse

D = date(2026, 3, 2)


def visits(*spec):
    """spec: (days after D, kind, rated)"""
    return [Visit(D + timedelta(days=d), kind, rated) for d, kind, rated in spec]


def test_schedules_are_parsed_and_bad_ones_named():
    assert parse("every_weeks:4") == Schedule("every_weeks", 4)
    assert parse("first_and_last") == Schedule("first_and_last")
    for bad in ("weekly", "every_weeks", "every_weeks:0", "every_session:2"):
        with pytest.raises(ValueError):
            parse(bad)


def test_every_session_is_always_due():
    assert due_at(parse("every_session"), visits((0, "home_visit", True)), D, "home_visit")


def test_every_four_weeks_is_due_four_weeks_after_the_last_rating():
    history = visits((0, "home_visit", True), (7, "home_visit", False))
    schedule = parse("every_weeks:4")
    assert not due_at(schedule, history, D + timedelta(days=27), "home_visit")
    assert due_at(schedule, history, D + timedelta(days=28), "home_visit")


def test_a_reason_for_not_administering_counts_as_rated():
    history = visits((0, "home_visit", True), (28, "home_visit", True))
    assert not due_at(parse("every_weeks:4"), history, D + timedelta(days=35), "home_visit")
    assert overdue_since(parse("every_weeks:4"), history, D + timedelta(days=60), D) is None


def test_first_and_last_is_due_only_until_the_first_rating():
    schedule = parse("first_and_last")
    assert due_at(schedule, [], D, "home_visit")
    assert not due_at(schedule, visits((0, "home_visit", True)), D + timedelta(days=7),
                      "home_visit")


def test_taf_reviews_are_due_at_team_around_the_family_meetings():
    schedule = parse("taf_reviews")
    history = visits((0, "home_visit", True))
    assert due_at(schedule, history, D + timedelta(days=14), "taf")
    assert not due_at(schedule, history, D + timedelta(days=14), "home_visit")


def test_a_missed_due_visit_is_overdue_from_that_visit():
    history = visits((0, "home_visit", False), (7, "home_visit", False))
    assert overdue_since(parse("first_and_last"), history, D + timedelta(days=10), D) == D


def test_a_time_based_rating_is_overdue_a_week_after_it_fell_due():
    history = visits((0, "home_visit", True))
    schedule = parse("every_weeks:4")
    assert overdue_since(schedule, history, D + timedelta(days=35), D) is None
    assert overdue_since(schedule, history, D + timedelta(days=36), D) == D + timedelta(days=28)
