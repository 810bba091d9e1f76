"""The age bands research exports give instead of a date of birth follow the measures: the
young-child, child and adolescent versions, and the adults' own ORS cut-off."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from familyfeedback.measures import measure_for
from familyfeedback.measures.ages import age_band, age_bands, band_label


def test_the_bands_are_where_the_ors_changes_version_or_cut_off():
    assert age_bands() == ((0, 5), (6, 12), (13, 17), (18, None))
    assert [band_label(b) for b in age_bands()] == ["under 6", "6-12", "13-17", "18+"]


@pytest.mark.parametrize("age, label", [(0, "under 6"), (5, "under 6"), (6, "6-12"),
                                        (12, "6-12"), (13, "13-17"), (17, "13-17"),
                                        (18, "18+"), (99, "18+")])
def test_each_age_falls_in_its_band_at_the_edges(age, label):
    assert band_label(age_band(age)) == label


@given(st.integers(min_value=0, max_value=120))
def test_everyone_in_a_band_is_offered_the_same_version_of_the_ors(age):
    low, _ = age_band(age)
    assert measure_for("ORS", age) == measure_for("ORS", low)


def test_a_negative_age_is_refused():
    with pytest.raises(ValueError):
        age_band(-1)
