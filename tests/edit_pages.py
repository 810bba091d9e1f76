"""Edit pages as a browser meets them: each carries the version it was opened with."""

import re


def opened(client, url: str) -> dict:
    """Open an edit page as a browser would and return the hidden version it carries: the values
    the record had when the page was drawn."""
    return version_in(client.get(url).content.decode())


def version_in(page: str) -> dict:
    found = re.search(r'name="version" value="([^"]+)"', page)
    assert found, "the page carries no version"
    return {"version": found.group(1)}
