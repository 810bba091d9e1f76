import json
from decimal import Decimal
from pathlib import Path

import pytest

from familyfeedback import measures
from familyfeedback.measures import UnknownMeasure, all_measures, get

DEFINITIONS = Path(measures.__file__).parent / "definitions"


def test_every_measure_in_the_design_is_defined():
    assert {m.code for m in all_measures()} == {"ORS", "CORS", "YCORS", "SRS", "CSRS", "YCSRS"}


def test_there_is_one_data_file_per_measure():
    codes = sorted(json.loads(p.read_text())["code"] for p in DEFINITIONS.glob("*.json"))
    assert codes == ["CORS", "CSRS", "ORS", "SRS", "YCORS", "YCSRS"]


@pytest.mark.parametrize(
    ("code", "name", "tool", "when", "min_age", "max_age", "kind"),
    [
        ("ORS", "Outcome Rating Scale", "ORS", "start", 13, None, "lines"),
        ("CORS", "Child Outcome Rating Scale", "ORS", "start", 6, 12, "lines"),
        ("YCORS", "Young Child Outcome Rating Scale", "ORS", "start", 0, 5, "faces"),
        ("SRS", "Session Rating Scale", "SRS", "end", 13, None, "lines"),
        ("CSRS", "Child Session Rating Scale", "SRS", "end", 6, 12, "lines"),
        ("YCSRS", "Young Child Session Rating Scale", "SRS", "end", 0, 5, "faces"),
    ],
)
def test_each_measure_has_its_tool_timing_ages_and_kind(
    code, name, tool, when, min_age, max_age, kind
):
    measure = get(code)
    assert (measure.name, measure.tool, measure.when) == (name, tool, when)
    assert (measure.min_age, measure.max_age, measure.kind) == (min_age, max_age, kind)


@pytest.mark.parametrize("code", ["ORS", "CORS", "SRS", "CSRS"])
def test_a_lines_measure_has_four_items_on_a_ten_point_line(code):
    measure = get(code)
    assert measure.item_keys == ("item_1", "item_2", "item_3", "item_4")
    assert [item.number for item in measure.items] == [1, 2, 3, 4]
    assert all(item.label for item in measure.items)
    assert measure.scale is not None
    assert (measure.scale.min, measure.scale.max, measure.scale.step) == (
        Decimal("0.0"),
        Decimal("10.0"),
        Decimal("0.1"),
    )
    assert (measure.total_min, measure.total_max) == (Decimal("0"), Decimal("40"))
    assert measure.faces == ()


@pytest.mark.parametrize("code", ["YCORS", "YCSRS"])
def test_a_faces_measure_has_three_faces_and_no_items_or_norms(code):
    measure = get(code)
    assert measure.face_keys == ("sad", "in_between", "happy")
    assert measure.items == ()
    assert measure.scale is None
    assert measure.total_min is None
    assert measure.cutoffs == ()
    assert measure.reliable_change == ()


@pytest.mark.parametrize(
    ("code", "snomed"),
    [
        ("ORS", "716613004"),
        ("CORS", "718458005"),
        ("CSRS", "718762000"),
        ("SRS", None),
        ("YCORS", None),
        ("YCSRS", None),
    ],
)
def test_snomed_codes_are_the_ones_in_the_design(code, snomed):
    assert get(code).snomed == snomed


def test_session_rating_measures_flag_items_below_nine():
    assert get("SRS").srs_item_flag_below == Decimal("9")
    assert get("CSRS").srs_item_flag_below == Decimal("9")
    assert get("ORS").srs_item_flag_below is None


def test_no_definition_claims_to_include_licensed_wording():
    assert measures.LICENSED_WORDING_INCLUDED is False
    for measure in all_measures():
        assert measure.licensed_wording_included is False
        assert "text pack" in measure.licence


def test_values_from_the_files_are_exact_decimals_not_floats():
    # 6.6 as a float would be 6.5999999999999996447...
    values = [rc.value for rc in get("ORS").reliable_change]
    assert Decimal("6.6") in values
    assert all(isinstance(v, Decimal) for v in values)


def test_an_unknown_code_raises_a_plain_message_that_is_also_a_key_error():
    with pytest.raises(UnknownMeasure) as raised:
        get("PHQ9")
    assert isinstance(raised.value, KeyError)
    assert str(raised.value).startswith("There is no measure called 'PHQ9'")


def test_measures_can_be_used_as_dictionary_keys():
    assert {get("ORS"): 1}[get("ORS")] == 1
