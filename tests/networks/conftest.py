"""Fixtures of the networks tests: the Networks index and translations."""

import pytest

from .factories import networks_index


@pytest.fixture
def index(site_pages):
    """The English Networks index (the site structure is built once per session)."""
    return networks_index("en")


@pytest.fixture(autouse=True)
def complete_roles(db):
    """Give the roles the permissions of every app (migrate does not yet: see tests/foundation/test_roles.py)."""
    from cms.accounts.roles import ensure_roles

    ensure_roles()
