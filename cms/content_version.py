"""Versions of the public content: the key part of every cached fragment.

Caches of rendered or computed public content put versions in their keys, so that changing a
version retires every entry made under it: nothing has to find the entries a change touches. The
versions live in the shared cache; when it is down, callers are told None and compute without
caching (fail open).

There are two grains:

- **Everything** (:func:`current`, and :func:`cached` without ``tags``): replaced by every public
  change. What does not say what it shows uses it, and is retired by any change.
- **Tagged** (``tags=`` in :func:`cached`, :func:`versions`, :func:`tag_versions`): a *base* version,
  replaced by every change except a page's own, plus one version per tag the entry declares, with
  the tags the caching proxy uses (``cms/frontend_purge.py``): ``page-<id>`` for what a page shows of
  itself, ``tr-<translation key>`` for what the languages of a page show, ``listing-<kind>`` for what
  lists the pages of a kind (map markers, cards' order, other pages' lists of them), ``facets-<kind>``
  for a listing's facet counts: replaced only when a page's classification may have changed (a
  classifying field, read before the save: :func:`note_facet_fields`; its countries, targets… in
  their own tables; a new page), not by a new title or text.

A change to a published page that sits below a section and lists nothing (a record, an event, a
network or an article: :func:`page_change_tags`) replaces only its own tags and its kind's listing
tag: the other pages' cards and fragments stay cached. Every other change — vocabularies, settings,
section and home pages, unpublishing, moving, deleting, a slug that changes — replaces the base
version, and so retires every entry.

A transaction's changes are written once, when it commits: no other process can cache under a new
version what it read before the change was committed. Until then the process that makes them reads
its own tags with a local suffix, so that it never serves, within the transaction, what it cached
before the change.
"""

import functools
import hashlib
import itertools
import logging
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction

from cms.frontend_purge import LISTED_KINDS, LISTING_PAGE_TAGS, page_tag, translation_tag

logger = logging.getLogger(__name__)

CACHE_KEY = "chm:content-version"
CACHE_SECONDS = 24 * 3600  # fragments of a retired version expire on their own
EVERYTHING = "*"  # replaced by every change
BASE = "+"  # replaced by every change but a page's own
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
# Rows of those apps that no public page shows: saved with every publish, they change nothing.
NOT_SHOWN = frozenset(
    {
        "wagtailcore.revision",
        "wagtailcore.pagelogentry",
        "wagtailcore.modellogentry",
        "wagtailcore.referenceindex",
        "wagtailcore.workflowstate",
        "wagtailcore.taskstate",
        "wagtailcore.pagesubscription",
        "wagtailcore.comment",
        "wagtailcore.commentreply",
    }
)
SECTION_DEPTH = 3  # root, home pages, sections: what lies deeper is listed, never in the menus


def listing_tag(kind: str) -> str:
    return f"listing-{kind}"


def facets_tag(kind: str) -> str:
    """What a listing's facet counts show: retired by a change to a page's classification, dates or
    liveness, not by a change to its title or text (see ``note_facet_fields``)."""
    return f"facets-{kind}"


def _key(tag: str) -> str:
    return CACHE_KEY if tag == EVERYTHING else f"{CACHE_KEY}:{tag}"


# Within one request each version is read once: a page asks for them for every cached part. A
# request reads the versions of the tags it meets as it goes, after some of the content: when
# everything's version has changed since its first read, a change was committed meanwhile, and what
# it computes from then on may mix both states: it is served, never stored (``writable``).
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.active, _request.versions, _request.unsafe = True, {}, False


def _request_finished(**kwargs) -> None:
    _request.active, _request.versions, _request.unsafe = False, {}, False


def writable() -> bool:
    """Whether what this request computes may be stored (no change committed since it began)."""
    return not getattr(_request, "unsafe", False)


def _read(tags: Iterable[str]) -> dict[str, str] | None:
    """The version of each of ``tags`` (made when missing); None when the cache cannot be reached."""
    tags = list(dict.fromkeys(tags))
    active = getattr(_request, "active", False)
    memo = _request.versions if active else {}
    wanted = {_key(tag): tag for tag in tags if tag not in memo}
    if wanted:
        if active:
            wanted.setdefault(_key(EVERYTHING), EVERYTHING)
        try:
            stored = cache.get_many(list(wanted))
            missing = [key for key in wanted if key not in stored]
            if missing:
                for key in missing:
                    cache.add(key, uuid.uuid4().hex, None)
                stored.update(cache.get_many(missing))
        except Exception:  # noqa: BLE001 - a cache that is down means "do not cache", never an error
            logger.warning("Could not read the content versions", exc_info=True)
            return None
        if len(stored) < len(wanted):  # evicted as soon as made: do not cache this time
            return None
        read = {wanted[key]: value for key, value in stored.items()}
        if EVERYTHING in memo and read.pop(EVERYTHING, memo[EVERYTHING]) != memo[EVERYTHING]:
            _request.unsafe = True
        memo.update(read)
    values = {tag: memo[tag] for tag in tags}
    pending = _pending()
    if pending:
        for tag in tags:
            if tag in pending:
                values[tag] = f"{values[tag]}~{pending[tag]}"
    return values


