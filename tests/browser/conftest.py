"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here is marked `browser`. Without /usr/bin/chromium they fail, saying what to install:
a missing browser must never let the suite pass with pages untested.
"""

import os
from pathlib import Path

import pytest

from tests import factories

# Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls from a
# thread with a running loop unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1024, "height": 900}
# The user guide's pictures are taken by the tests, but only when asked (FF_SCREENSHOTS=1), so
# that an ordinary test run leaves the working tree as it found it.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"


def screenshot(page, name: str) -> None:
    if os.environ.get("FF_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / name, full_page=True)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_context(browser):
    """Open a browser context (a fresh profile: no cookies); all are closed after the test.

    Every page's console errors are collected and the test fails on any: a script the content
    security policy blocks, or one that throws, is a broken enhancement nobody would otherwise
    notice, since the pages still work without it."""
    opened = []
    console_errors: list[str] = []

    def watch(page):
        page.on("console", lambda message: message.type == "error"
                and console_errors.append(f"{page.url}: {message.text}"))
        page.on("pageerror", lambda error: console_errors.append(f"{page.url}: {error}"))

    def make(**options):
        context = browser.new_context(**{"viewport": VIEWPORT, **options})
        context.set_default_timeout(10_000)
        context.on("page", watch)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()
    # A 404 or 429 page is expected where a test asks for one; the browser reports it as a console
    # error.
    unexpected = [e for e in console_errors
                  if "status of 404" not in e and "status of 429" not in e]
    assert unexpected == [], unexpected


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def live_world(transactional_db, world, live_server):
    """The personas of tests/conftest.py, committed so that the live server's thread sees them."""
    return world


def sign_in(page, live_server, user, password=factories.PASSWORD):
    """Sign in through the real sign-in form and the code from the person's authenticator app,
    as a person would, and land on the home page."""
    device = factories.authenticator(user)
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("#username", user.email)
    page.fill("#password", password)
    page.keyboard.press("Enter")  # submits the form from the password box, no mouse needed
    page.wait_for_url(f"{live_server.url}/sign-in/code/**")
    page.fill("#code", factories.unused_code(device))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def signed_in_as(page, live_server):
    def go(user):
        sign_in(page, live_server, user)
        return page

    return go
