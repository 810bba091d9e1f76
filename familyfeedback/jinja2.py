"""The Jinja2 environment: our templates first, then the GOV.UK Frontend macros under the prefix
"govuk_frontend_jinja/" exactly as that package documents them."""

from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from familyfeedback.accounts.navigation import navigation
from familyfeedback.lib import formats
from familyfeedback.lib.dateinput import date_parts
from familyfeedback.lib.errors import error_summary, field_error


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    # Django's backend passes a FileSystemLoader for TEMPLATES["DIRS"]; the macros go behind it.
    options["loader"] = ChoiceLoader(
        [
            options["loader"],
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    env = Environment(**options)
    env.globals.update(
        url=url,
        static=static,
        get_messages=messages.get_messages,
        error_summary=error_summary,
        field_error=field_error,
        date_parts=date_parts,
        navigation=navigation,
        service_name="Family Feedback",
    )
    env.filters.update(
        date_long=formats.date_long,
        date_short=formats.date_short,
        score=formats.score,
        datetime_local=formats.datetime_local,
    )
    return env