def current() -> str | None:
    """The version of everything (made when missing), or None when the cache cannot be reached."""
    values = _read([EVERYTHING])
    return None if values is None else values[EVERYTHING]


def versions(tags: Iterable[str] = ()) -> str | None:
    """One version for what shows ``tags`` (and the base); None when the cache cannot be reached."""
    values = _read([BASE, *sorted(set(tags))])
    return None if values is None else "|".join(f"{tag}={value}" for tag, value in values.items())


def tag_versions(tags: Iterable[str]) -> dict[str, str] | None:
    """The version of each tag, the base's under ``BASE`` (for entries with a tag each: cards)."""
    return _read([BASE, *tags])


def _digest(parts, version: str) -> str:
    return hashlib.sha256(repr((parts, version)).encode()).hexdigest()[:32]


def etag(name: str, parts, tags: Iterable[str] | None = None) -> str | None:
    """A validator for a response built from the content and ``parts``; None when unknown."""
    version = current() if tags is None else versions(tags)
    return None if version is None else _digest((name, parts), version)


# The fragments this process read or made last, by key: a key holds the versions of what the fragment
# shows, so that what is kept under it stays right until it expires. A page reads several fragments of
# the frame (navigation, footer, texts), its own parts and its listing's cards: each read a round trip
# to the shared cache otherwise. Text is kept as it is; any other value pickled and unpickled on every
# read, as from the shared cache, so that a caller that changes what it was given changes nobody
# else's copy. Bounded by size: the last read are kept.
LOCAL_BYTES = 16 * 1024 * 1024
LOCAL_MAX_BYTES = 64 * 1024  # larger values (a sitemap, a map's markers) are read from the shared cache
_local: OrderedDict[str, tuple[float, object, int]] = OrderedDict()  # key -> (expiry, value, size)
_local_size = 0
_local_lock = threading.Lock()


def local_get_many(keys: Iterable[str]) -> dict:
    """The values kept in this process under ``keys`` (those found)."""
    found = {}
    now = time.monotonic()
    with _local_lock:
        for key in keys:
            kept = _local.get(key)
            if kept is None:
                continue
            if kept[0] < now:
                _local_forget(key)
                continue
            _local.move_to_end(key)
            found[key] = kept[1]
    for key, value in found.items():
        if isinstance(value, bytes):
            found[key] = pickle.loads(value)  # noqa: S301 - what this process pickled itself
    return found


def local_keep_many(values: dict, timeout: int) -> None:
    """Keep these values in this process (within ``LOCAL_BYTES``; larger ones are not kept)."""
    global _local_size
    kept = {}
    for key, value in values.items():
        if isinstance(value, str):
            data, size = value, len(value)  # immutable: kept as it is
        else:
            try:
                data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001,S112 - not picklable: the shared cache says why, once
                continue
            size = len(data)
        if size <= LOCAL_MAX_BYTES:
            kept[key] = (data, size)
    if not kept:
        return
    expiry = time.monotonic() + timeout
    with _local_lock:
        for key, (data, size) in kept.items():
            _local_forget(key)
            _local[key] = (expiry, data, size)
            _local_size += size
        while _local_size > LOCAL_BYTES and _local:
            _local_forget(next(iter(_local)))


def _local_forget(key: str) -> None:
    global _local_size
    kept = _local.pop(key, None)
    if kept is not None:
        _local_size -= kept[2]


def keep_shared(values: dict, timeout: int = CACHE_SECONDS) -> None:
    """Keep these values in this process and in the shared cache (an unreachable one only means
    "not cached there")."""
    local_keep_many(values, timeout)
    try:
        cache.set_many(values, timeout)
    except Exception:  # noqa: BLE001
        logger.warning("Could not cache %d fragments", len(values), exc_info=True)


def forget_local() -> None:
    """Forget the fragments kept in this process (they are kept by version: for tests and tools)."""
    global _local_size
    with _local_lock:
        _local.clear()
        _local_size = 0


