import pytest

from familyfeedback.measures import UnknownMeasure, measure_for


@pytest.mark.parametrize(
    ("age", "ors", "srs"),
    [
        (0, "YCORS", "YCSRS"),
        (5, "YCORS", "YCSRS"),
        (6, "CORS", "CSRS"),
        (9, "CORS", "CSRS"),
        (12, "CORS", "CSRS"),
        (13, "ORS", "SRS"),
        (17, "ORS", "SRS"),
        (18, "ORS", "SRS"),
        (90, "ORS", "SRS"),
    ],
)
def test_the_version_of_each_tool_follows_the_age_bands(age, ors, srs):
    assert measure_for("ORS", age).code == ors
    assert measure_for("SRS", age).code == srs


def test_a_nine_year_old_gets_the_cors():
    assert measure_for("ORS", 9).code == "CORS"


def test_an_unknown_tool_is_refused():
    with pytest.raises(UnknownMeasure, match="no tool called 'PHQ'"):
        measure_for("PHQ", 30)


def test_a_negative_age_is_refused():
    with pytest.raises(ValueError, match="negative"):
        measure_for("ORS", -1)
