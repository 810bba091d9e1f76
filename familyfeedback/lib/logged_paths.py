"""What of a requested URL a log may keep: the words of the service's own routes and numeric ids.
Any other part of a path (a personal link's token, a name typed into the address bar) is written
as "*", and the query string (a search for a family by name) never at all."""

import logging
from functools import cache

from django.conf import settings
from django.urls import get_resolver

HIDDEN = "*"


@cache
def _route_words() -> frozenset[str]:
    words: set[str] = set()

    def walk(patterns):
        for entry in patterns:
            words.update(part for part in str(entry.pattern).split("/") if "<" not in part)
            walk(getattr(entry, "url_patterns", []))

    walk(get_resolver().url_patterns)
    return frozenset(words)


def loggable_path(path: str) -> str:
    # Static files' names are the project's own, and which one failed is worth knowing.
    if path.startswith(settings.STATIC_URL):
        return path
    words = _route_words()
    return "/".join(part if part in words or (part.isascii() and part.isdigit()) else HIDDEN
                    for part in path.split("/"))


class HidePathParts(logging.Filter):
    """Django's request and security loggers name the path ("Not Found: /surveys/link/<token>/",
    "Forbidden (CSRF cookie not set.): ..."): keep of it only what an access log line would."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple):
            record.args = tuple(loggable_path(arg) if arg == request.path else arg
                                for arg in record.args)
        return True
