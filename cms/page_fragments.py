"""A page's own content kept rendered in the shared cache, until the content changes.

A record or event page spends most of its time rendering what is the same for every visitor: its
metadata, classification, body, attachments, related pages and JSON-LD. The page's template wraps
those parts in ``{% page_fragment "name" %}`` (``cms.site_settings`` tags) and lists their names in
the page type's ``cached_fragments``. ``get_context`` asks the cache for all of them in one read
(:func:`lookup`); when every part is there, the page skips the queries that only feed them
(``fragments_cached(context)``) and the template outputs the stored HTML. A part that is missing is
rendered as usual and stored.

Keys hold the versions of what the parts show (``cms.content_version``): the page's own tags, those
of the kinds of pages it lists (its type's ``fragment_kinds``: a record's related records…) and the
base version that every change but a page's own replaces; a change to another page leaves them. They
also hold the page, the language, the host, the scheme and what the page's ``fragment_vary()``
answers (what its parts show that changes with time, such as whether an event is over) and what its
``fragment_reader_vary(request)`` answers (a class of readers, such as members or not; never the
person). Previews
and unsaved pages are never cached, and with the cache down every part is rendered (fail open).
Never put anything personal (the user, a CSRF token, messages, a nonce) inside a page fragment.
"""

import logging

from django.core.cache import cache
from django.utils.translation import get_language

from cms import content_version
from cms.frontend_purge import page_tag, translation_tag

logger = logging.getLogger(__name__)


class PageFragments(dict):
    """The parts found in the cache, by name, and the keys to store the missing ones under."""

    def __init__(self, keys: dict[str, str] | None = None, found: dict[str, str] | None = None):
        super().__init__(found or {})
        self.keys = keys or {}

    @property
    def complete(self) -> bool:
        return bool(self.keys) and all(name in self for name in self.keys)

    def store(self, name: str, html: str) -> None:
        self[name] = html
        key = self.keys.get(name)
        if key is None or not content_version.writable():
            return
        content_version.keep_shared({key: html})


def fragment_tags(page) -> set[str]:
    """What the cached parts of ``page`` show: the page itself, in its languages, and the pages of
    the kinds its type names in ``fragment_kinds`` (lists of other pages: related records…)."""
    tags = {page_tag(page.pk), translation_tag(page.translation_key)}
    tags.update(content_version.listing_tag(kind) for kind in getattr(page, "fragment_kinds", ()))
    return tags


def lookup(page, request, names) -> PageFragments:
    """The cached parts of ``page`` for this request (one cache read); none when not cacheable."""
    if not names or request is None or not page.pk or getattr(request, "is_preview", False):
        return PageFragments()
    version = content_version.versions(fragment_tags(page))
    if version is None:
        return PageFragments()
    vary = page.fragment_vary() if hasattr(page, "fragment_vary") else ()
    if hasattr(page, "fragment_reader_vary"):
        vary = (*vary, *page.fragment_reader_vary(request))
    parts = (page.pk, get_language(), request.get_host(), request.scheme, *vary)
    keys = {name: f"chm:page-fragment:{content_version._digest((name, parts), version)}" for name in names}
    try:
        found = read_shared(list(keys.values()))
    except Exception:  # noqa: BLE001
        logger.warning("Could not read cached page fragments", exc_info=True)
        return PageFragments()
    return PageFragments(keys, {name: found[key] for name, key in keys.items() if key in found})


def fragments_cached(context) -> bool:
    """True when the page's cached parts are all there: what only feeds them need not be computed."""
    fragments = context.get("page_fragments")
    return fragments is not None and fragments.complete


# --- listing cards ------------------------------------------------------------------------------
# A listing's card (``{% cached_cards %}``) is kept per card template, page, language, host and
# scheme, under the versions of its page's own tag and the base: a change to another page leaves it.
# The listing reads them before it loads its results (:func:`cached_cards_for`): a result whose card
# is there is never loaded, prefetched or rendered, only its id is read.


class CachedCard:
    """A result whose card was found in the cache: its id and the card's HTML, nothing else."""

    __slots__ = ("card_html", "pk")

    def __init__(self, pk, card_html: str):
        self.pk = pk
        self.card_html = card_html


def card_keys(request, template_name: str, pks) -> dict:
    """The cache key of each page's card (none when the cache is down or there is no request)."""
    pks = list(pks)
    tags = {pk: page_tag(pk) for pk in pks}
    versions = content_version.tag_versions(tags.values()) if request is not None and pks else None
    if versions is None:
        return {}
    host, language, base = request.get_host(), get_language(), versions[content_version.BASE]
    return {
        pk: "chm:card:"
        + content_version._digest((template_name, pk, language, host, request.scheme), (base, versions[tags[pk]]))
        for pk in pks
    }


def read_shared(keys: list[str]) -> dict:
    """The values of ``keys`` found in this process (``content_version.local_get_many``), then the
    others in the shared cache (one read, kept here too)."""
    found = content_version.local_get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        read = cache.get_many(missing)
        content_version.local_keep_many(read, content_version.CACHE_SECONDS)
        found.update(read)
    return found


def read_cards(keys: list[str]) -> dict:
    if not keys:
        return {}
    try:
        return read_shared(keys)
    except Exception:  # noqa: BLE001 - a cache that is down means "render every card"
        logger.warning("Could not read cached cards", exc_info=True)
        return {}


def cached_cards_for(request, template_name: str, pks) -> dict:
    """The cards of ``pks`` found in the cache, by page id (one cache read)."""
    keys = card_keys(request, template_name, pks)
    found = read_cards(list(keys.values()))
    return {pk: found[key] for pk, key in keys.items() if key in found}


# --- values per page ----------------------------------------------------------------------------
# What a listing shows of each of its pages besides its card (a map marker…) is kept the same way:
# per page, language, host and scheme, under the versions of the page's own tag and the base. A change
# to one page recomputes its value alone, not those of every page listed with it.

NOTHING = "-"  # kept for a page that has no value (an event without a place): found, and nothing to show


def values_per_page(request, name: str, pks, compute) -> dict:
    """``{pk: value}`` for ``pks``: those found in the cache (one read), the others from
    ``compute(missing_pks)`` (``{pk: value or None}``) and stored (one write). Pages without a value
    are left out. Computed every time when the cache is down."""
    pks = list(dict.fromkeys(pks))
    keys = card_keys(request, name, pks)
    found = read_cards(list(keys.values()))
    values = {pk: found[keys[pk]] for pk in pks if pk in keys and keys[pk] in found}
    missing = [pk for pk in pks if pk not in values]
    if missing:
        computed = compute(missing)
        fresh = {pk: computed.get(pk) or NOTHING for pk in missing}
        values.update(fresh)
        stored = {keys[pk]: value for pk, value in fresh.items() if pk in keys}
        if stored and content_version.writable():
            content_version.keep_shared(stored)
    return {pk: values[pk] for pk in pks if values[pk] != NOTHING}
