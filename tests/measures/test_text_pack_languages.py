"""A text pack's wording in several languages, each wording knowing its language: a pack made
for the tests with made-up Welsh and Urdu wording (never a measure's licensed text)."""

import copy
import json
from pathlib import Path

import pytest

from familyfeedback.measures import TextPackError, parse_text_pack

PACK = json.loads((Path(__file__).parents[1] / "fixtures" / "text_pack_languages.json")
                  .read_text(encoding="utf-8"))


def test_each_wording_carries_its_language():
    pack = parse_text_pack(PACK)
    assert {code: pack.languages[code]["ORS"].language for code in pack.languages} == {
        "en": "en", "cy": "cy", "ur": "ur"}


def test_wording_comes_in_the_language_asked_for_and_says_so():
    pack = parse_text_pack(PACK)
    welsh, urdu = pack.measure_text("ORS", "cy"), pack.measure_text("ORS", "ur")
    assert (welsh.language, welsh.title, welsh.items["item_2"].label) == (
        "cy", "Ffurflen brawf", "Llinell brawf 2")
    assert (urdu.language, urdu.items["item_1"].high) == ("ur", "زیادہ")


def test_a_language_the_pack_lacks_gets_english_and_says_so():
    pack = parse_text_pack(PACK)
    assert pack.measure_text("ORS", "pl").language == "en"
    assert pack.measure_text("YCORS", "cy").language == "en"  # Welsh has no faces form here


def test_a_pack_written_before_languages_were_checked_loads_as_english():
    old = {**PACK, "languages": {"en": PACK["languages"]["en"]}}
    assert parse_text_pack(old).measure_text("ORS", "ur").language == "en"


def test_codes_are_read_in_their_standard_form_and_found_across_regions():
    data = copy.deepcopy(PACK)
    data["languages"]["pt-br"] = data["languages"].pop("cy")
    pack = parse_text_pack(data)
    assert "pt-BR" in pack.languages
    assert pack.measure_text("ORS", "pt").language == "pt-BR"
    assert pack.measure_text("ORS", "pt-PT").language == "pt-BR"


def test_one_language_given_twice_is_refused():
    data = copy.deepcopy(PACK)
    data["languages"]["CY"] = data["languages"]["cy"]
    with pytest.raises(TextPackError) as raised:
        parse_text_pack(data)
    assert raised.value.problems == ["languages.CY: is the same language as 'cy', given already"]