def cached(name: str, parts, compute: Callable, timeout: int = CACHE_SECONDS, tags: Iterable[str] | None = None):
    """``compute()``, kept in the shared cache under ``name`` and ``parts`` (what the value depends
    on besides the content: language, filters…) until the content changes — any change, or with
    ``tags`` only a change to what they name (and the base). Computed every time when the cache is
    down; a value of None is never cached. The values read last are also kept in this process
    (``local_get_many``), under the same key."""
    version = current() if tags is None else versions(tags)
    if version is None:
        return compute()
    key = f"chm:fragment:{name}:{_digest(parts, version)}"
    value = local_get_many([key]).get(key)
    if value is not None:
        return value
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001
        logger.warning("Could not read a cached fragment", exc_info=True)
        return compute()
    if value is not None:
        local_keep_many({key: value}, timeout)
        return value
    value = compute()
    if value is not None and writable():
        keep_shared({key: value}, timeout)
    return value


# --- changing versions --------------------------------------------------------------------------
# The tags changed by the transaction in progress, each with a local suffix that changes with every
# change, until the transaction commits (one write) or rolls back (nothing written).
_transaction = threading.local()
_suffixes = itertools.count(1)


def _pending() -> dict[str, int] | None:
    pending = getattr(_transaction, "pending", None)
    if not pending:
        return None
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(item[1] is _transaction.on_commit for item in connection.run_on_commit):
        return pending
    _transaction.pending = {}  # its transaction rolled back
    return None


def _write(tags: Iterable[str]) -> None:
    tags = set(tags)
    memo = getattr(_request, "versions", None)
    if memo:
        for tag in tags:
            memo.pop(tag, None)
    try:
        cache.set_many({_key(tag): uuid.uuid4().hex for tag in tags}, None)
    except Exception:  # noqa: BLE001 - unreachable cache: nothing is being cached either
        logger.warning("Could not change the content versions", exc_info=True)


def _committed() -> None:
    pending, _transaction.pending = getattr(_transaction, "pending", None) or {}, {}
    if pending:
        _write(set(pending))


def changed(*tags: str) -> None:
    """Retire what shows ``tags`` (and everything untagged): at once in this process, for the
    others when the transaction commits (once per transaction, however many rows it changes)."""
    if getattr(_deferral, "depth", 0):
        return
    tags = {EVERYTHING, *tags}
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _write(tags)
        return
    pending = _pending()
    if pending is None:
        pending = _transaction.pending = {}
        _transaction.on_commit = _new_callback()
        transaction.on_commit(_transaction.on_commit)
    suffix = next(_suffixes)
    for tag in tags:
        pending[tag] = suffix


def _new_callback() -> Callable[[], None]:
    """A callback of its own for each transaction, so that a rolled back one is told apart."""

    def committed():
        _committed()

    return committed


def bump(**kwargs) -> None:
    """Retire every cached entry (usable as a signal receiver)."""
    changed(BASE)


def start_afresh() -> None:
    """New versions now, whatever the transaction (tests start each from here)."""
    _transaction.pending = {}
    _write({EVERYTHING, BASE})


# A bulk load (``load_demo``) saves thousands of rows: one new version at its end instead of one each.
_deferral = threading.local()


@contextmanager
def deferred():
    """Within this block, changes do not replace the versions one by one: the base is replaced once
    when the block ends (for the others when that commits). For bulk loads in one process, where
    nobody reads the content being written."""
    _deferral.depth = getattr(_deferral, "depth", 0) + 1
    try:
        yield
    finally:
        _deferral.depth -= 1
        if not _deferral.depth:
            bump()


# --- what a change retires ----------------------------------------------------------------------


def _listed(meta) -> bool:
    """Whether pages of this model are listed by their kind's section (a record, an event, a network,
    an article), and list nothing themselves."""
    return meta.app_label in LISTED_KINDS and meta.label_lower not in LISTING_PAGE_TAGS


def page_change_tags(page) -> set[str] | None:
    """The tags a change to ``page`` (a specific page) retires when it concerns only the page: a
    published page of a listed kind, below the sections, with no child pages, that is no listing
    itself. None when the change must retire everything."""
    meta = page._meta
    if not page.live or not _listed(meta):
        return None
    if not page.depth or page.depth <= SECTION_DEPTH or page.numchild or _in_frame(page.translation_key):
        return None
    tags = {page_tag(page.pk), translation_tag(page.translation_key), listing_tag(meta.app_label)}
    if not getattr(page, "_facet_fields_unchanged", False):
        tags.add(facets_tag(meta.app_label))
    return tags


# A page's own fields that no listing facet counts: its texts, its place in the tree, Wagtail's
# bookkeeping. Every other field of a listed page (dates, status, codes, coordinates…) counts as
# classification, and its change retires the facets: a field added later is counted until listed here.
NOT_FACET_FIELDS = frozenset(
    {
        "id",
        "page_ptr_id",
        "title",
        "draft_title",
        "slug",
        "url_path",
        "seo_title",
        "search_description",
        "latest_revision_id",
        "live_revision_id",
        "has_unpublished_changes",
        "latest_revision_created_at",
        "last_published_at",
        "first_published_at",
        "owner_id",
        "locked",
        "locked_at",
        "locked_by_id",
        "show_in_menus",
        "numchild",
        "path",
        "depth",
    }
)


