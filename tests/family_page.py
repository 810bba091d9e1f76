"""tests/templates/family_language_check.html drawn by the service's own Jinja2 environment, in a
person's language, as a family's page would be."""

from pathlib import Path

from django.template import engines

from familyfeedback.lib import languages

TEMPLATE = Path(__file__).parent / "templates" / "family_language_check.html"


def family_page(language: str, question: str = "How have you been?") -> str:
    template = engines["jinja2"].env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    with languages.speaking(language):
        return template.render(page_language=language, question=question)
