import copy
import json
import re
from pathlib import Path

import pytest

from familyfeedback import measures
from familyfeedback.measures import TextPackError, parse_text_pack


def lines_measure(prefix):
    return {
        "title": f"{prefix} title",
        "instructions": f"{prefix} instructions",
        "items": {
            f"item_{n}": {"label": f"{prefix} {n}", "low": "low", "high": "high"}
            for n in range(1, 5)
        },
    }


def faces_measure(prefix):
    faces = ("sad", "in_between", "happy")
    return {
        "title": f"{prefix} title",
        "instructions": f"{prefix} instructions",
        "faces": {face: {"label": f"{prefix} {face}"} for face in faces},
    }


def pack():
    return {
        "format": "family-feedback-text-pack",
        "version": 1,
        "licence": {"holder": "Example Council", "reference": "LIC-1"},
        "languages": {
            "en": {"ORS": lines_measure("en ORS"), "YCORS": faces_measure("en YCORS")},
            "pl": {"ORS": lines_measure("pl ORS")},
        },
    }


def problems(data):
    with pytest.raises(TextPackError) as raised:
        parse_text_pack(data)
    return raised.value.problems


def test_a_good_pack_is_read():
    text = parse_text_pack(pack())
    assert (text.holder, text.reference) == ("Example Council", "LIC-1")
    assert set(text.languages) == {"en", "pl"}


def test_a_label_comes_in_the_language_asked_for():
    assert parse_text_pack(pack()).label("ORS", "item_3", "pl") == "pl ORS 3"


def test_a_missing_language_falls_back_to_english():
    assert parse_text_pack(pack()).label("ORS", "item_3", "ro") == "en ORS 3"


def test_a_measure_missing_from_a_language_falls_back_to_english():
    assert parse_text_pack(pack()).label("YCORS", "happy", "pl") == "en YCORS happy"


def test_a_regional_language_falls_back_to_its_base_language():
    assert parse_text_pack(pack()).label("ORS", "item_1", "pl-PL") == "pl ORS 1"


def test_a_measure_not_in_the_pack_has_no_label():
    assert parse_text_pack(pack()).label("SRS", "item_1", "en") is None


def test_the_line_ends_are_available():
    item = parse_text_pack(pack()).item("ORS", "item_2", "en")
    assert (item.label, item.low, item.high) == ("en ORS 2", "low", "high")


def test_the_wrong_format_and_version_are_refused():
    data = pack()
    data["format"] = "something-else"
    data["version"] = 2
    assert problems(data) == [
        "format: must be 'family-feedback-text-pack'",
        "version: must be 1",
    ]


def test_version_true_is_not_version_one():
    data = pack()
    data["version"] = True
    assert problems(data) == ["version: must be 1"]


def test_every_problem_is_listed():
    data = pack()
    data["licence"]["holder"] = ""
    data["languages"]["en"]["XYZ"] = {}
    del data["languages"]["pl"]["ORS"]["items"]["item_4"]
    data["languages"]["pl"]["ORS"]["items"]["item_5"] = {"label": "x", "low": "y", "high": "z"}
    data["languages"]["pl"]["ORS"]["items"]["item_1"]["high"] = 3
    assert sorted(problems(data)) == sorted(
        [
            "licence.holder: must be text that is not empty",
            "languages.en.XYZ: is not a measure we know",
            "languages.pl.ORS.items.item_4: is missing",
            "languages.pl.ORS.items.item_5: ORS has no such item",
            "languages.pl.ORS.items.item_1.high: must be text that is not empty",
        ]
    )


def test_the_error_message_lists_the_problems():
    data = pack()
    del data["licence"]
    with pytest.raises(TextPackError) as raised:
        parse_text_pack(data)
    message = str(raised.value)
    assert message.startswith("The text pack has 3 problem(s):")
    assert "- licence: must be an object" in message


def test_unknown_keys_are_refused_so_typing_mistakes_show():
    data = pack()
    data["languages"]["en"]["ORS"]["titel"] = "typo"
    assert problems(data) == ["languages.en.ORS.titel: is not part of the format"]


def test_a_faces_measure_needs_faces_not_items():
    data = pack()
    data["languages"]["en"]["YCORS"] = lines_measure("wrong")
    assert sorted(problems(data)) == [
        "languages.en.YCORS.faces: must be an object",
        "languages.en.YCORS.items: is not part of the format",
    ]


def test_a_made_up_language_code_is_refused():
    data = pack()
    data["languages"]["English"] = data["languages"].pop("en")
    assert problems(data) == [
        "languages.English: is not a language code such as 'en', 'cy' or 'pt-BR'"]


def test_a_pack_with_no_languages_is_refused():
    data = pack()
    data["languages"] = {}
    assert problems(data) == ["languages: must give at least one language"]


def test_something_that_is_not_an_object_is_refused():
    assert problems([]) == [
        "the pack: must be an object",
        "format: must be 'family-feedback-text-pack'",
        "version: must be 1",
        "licence: must be an object",
        "licence.holder: must be text that is not empty",
        "licence.reference: must be text that is not empty",
        "languages: must be an object",
        "languages: must give at least one language",
    ]


def test_parsing_does_not_change_the_data_given():
    data = pack()
    before = copy.deepcopy(data)
    parse_text_pack(data)
    assert data == before


def test_the_example_in_the_format_document_is_a_valid_pack():
    document = (Path(measures.__file__).parent / "TEXT_PACK.md").read_text()
    example = re.search(r"```json\n(.*?)```", document, re.DOTALL).group(1)
    text = parse_text_pack(json.loads(example))
    assert text.label("SRS", "item_1", "en") == "Example item one"
    assert text.label("YCSRS", "in_between", "en") == "Example middle"