@functools.cache
def _facet_fields(model) -> tuple[str, ...]:
    """The classifying fields of ``model`` (read once per model: every save of a listed page asks)."""
    from django.db import models
    from wagtail.fields import StreamField

    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if field.attname not in NOT_FACET_FIELDS and not isinstance(field, (models.TextField, StreamField))
    )


def note_facet_fields(sender, instance, raw=False, **kwargs) -> None:
    """``pre_save`` receiver: mark a listed page whose classifying fields are those of its stored row
    (``_facet_fields_unchanged``: one query), so that saving and publishing it retires its listing's
    cards and order but not its facet counts. A new page, or one not checked, retires them. Its
    classifications held in other tables (countries, targets…) retire them through their own rows."""
    from wagtail.models import Page

    meta = getattr(sender, "_meta", None)
    if raw or meta is None or not _listed(meta):
        return
    if not isinstance(instance, Page) or instance.pk is None:
        return
    fields = _facet_fields(sender)
    stored = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
    instance._facet_fields_unchanged = stored is not None and all(
        stored[name] == getattr(instance, name) for name in fields
    )


def _in_frame(translation_key) -> bool:
    """Whether the site frame (the footer's links) shows the page in one of its languages: then it
    shows on every page. The frame's pages (a handful) are read once per transaction, whatever the
    number of pages it changes."""
    from cms.site_settings.models import FooterLink

    framed = getattr(_transaction, "framed", None)
    if framed is None or not _pending():
        framed = _transaction.framed = {
            str(key) for key in FooterLink.objects.values_list("page__translation_key", flat=True) if key
        }
    return str(translation_key) in framed


def _parent_page_tags(instance) -> set[str] | None:
    """For a row of a page's content (a cluster child: an attachment, a related record…): the page's
    tags, when its kind is one whose changes concern only itself."""
    from modelcluster.fields import ParentalKey
    from wagtail.models import Page

    for field in instance._meta.concrete_fields:
        if isinstance(field, ParentalKey) and issubclass(field.related_model, Page):
            page_id, meta = getattr(instance, field.attname), field.related_model._meta
            if page_id and _listed(meta):
                # Its countries, targets… are such rows: a change to any of them may change the counts.
                return {page_tag(page_id), listing_tag(meta.app_label), facets_tag(meta.app_label)}
    return None


def row_change_tags(instance) -> set[str] | None:
    from wagtail.models import Page

    if instance is None:
        return None
    if isinstance(instance, Page):
        return page_change_tags(instance)
    return _parent_page_tags(instance)


def _shown(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    return meta is not None and meta.app_label in CONTENT_APPS and meta.label_lower not in NOT_SHOWN


def bump_for_content(sender, instance=None, **kwargs) -> None:
    """``post_save`` / ``m2m_changed`` receiver: retire what shows the row, when public content."""
    if not _shown(sender):
        return
    tags = row_change_tags(instance)
    if tags is None:
        bump()
        return
    if "action" in kwargs:  # m2m_changed: a page's countries, targets… are its classification
        tags = tags | {facets_tag(instance._meta.app_label)}
    changed(*tags)


def bump_for_deleted(sender, instance=None, **kwargs) -> None:
    """``post_delete`` receiver: a deleted row of public content retires everything, unless it is
    a row of one page's content (a related record taken off, an alias's children replaced)."""
    from wagtail.models import Page

    if not _shown(sender):
        return
    tags = None if instance is None or isinstance(instance, Page) else _parent_page_tags(instance)
    if tags is None:
        bump()
    else:
        changed(*tags)


def page_published(sender, instance, **kwargs) -> None:
    tags = page_change_tags(instance)
    if tags is None:
        bump()
    else:
        changed(*tags)


def connect() -> None:
    """Connect the receivers (called once, from an app's ``ready``)."""
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
    from wagtail.signals import page_published as published
    from wagtail.signals import page_slug_changed, page_unpublished, post_page_move

    request_started.connect(_request_started, dispatch_uid="content_version_request_started")
    request_finished.connect(_request_finished, dispatch_uid="content_version_request_finished")
    pre_save.connect(note_facet_fields, dispatch_uid="content_version_facet_fields")
    post_save.connect(bump_for_content, dispatch_uid="content_version_save")
    post_delete.connect(bump_for_deleted, dispatch_uid="content_version_delete")
    m2m_changed.connect(bump_for_content, dispatch_uid="content_version_m2m")
    published.connect(page_published, dispatch_uid="content_version_published")
    for signal in (page_unpublished, post_page_move, page_slug_changed):
        signal.connect(bump, dispatch_uid=f"content_version_{id(signal)}")
