"""The family picture's discrepancy rule on hand-made families."""

from datetime import date
from decimal import Decimal

import pytest

from familyfeedback.measures.family import Member, Rating, discrepancies

FIRST, SECOND = date(2026, 1, 5), date(2026, 1, 19)


def member(name, measure, *totals, days=(FIRST, SECOND)):
    ratings = tuple(Rating(on, Decimal(str(t)), n) for n, (on, t) in
                    enumerate(zip(days, totals, strict=False)) if t is not None)
    return Member(key=name, name=name, measure=measure, ratings=ratings)


def test_a_family_that_agrees_has_a_narrow_spread_and_no_one_against():
    alex, sam = member("Alex", "ORS", 20, 24), member("Sam", "ORS", 21, 26)
    found = discrepancies([alex, sam])
    assert found.spread.apart == Decimal("2") and not found.spread.wide
    assert found.against is None


@pytest.mark.parametrize(("lower", "wide"), [("16", False), ("15", True)])
def test_the_spread_is_wide_from_exactly_ten_points(lower, wide):
    alex, sam = member("Alex", "ORS", 25), member("Sam", "ORS", lower)
    spread = discrepancies([alex, sam]).spread
    assert spread.wide is wide
    assert spread.high == (alex,) and spread.low == (sam,)


def test_two_people_only_far_apart_names_who_is_high_and_who_is_low():
    alex, sam = member("Alex", "ORS", 30), member("Sam", "ORS", 16)
    spread = discrepancies([alex, sam]).spread
    assert (spread.apart, spread.highest, spread.lowest) == (Decimal("14"), Decimal("30"),
                                                             Decimal("16"))
    assert spread.on == FIRST


def test_one_person_alone_has_no_discrepancy():
    found = discrepancies([member("Alex", "ORS", 10, 35)])
    assert found.spread is None and found.against is None


def test_one_person_moving_reliably_against_the_others_is_found():
    alex, sam = member("Alex", "ORS", 20, 26), member("Sam", "ORS", 22, 21)
    jo = member("Jo", "CORS", 30, 29.5)
    against = discrepancies([alex, sam, jo]).against
    assert against.mover == alex and against.direction == "up"
    assert against.change == Decimal("6") and against.on == SECOND
    assert dict(against.others) == {sam: Decimal("-1"), jo: Decimal("-0.5")}


def test_a_change_below_the_measures_reliable_change_is_not_against():
    # The child's CORS needs 6 points (common); 5.9 is not reliable for them, 5 would be for ORS.
    jo, alex = member("Jo", "CORS", 20, 25.9), member("Alex", "ORS", 22, 21)
    assert discrepancies([jo, alex]).against is None


def test_everyone_moving_together_is_no_one_against():
    alex, sam = member("Alex", "ORS", 20, 27), member("Sam", "ORS", 22, 24)
    assert discrepancies([alex, sam]).against is None


def test_someone_who_stayed_still_keeps_a_mover_from_being_against_everyone():
    alex, sam = member("Alex", "ORS", 20, 27), member("Sam", "ORS", 22, 22)
    assert discrepancies([alex, sam]).against is None


def test_missing_ratings_compare_only_who_rated_at_the_latest_shared_session():
    alex, sam = member("Alex", "ORS", 20, 30), member("Sam", "ORS", 18, None)
    jo = member("Jo", "CORS", None, 18)
    found = discrepancies([alex, sam, jo])
    assert found.spread.on == SECOND and set(found.spread.rated) == {alex, jo}
    assert found.spread.wide
    # Jo has no rating before: only Alex has a change, and one change moves against no one.
    assert found.against is None


def test_faces_have_no_total_and_are_left_out_and_named():
    alex, sam = member("Alex", "ORS", 20), member("Sam", "ORS", 31)
    child = Member(key="Kit", name="Kit", measure="YCORS", ratings=())
    found = discrepancies([alex, sam, child])
    assert found.left_out == (child,)
    assert set(found.spread.rated) == {alex, sam}


def test_the_spread_setting_changes_what_is_wide():
    alex, sam = member("Alex", "ORS", 25), member("Sam", "ORS", 18)
    assert not discrepancies([alex, sam]).spread.wide
    assert discrepancies([alex, sam], spread=Decimal("7")).spread.wide
    assert not discrepancies([alex, sam], spread=Decimal("7.1")).spread.wide


def test_the_stricter_reliable_change_standard_is_used_when_chosen():
    alex, sam = member("Alex", "ORS", 20, 26), member("Sam", "ORS", 22, 21)
    assert discrepancies([alex, sam]).against is not None
    assert discrepancies([alex, sam], standard="cyp_iapt_2015").against is None
