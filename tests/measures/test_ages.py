from datetime import date, timedelta

import pytest

from familyfeedback.measures import age_on, turns, wrong_form


def test_age_goes_up_on_the_birthday_and_not_the_day_before():
    born = date(2015, 6, 10)
    assert age_on(born, date(2021, 6, 9)) == 5
    assert age_on(born, date(2021, 6, 10)) == 6


def test_a_baby_is_zero_on_the_day_they_are_born():
    assert age_on(date(2024, 3, 1), date(2024, 3, 1)) == 0


def test_a_leap_day_child_turns_older_on_the_first_of_march_in_an_ordinary_year():
    born = date(2012, 2, 29)
    assert age_on(born, date(2018, 2, 28)) == 5
    assert age_on(born, date(2018, 3, 1)) == 6


def test_a_leap_day_child_turns_older_on_the_twenty_ninth_in_a_leap_year():
    born = date(2012, 2, 29)
    assert age_on(born, date(2024, 2, 28)) == 11
    assert age_on(born, date(2024, 2, 29)) == 12


def test_a_date_before_birth_is_refused():
    with pytest.raises(ValueError):
        age_on(date(2020, 1, 2), date(2020, 1, 1))


def test_the_version_for_the_age_on_the_day_is_the_right_form():
    assert wrong_form("ORS", "CORS", date(2015, 6, 10), date(2024, 6, 9)) is None


def test_a_form_for_another_age_says_the_age_and_the_right_form():
    wrong = wrong_form("ORS", "ORS", date(2015, 6, 10), date(2024, 6, 9))
    assert (wrong.age, wrong.right.code, wrong.given) == (8, "CORS", "ORS")


def test_the_right_form_changes_on_the_birthday_that_crosses_a_band():
    born = date(2011, 6, 10)
    assert wrong_form("SRS", "CSRS", born, date(2024, 6, 9)) is None
    assert wrong_form("SRS", "CSRS", born, date(2024, 6, 10)).right.code == "SRS"


def test_a_code_that_names_no_measure_is_not_the_right_form():
    wrong = wrong_form("ORS", "junk", date(1990, 1, 1), date(2024, 1, 1))
    assert (wrong.right.code, wrong.given) == ("ORS", "junk")


def test_the_right_form_is_refused_for_a_date_before_birth():
    with pytest.raises(ValueError):
        wrong_form("ORS", "YCORS", date(2020, 1, 2), date(2020, 1, 1))


def test_a_person_turns_an_age_on_the_day_age_on_first_gives_it():
    for born in (date(2012, 2, 29), date(2015, 6, 10), date(2000, 1, 1)):
        for age in (1, 6, 13, 18):
            day = turns(born, age)
            assert age_on(born, day) == age
            assert age_on(born, day - timedelta(days=1)) == age - 1
