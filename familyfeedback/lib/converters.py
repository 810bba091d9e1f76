"""URL parts that reach a query, limited to the characters they can hold: anything else (a null
character, which PostgreSQL cannot compare, or text pasted by mistake) is no such page, on every
database alike, before a view runs."""

from django.urls.converters import StringConverter


class TokenConverter(StringConverter):
    """A personal link's token: secrets.token_urlsafe's alphabet."""

    regex = "[A-Za-z0-9_-]+"


class DottedNumberConverter(StringConverter):
    """A research question's number, like 1.1 or 3.6a."""

    regex = "[0-9A-Za-z.]+"
