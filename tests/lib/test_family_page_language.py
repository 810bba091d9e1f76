"""A family's page is drawn in the person's language: Welsh words from the Welsh catalogue, and
the <html> tag's lang and dir set from the language, right to left for Urdu."""

from django.template import engines
from django.utils import translation

from tests.family_page import family_page


def test_a_welsh_page_is_in_welsh():
    page = family_page("cy")
    assert '<html lang="cy" dir="ltr" class="govuk-template">' in page
    assert 'data-ff-read-aloud-label="Darllen hwn i mi"' in page


def test_an_english_page_is_in_english():
    page = family_page("en")
    assert '<html lang="en" dir="ltr" class="govuk-template">' in page
    assert 'data-ff-read-aloud-label="Read this to me"' in page


def test_an_urdu_page_runs_right_to_left():
    page = family_page("ur", question="آپ کیسے رہے؟")
    assert '<html lang="ur" dir="rtl" class="govuk-template">' in page
    assert "آپ کیسے رہے؟" in page
    # No page translations in Urdu yet: the service's own words stay English.
    assert 'data-ff-read-aloud-label="Read this to me"' in page


def test_a_translation_is_escaped_like_any_value():
    template = engines["jinja2"].env.from_string('{{ _("%(x)s is here", x="<b>") }}')
    with translation.override("cy"):
        assert template.render() == "&lt;b&gt; is here"


def test_the_practitioners_pages_keep_their_english_html_tag():
    page = engines["jinja2"].env.get_template("errors/404.html").render({})
    assert '<html lang="en" class="govuk-template">' in page


def test_wording_in_another_language_inside_a_page_gets_its_own_direction():
    template = engines["jinja2"].env.from_string(
        '<p lang="{{ code }}" dir="{{ text_direction(code) }}">')
    assert template.render(code="ar") == '<p lang="ar" dir="rtl">'
    assert template.render(code="cy") == '<p lang="cy" dir="ltr">'
