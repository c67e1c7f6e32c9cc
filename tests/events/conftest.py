"""Fixtures of the events tests: the Events index (``translate_to`` is shared, in tests/conftest.py)."""

import pytest

from .factories import events_index


@pytest.fixture
def index(site_pages):
    """The English Events index (the site structure is built once per session)."""
    return events_index("en")
