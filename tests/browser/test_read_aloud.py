"""The "Read this to me" button (static/ff/read-aloud.js) in a real browser: there when the
browser can speak the page's language, absent when it cannot, and what it would say, in which
language. The page is tests/templates/family_language_check.html drawn by the service's own
templates; the script is the one the live server serves."""

import json

import pytest

from tests.family_page import family_page

QUESTION = "How have things been at home?"
# The speech itself cannot be heard in a test: a stand-in for speak() records what it was given.
RECORDING = """
window.spoken = [];
const voices = %s;
window.speechSynthesis.getVoices = () => voices;
window.speechSynthesis.cancel = () => {};
window.speechSynthesis.speak = (utterance) => {
  window.spoken.push({text: utterance.text, lang: utterance.lang});
};
"""
WITHOUT_SPEECH = "delete Window.prototype.speechSynthesis; delete window.speechSynthesis;"


def open_page(page, live_server, language: str, init_script: str | None = None,
              question: str = QUESTION) -> None:
    if init_script:
        page.add_init_script(init_script)
    url = f"{live_server.url}/read-aloud-check/"
    html = family_page(language, question=question)
    page.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(url)
    # The script is a module: it has run once the page's scripts have loaded.
    page.wait_for_load_state("load")


def voices(*langs: str) -> str:
    return RECORDING % json.dumps([{"lang": lang, "name": f"Test {lang}"} for lang in langs])


@pytest.mark.browser
def test_the_button_reads_the_question_in_the_pages_language(page, live_server):
    open_page(page, live_server, "cy", voices("en-GB", "cy-GB"), question="Sut mae pethau?")
    button = page.get_by_role("button", name="Darllen hwn i mi")
    button.click()
    assert "govuk-button--secondary" in button.get_attribute("class")
    assert page.evaluate("window.spoken") == [{"text": "Sut mae pethau?", "lang": "cy"}]


@pytest.mark.browser
def test_a_right_to_left_page_is_read_in_its_language(page, live_server):
    open_page(page, live_server, "ur", voices("ur_PK"), question="آپ کیسے رہے؟")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.get_by_role("button", name="Read this to me").click()
    assert page.evaluate("window.spoken") == [{"text": "آپ کیسے رہے؟", "lang": "ur"}]


@pytest.mark.browser
def test_there_is_no_button_without_speech(page, live_server):
    open_page(page, live_server, "en", WITHOUT_SPEECH)
    assert page.evaluate("typeof window.speechSynthesis") == "undefined"
    assert page.locator("[data-ff-read-aloud] button").count() == 0
    assert page.get_by_role("heading", name=QUESTION).is_visible()


@pytest.mark.browser
def test_there_is_no_button_without_a_voice_for_the_language(page, live_server):
    open_page(page, live_server, "cy", voices("en-GB", "fr-FR"))
    assert page.locator("[data-ff-read-aloud] button").count() == 0


@pytest.mark.browser
def test_the_button_comes_when_the_voices_load_late(page, live_server):
    open_page(page, live_server, "en", voices())
    assert page.locator("[data-ff-read-aloud] button").count() == 0
    page.evaluate("""() => {
        window.speechSynthesis.getVoices = () => [{lang: "en-GB", name: "Test"}];
        window.speechSynthesis.dispatchEvent(new Event("voiceschanged"));
    }""")
    page.get_by_role("button", name="Read this to me").click()
    assert page.evaluate("window.spoken") == [{"text": QUESTION, "lang": "en"}]
