"""The address of the person's own machine, behind the service's reverse proxies.

Each proxy appends the address it received the request from to X-Forwarded-For, so with N
trusted proxies the client is the Nth entry from the right: the entries to its left came from
the client itself and can be anything it likes. With no trusted proxy (the default) the header
is ignored and the address is the connection's own."""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    trusted = settings.FF_TRUSTED_PROXIES
    own = request.META.get("REMOTE_ADDR", "")
    if not trusted:
        return own
    hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < trusted:
        # Not through every proxy we were told of: the address we can vouch for is the
        # connection's (a proxy's, shared with everyone behind it).
        return own
    candidate = hops[-trusted]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return own
