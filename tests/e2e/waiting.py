"""Waiting for a page's scripts without breaking its Content-Security-Policy.

Playwright's ``page.wait_for_function`` builds its predicate with ``eval`` inside the page once it has
to poll, which the portal's policy (``script-src 'self'``, no ``unsafe-eval``) refuses: the wait then
fails with an ``EvalError`` whenever the page is slower than the first check. ``page.evaluate`` goes
through the browser's debugging protocol, which the policy does not govern; polling it from here
waits as long as needed and leaves the page's own violations as the only ones reported."""

import time

POLL_SECONDS = 0.05


def wait_until(page, expression: str, timeout: float = 15.0) -> None:
    """Return once ``expression`` (JavaScript, evaluated in the page) is truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"Still false after {timeout:g} s: {expression}")
        page.wait_for_timeout(POLL_SECONDS * 1000)
