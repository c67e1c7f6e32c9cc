import pytest


@pytest.fixture
def awards(site_pages):
    """The English Awards section (the site structure is built once per session)."""
    return site_pages["awards"]
