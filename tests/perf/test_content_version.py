"""The content version during a bulk load (``load_demo``): replaced once at the end, not at every save."""

import pytest

from cms import content_version
from tests.records.factories import RECORD_FACTORIES

pytestmark = pytest.mark.django_db


def test_a_deferred_block_replaces_the_version_once_at_its_end(site_pages):
    before = content_version.current()
    with content_version.deferred():
        RECORD_FACTORIES["need"](title="Loaded in bulk")
        assert content_version.current() == before
    assert content_version.current() != before


def test_outside_a_deferred_block_every_change_replaces_the_version(site_pages):
    before = content_version.current()
    RECORD_FACTORIES["need"](title="Published alone")
    assert content_version.current() != before
