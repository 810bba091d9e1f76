"""The service's pages, found by walking the URL patterns and every app's url module they include,
so a test over every page covers a new one without anyone listing it. An included module's routes
take their prefix, and the URL parts it names, from the path that includes them."""

from dataclasses import dataclass

from django.urls import URLResolver, get_resolver


@dataclass(frozen=True, eq=False)  # by identity: tests key tables by the route
class Route:
    name: str
    callback: object
    route: str  # the whole path as written, converters and all ("families/<int:family_id>/")
    converters: dict  # every URL part's converter, the including paths' too


def routes(entries=None, prefix: str = "", converters: dict | None = None):
    for entry in entries if entries is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        parts = {**(converters or {}), **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, route, parts)
        else:
            yield Route(entry.name, entry.callback, route, parts)


def names_reverse_knows() -> set[str]:
    """Every name reverse() finds a route for: what a walk that reaches every route names."""
    return {key for key in get_resolver().reverse_dict if isinstance(key, str)}
