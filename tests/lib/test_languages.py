from django.utils import translation

from familyfeedback.lib import languages


def test_names_and_codes_people_type_become_codes():
    typed = {"English": "en", "english ": "en", "Polish": "pl", "Urdu": "ur", "Farsi": "fa",
             "Portuguese (Brazil)": "pt", "polski": "pl", "Cymraeg": "cy", "pt-br": "pt-BR",
             "EN": "en"}
    assert {text: languages.code_for(text) for text in typed} == typed


def test_what_names_no_spoken_language_matches_nothing():
    for text in ("Klingon", "?", "see notes", "", "   ", "xx", "Unknown"):
        assert languages.code_for(text) is None, text


def test_a_language_has_its_name_and_its_own_name():
    assert (languages.name("pl"), languages.own_name("pl"), languages.label("pl")) == (
        "Polish", "Polski", "Polish (Polski)")
    assert languages.label("en") == "English"
    assert languages.label("cy") == "Welsh (Cymraeg)"


def test_right_to_left_comes_from_the_script_a_language_is_written_in():
    rtl = ("ar", "ur", "fa", "ps", "sd", "ckb", "dv", "yi", "he")
    assert [languages.direction(code) for code in rtl] == ["rtl"] * len(rtl)
    assert [languages.direction(code) for code in ("en", "cy", "pl", "pa", "ku", "zh")] == [
        "ltr"] * 6


def test_the_common_list_starts_with_english_and_holds_only_languages():
    assert languages.COMMON[0] == "en"
    assert all(languages.is_language(code) for code in languages.COMMON)


def test_the_page_language_carries_its_direction_and_nothing_else_gets_in():
    assert str(languages.html_lang("ur")) == 'ur" dir="rtl'
    assert str(languages.html_lang("cy")) == 'cy" dir="ltr'
    assert str(languages.html_lang('en" onload="x')) == 'en" dir="ltr'


def test_a_block_runs_in_the_persons_language_and_then_returns():
    with translation.override("en"):
        with languages.speaking("cy"):
            assert translation.get_language() == "cy"
        with languages.speaking("see notes"):
            assert translation.get_language() == "en"
        assert translation.get_language() == "en"
