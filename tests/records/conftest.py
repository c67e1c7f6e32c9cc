"""Fixtures of the records tests: the Records index (``translate_to`` is shared, in tests/conftest.py)."""

import pytest

from .factories import records_index


@pytest.fixture
def index(site_pages):
    """The English Records index (the site structure is built once per session)."""
    return records_index("en")
