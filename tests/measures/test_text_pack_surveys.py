import pytest

from familyfeedback.measures import TextPackError, parse_text_pack


def pack(wai: dict) -> dict:
    return {"format": "family-feedback-text-pack", "version": 1,
            "licence": {"holder": "Example", "reference": "R1"},
            "languages": {"en": {"wai": wai}}}


def test_a_survey_measures_wording_is_read_from_a_pack():
    parsed = parse_text_pack(pack({
        "title": "T", "instructions": "I",
        "items": {f"wai_{i}": {"label": f"S{i}"} for i in range(1, 13)},
        "response_labels": [str(n) for n in range(1, 8)]}))
    text = parsed.measure_text("wai", "en")
    assert text.items["wai_12"].label == "S12" and text.response_labels[-1] == "7"


def test_a_survey_pack_with_a_missing_item_and_wrong_labels_lists_both():
    items = {f"wai_{i}": {"label": f"S{i}"} for i in range(1, 12)}
    with pytest.raises(TextPackError) as error:
        parse_text_pack(pack({"title": "T", "instructions": "I", "items": items,
                              "response_labels": ["a", "b"]}))
    assert "languages.en.wai.items.wai_12: is missing" in error.value.problems
    assert "languages.en.wai.response_labels: must be 7 words, lowest first" in \
        error.value.problems
