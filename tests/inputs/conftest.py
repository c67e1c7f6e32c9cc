"""Fixtures of the input tests: crafted archives (built once) and a look at what storage holds."""

from pathlib import Path

import pytest
from django.conf import settings

from .archives import inflating_archive


@pytest.fixture(scope="session")
def two_gigabyte_odt() -> bytes:
    """About 2 MB on disk, 2 GiB once its ``mimetype`` member is inflated."""
    return inflating_archive(pieces=128)


@pytest.fixture
def stored_files():
    """``stored_files()``: the names of every file under MEDIA_ROOT now."""

    def snapshot() -> set[str]:
        root = Path(settings.MEDIA_ROOT)
        return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}

    return snapshot
