from decimal import Decimal

import pytest

from familyfeedback.measures import cutoff_for, get, reliable_change_for


@pytest.mark.parametrize(
    ("code", "age", "value"),
    [
        ("ORS", 13, "28"),
        ("ORS", 17, "28"),
        ("ORS", 18, "25"),
        ("ORS", 70, "25"),
        ("CORS", 6, "32"),
        ("CORS", 12, "32"),
        ("SRS", 40, "36"),
        ("CSRS", 8, "36"),
    ],
)
def test_the_cutoff_depends_on_the_measure_and_age(code, age, value):
    cutoff = cutoff_for(get(code), age)
    assert cutoff is not None
    assert cutoff.value == Decimal(value)
    assert cutoff.source


def test_the_ors_cutoff_names_its_source():
    assert cutoff_for(get("ORS"), 30).source == "commonly cited (Miller & Duncan)"


def test_the_srs_cutoff_says_what_it_means():
    assert cutoff_for(get("SRS"), 30).meaning == "below 36 suggests the session did not fit"


@pytest.mark.parametrize(("code", "age"), [("YCORS", 4), ("YCSRS", 4), ("ORS", 10)])
def test_there_is_no_cutoff_without_norms_for_that_age(code, age):
    assert cutoff_for(get(code), age) is None


@pytest.mark.parametrize(
    ("code", "standard", "value", "source"),
    [
        ("ORS", "common", "5", "commonly cited (Miller & Duncan)"),
        ("ORS", "cyp_iapt_2015", "6.6", "CYP IAPT 2015"),
        ("CORS", "common", "6", "commonly cited (Duncan & Miller)"),
        ("CORS", "cyp_iapt_2015", "10", "CYP IAPT 2015"),
    ],
)
def test_reliable_change_follows_the_chosen_standard(code, standard, value, source):
    rc = reliable_change_for(get(code), standard)
    assert (rc.value, rc.source, rc.standard) == (Decimal(value), source, standard)


def test_the_common_standard_is_the_default():
    assert reliable_change_for(get("ORS")).value == Decimal("5")


@pytest.mark.parametrize("code", ["SRS", "CSRS", "YCORS", "YCSRS"])
def test_session_ratings_and_faces_have_no_reliable_change(code):
    assert reliable_change_for(get(code)) is None
    assert reliable_change_for(get(code), "cyp_iapt_2015") is None


def test_an_unknown_standard_is_refused():
    with pytest.raises(ValueError, match="no reliable change standard called 'nice'"):
        reliable_change_for(get("ORS"), "nice")
