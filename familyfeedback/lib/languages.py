"""Languages as BCP 47 codes ("en", "cy", "pl", "ur"): checking a code, matching what a person
typed ("Polish", "farsi ") to one, and each language's name, own name and writing direction.
The names and scripts come from CLDR through langcodes, not from a table of ours."""

from contextlib import contextmanager

import langcodes
from django.conf import settings
from django.utils import translation
from markupsafe import Markup

ENGLISH = "en"

# The languages offered first in the person forms: those most often spoken at home by families
# in the UK (census 2021 main languages, with Welsh and British Sign Language).
# Any other language can still be chosen by its code.
COMMON = (
    "en", "cy", "pl", "ro", "pa", "ur", "pt", "es", "ar", "bn", "gu", "it", "lt", "zh", "yue",
    "fr", "ta", "tr", "so", "ti", "am", "ps", "fa", "ku", "ckb", "uk", "ru", "bg", "sq", "hi",
    "ne", "bfi", "gd", "ga",
)

# Scripts written right to left. The script of a language is CLDR's likely script for it
# (Urdu -> Arab), so a new right-to-left language needs no change here.
RIGHT_TO_LEFT_SCRIPTS = frozenset({"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Mand",
                                   "Samr", "Rohg"})


def _known(tag: langcodes.Language) -> bool:
    """A language people speak: CLDR knows how many do. Constructed languages such as Klingon
    have a valid code but no speakers, and a record saying one is more likely a joke or a slip.
    Those of COMMON (British Sign Language has no population figure) always count."""
    code = tag.to_tag()
    return code in COMMON or tag.language in COMMON or tag.speaking_population() > 0


def code_for(value: str) -> str | None:
    """The standard code of a language given by its code ("pl", "PT-br") or its name in English
    or in itself ("Polish", "polski", "Farsi"), or None when it is not a language we know."""
    text = " ".join((value or "").split())
    if not text:
        return None
    if langcodes.tag_is_valid(text):
        tag = langcodes.get(text)
    else:
        try:
            tag = langcodes.find(text)
        except LookupError:
            return None
    if tag.language is None or not _known(tag):
        return None
    return tag.to_tag()


def is_language(code: str) -> bool:
    return bool(code) and code_for(code) == code


def name(code: str) -> str:
    """The language's name in English: "Polish"."""
    return langcodes.get(code).display_name(ENGLISH)


def own_name(code: str) -> str:
    """The language's name in itself, as its speakers would look for it in a list: "Polski"."""
    autonym = langcodes.get(code).autonym()
    return autonym[:1].upper() + autonym[1:]


def label(code: str) -> str:
    """How a language is shown: "Polish (Polski)", or just "English" where the names agree."""
    english, own = name(code), own_name(code)
    return english if english.casefold() == own.casefold() else f"{english} ({own})"


def direction(code: str) -> str:
    """"rtl" or "ltr", from the script the language is most likely written in."""
    script = langcodes.get(code).maximize().script
    return "rtl" if script in RIGHT_TO_LEFT_SCRIPTS else "ltr"


def common_choices() -> list[tuple[str, str]]:
    """English, then the other common languages by their English names, as a list is read."""
    rest = sorted(COMMON[1:], key=name)
    return [(code, label(code)) for code in (ENGLISH, *rest)]


def html_lang(code: str) -> Markup:
    """The value of the GOV.UK template's htmlLang with the page's direction after it. That
    template writes the <html> tag itself and takes only the language; a code that has passed
    code_for is letters, digits and hyphens, so nothing else can get into the tag."""
    checked = code_for(code) or ENGLISH
    return Markup(f'{checked}" dir="{direction(checked)}')  # nosec B704


@contextmanager
def speaking(code: str):
    """Run a block (part of a view, a template's rendering) in a person's language: Django's
    translations in Welsh for "cy", English for a language we have no page translations for."""
    with translation.override(code_for(code) or ENGLISH):
        yield


def page_language(code: str) -> str:
    """The language a family's page is drawn in: the person's, where the page has a translation
    in it (settings.LANGUAGES: English, Welsh), else English. A measure's wording may still come
    in the person's own language from the text pack; it carries its own lang and dir."""
    base = (code_for(code) or ENGLISH).split("-")[0]
    return base if base in {code for code, _ in settings.LANGUAGES} else ENGLISH
