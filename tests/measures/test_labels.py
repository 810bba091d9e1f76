import pytest

from familyfeedback.measures import NEUTRAL_WORDING_NOTICE, all_measures, get, neutral_label


def test_every_item_and_face_has_a_neutral_label():
    for measure in all_measures():
        for key in measure.item_keys + measure.face_keys:
            assert neutral_label(measure, key)


def test_a_neutral_label_is_the_one_in_the_definition():
    assert neutral_label(get("SRS"), "item_2") == get("SRS").items[1].label
    assert neutral_label(get("YCORS"), "in_between") == "In between"


def test_an_unknown_key_is_refused():
    with pytest.raises(KeyError):
        neutral_label(get("ORS"), "item_5")


def test_the_notice_says_licensed_wording_is_not_loaded():
    assert "licensed wording" in NEUTRAL_WORDING_NOTICE
    assert "not loaded" in NEUTRAL_WORDING_NOTICE
