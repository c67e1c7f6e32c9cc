"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

Run ``scripts/ensure-chromium.sh`` once to install Chromium; without it these tests skip.
"""

import os
from pathlib import Path

import pytest
from django.db import connections

from tests.conftest import arm_serialized_rollback, build_site_structure

# Playwright's sync API runs an event loop in the test's thread; Django would refuse its ORM there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: run scripts/ensure-chromium.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # From here on Playwright's loop runs in this thread, and Django gives it fresh connections.
        arm_serialized_rollback()
        yield browser
        connections.close_all()
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab (own cookies) in a visitor's English-speaking browser."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def live_site(live_server):
    """The live server, with the site structure committed where its thread can see it.

    Tests using it must be marked ``django_db(transaction=True, serialized_rollback=True)`` so that
    they start from, and give back, the data the other tests rely on.
    """
    build_site_structure()
    return live_server
