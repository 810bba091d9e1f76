"""The Jinja2 environment: our templates first, then the GOV.UK Frontend macros under the prefix
"govuk_frontend_jinja/" exactly as that package documents them. Every component's macro
(govukButton, govukInput, ...) and every macro of templates/macros/ is a global, so that no page
imports them and each page's header says only what is its own."""

from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, nodes

from familyfeedback.accounts.navigation import navigation
from familyfeedback.lib import formats, languages
from familyfeedback.lib.dateinput import date_parts
from familyfeedback.lib.errors import error_summary, field_error


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _is_macro_file(name: str) -> bool:
    return name.startswith("macros/") or (
        name.startswith("govuk_frontend_jinja/components/") and name.endswith("/macro.html"))


class _Macro:
    """A macro of another template, found when it is called, as `{% from ... import %}` would find
    it: a template changed on disk is read again whenever the environment's auto_reload says so."""

    def __init__(self, env: Environment, template: str, name: str):
        self.env, self.template, self.name = env, template, name

    def __call__(self, *args, **kwargs):
        return getattr(self.env.get_template(self.template).module, self.name)(*args, **kwargs)


def _macros(env: Environment) -> dict[str, _Macro]:
    """The macros each macro file defines at its top level (those inside a macro are its own)."""
    found = {}
    for template in env.list_templates(filter_func=_is_macro_file):
        source, _, _ = env.loader.get_source(env, template)
        for macro in env.parse(source).body:
            if isinstance(macro, nodes.Macro) and not macro.name.startswith("_"):
                if macro.name in found:
                    raise ValueError(f"Two macros are named {macro.name}: one must be renamed")
                found[macro.name] = _Macro(env, template, macro.name)
    return found


def environment(**options) -> Environment:
    # Django's backend passes a FileSystemLoader for TEMPLATES["DIRS"]; the macros go behind it.
    options["loader"] = ChoiceLoader(
        [
            options["loader"],
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    options["extensions"] = [*options.get("extensions", ()), "jinja2.ext.i18n"]
    # Always escaped, whatever TEMPLATES says: a value marks itself safe (Markup) or is escaped.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    # {{ _("...") }} and {% trans %} in the family's pages, translated by Django for the language
    # active when the page is drawn; new style, so a translation is escaped like any value.
    env.install_gettext_translations(translation, newstyle=True)
    env.globals.update(_macros(env))
    env.globals.update(
        url=url,
        static=static,
        get_messages=messages.get_messages,
        error_summary=error_summary,
        field_error=field_error,
        date_parts=date_parts,
        navigation=navigation,
        html_lang=languages.html_lang,
        # For wording in another language inside a page: <p lang="ur" dir="rtl">.
        text_direction=languages.direction,
        service_name="Family Feedback",
    )
    env.filters.update(
        date_long=formats.date_long,
        date_short=formats.date_short,
        score=formats.score,
        datetime_local=formats.datetime_local,
        language=languages.label,
    )
    return env
