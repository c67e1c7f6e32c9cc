"""A token that changes whenever what visitors see changes: the key part of every cached fragment.

Caches of rendered or computed public content (the site frame, facet counts, map markers) put the
current token in their keys, so that one :func:`bump` retires all of them at once: nothing has to
know which entries a change touches. The token lives in the shared cache; when the cache is down,
:func:`current` answers None and callers compute without caching (fail open).

Pages, portal settings and vocabularies bump it when they are saved or deleted (a page is saved when
it is published, unpublished, moved or edited), now and again after the commit, so that no process
caches what it read before the change was committed.
"""

import hashlib
import logging
import threading
import uuid
from collections.abc import Callable
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

CACHE_KEY = "chm:content-version"
CACHE_SECONDS = 24 * 3600  # fragments of a retired version expire on their own
# Apps whose saved or deleted rows change public pages.
CONTENT_APPS = frozenset(
    {
        "wagtailcore",
        "home",
        "records",
        "events",
        "networks",
        "news",
        "awards",
        "vocabularies",
        "site_settings",
        "taggit",
    }
)


# Within one request the token is read once: a page asks for it for every cached part.
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.active, _request.token = True, None


def _request_finished(**kwargs) -> None:
    _request.active, _request.token = False, None


def current() -> str | None:
    """The current token (made when missing), or None when the cache cannot be reached."""
    if getattr(_request, "active", False):
        if _request.token is None:
            _request.token = _read()
        return _request.token
    return _read()


def _read() -> str | None:
    try:
        token = cache.get(CACHE_KEY)
        if token is None:
            cache.add(CACHE_KEY, uuid.uuid4().hex, None)
            token = cache.get(CACHE_KEY)
    except Exception:  # noqa: BLE001 - a cache that is down means "do not cache", never an error
        logger.warning("Could not read the content version", exc_info=True)
        return None
    return token


def _digest(parts, version: str) -> str:
    return hashlib.sha256(repr((parts, version)).encode()).hexdigest()[:32]


def etag(name: str, parts) -> str | None:
    """A validator for a response built from the current content and ``parts``; None when unknown."""
    version = current()
    return None if version is None else _digest((name, parts), version)


def cached(name: str, parts, compute: Callable, timeout: int = CACHE_SECONDS):
    """``compute()``, kept in the shared cache under ``name`` and ``parts`` (what the value depends
    on besides the content: language, filters…) for the current content version. Computed every time
    when the cache is down; a value of None is never cached."""
    version = current()
    if version is None:
        return compute()
    key = f"chm:fragment:{name}:{_digest(parts, version)}"
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001
        logger.warning("Could not read a cached fragment", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        if value is not None:
            try:
                cache.set(key, value, timeout)
            except Exception:  # noqa: BLE001
                logger.warning("Could not cache a fragment", exc_info=True)
    return value


def start_afresh() -> None:
    """A new token now, whatever the transaction (tests start each from here)."""
    _set_new_token()


def _set_new_token() -> None:
    _request.token = None
    try:
        cache.set(CACHE_KEY, uuid.uuid4().hex, None)
    except Exception:  # noqa: BLE001 - unreachable cache: nothing is being cached either
        logger.warning("Could not change the content version", exc_info=True)


# A bulk load (``load_demo``) saves thousands of rows: one new token at its end instead of one each.
_deferral = threading.local()


@contextmanager
def deferred():
    """Within this block, changes do not replace the token one by one: it is replaced once when the
    block ends (and again when that commits). For bulk loads in one process, where nobody reads
    the content being written."""
    _deferral.depth = getattr(_deferral, "depth", 0) + 1
    try:
        yield
    finally:
        _deferral.depth -= 1
        if not _deferral.depth:
            bump()


def bump(**kwargs) -> None:
    """Retire every fragment cached for the current content (usable as a signal receiver): now, and
    again when the transaction commits (once per transaction, however many rows it changes)."""
    if getattr(_deferral, "depth", 0):
        return
    _set_new_token()
    connection = transaction.get_connection()
    if not (connection.in_atomic_block and any(item[1] is _set_new_token for item in connection.run_on_commit)):
        transaction.on_commit(_set_new_token)


def bump_for_content(sender, **kwargs) -> None:
    """``post_save`` / ``post_delete`` receiver: bump when the row belongs to public content."""
    if getattr(sender, "_meta", None) is not None and sender._meta.app_label in CONTENT_APPS:
        bump()


def connect() -> None:
    """Connect the receivers (called once, from an app's ``ready``)."""
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    request_started.connect(_request_started, dispatch_uid="content_version_request_started")
    request_finished.connect(_request_finished, dispatch_uid="content_version_request_finished")
    post_save.connect(bump_for_content, dispatch_uid="content_version_save")
    post_delete.connect(bump_for_content, dispatch_uid="content_version_delete")
    m2m_changed.connect(bump_for_content, dispatch_uid="content_version_m2m")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump, dispatch_uid=f"content_version_{id(signal)}")
