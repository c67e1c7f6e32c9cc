"""Telling the caching proxy the truth: what each public response shows, and what a change makes stale.

Every public response names what it shows in cache tags (``cms/caching.py`` writes them into the
``xkey`` and ``Surrogate-Key`` headers): ``page-<id>`` and ``tr-<translation key>`` for a page (an
alias also carries its original's ``page-<id>``), ``listing-<kind>`` for a section's listing (every
filter and page of it), ``home``, ``search``, ``feeds``, ``sitemap`` and ``api`` (the open API).

Publishing, unpublishing, moving or deleting a page collects, while its transaction runs, the tags of
everything that shows it: the page in every language and its aliases, its parent (which lists it) in
every language, the listing of its kind, the home pages, search, feeds, the sitemap and the open API,
and the pages that link to it. Once the transaction commits, one Celery task sends them to each proxy in one PURGE
request (Varnish's xkey module, ``deploy/varnish/default.vcl``). The search index is updated by another task beside
it; once that has written the change, it purges ``search`` again (``search.tasks``), so that a search answered in
between from the index as it was is not kept. Nothing is sent for a transaction
that rolls back, and neither a broker outage nor a proxy that cannot be reached fails the change:
the shared lifetime of the pages (``SHARED_MAX_AGE``) bounds what a lost purge leaves stale.
"""

import http.client
import logging
import threading
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

HOME = "home"
SEARCH = "search"
FEEDS = "feeds"
SITEMAP = "sitemap"
API = "api"  # the open API's responses (cms/caching.py PATH_TAGS)
# Shown by every change to a published page: the home pages, search results, feeds, the sitemap and
# the open API.
EVERYWHERE = (HOME, SEARCH, FEEDS, SITEMAP, API)

# Page types whose responses list the pages of a kind, with the tags those responses carry.
LISTING_PAGE_TAGS = {
    "home.homepage": (HOME,),
    "records.recordindexpage": ("listing-records",),
    "events.eventindexpage": ("listing-events", FEEDS),  # its calendar route is the events feed
    "networks.networkindexpage": ("listing-networks",),
    "news.newsindexpage": ("listing-news",),
}
# The apps whose pages appear in a listing of their kind (``listing-<app label>``).
LISTED_KINDS = ("records", "events", "networks", "news")

PURGE_HEADER = "xkey-purge"
TAGS_PER_REQUEST = 200  # well under Varnish's 8 KB header limit
PURGE_TIMEOUT = 3.0  # seconds, per proxy


def page_tag(page_id) -> str:
    return f"page-{page_id}"


def translation_tag(translation_key) -> str:
    return f"tr-{translation_key}"


def page_response_tags(page) -> set[str]:
    """The tags of a response that shows ``page`` (a specific page)."""
    tags = {page_tag(page.pk), translation_tag(page.translation_key)}
    if page.alias_of_id:
        tags.add(page_tag(page.alias_of_id))
    tags.update(LISTING_PAGE_TAGS.get(page._meta.label_lower, ()))
    return tags


def page_change_tags(page) -> set[str]:
    """The tags of every response that shows ``page`` and can be known without a query."""
    tags = {page_tag(page.pk), translation_tag(page.translation_key), *EVERYWHERE}
    if page.alias_of_id:
        tags.add(page_tag(page.alias_of_id))
    app_label = page.specific_class._meta.app_label if page.specific_class else page._meta.app_label
    if app_label in LISTED_KINDS:
        tags.add(f"listing-{app_label}")
    return tags


# --- collecting the tags of one transaction ----------------------------------------------------


class PurgeBatch:
    """What one transaction made stale; sent once, after it commits."""

    def __init__(self):
        self.tags: set[str] = set()
        self.page_ids: set[int] = set()
        self.parent_paths: set[str] = set()

    def add_page(self, page, *, parent_paths=()) -> None:
        self.tags |= page_change_tags(page)
        self.page_ids.add(page.pk)
        steplen = page.steplen
        if len(page.path) > steplen:
            self.parent_paths.add(page.path[:-steplen])
        self.parent_paths.update(parent_paths)

    def send(self) -> str:
        if getattr(_state, "batch", None) is self:
            _state.batch = None
        if not self.tags or not purge_urls():
            return "nothing"
        from cms.resilience.tasks import SKIP, dispatch

        return dispatch(
            purge_pages,
            sorted(self.tags),
            sorted(self.page_ids),
            sorted(self.parent_paths),
            fallback=SKIP,
        )


_state = threading.local()


def current_batch() -> PurgeBatch:
    """The batch of the transaction in progress; its sending is registered with ``on_commit`` once.

    A batch whose callback the connection no longer holds (its transaction rolled back) is dropped.
    """
    batch = getattr(_state, "batch", None)
    connection = transaction.get_connection()
    if batch is None or not any(callback == batch.send for _, callback, _ in connection.run_on_commit):
        batch = PurgeBatch()
        _state.batch = batch
        transaction.on_commit(batch.send, robust=True)
    return batch


def page_changed(page, *, parent_paths=()) -> None:
    if not purge_urls():
        return
    if not transaction.get_connection().in_atomic_block:  # autocommit: the change is already saved
        batch = PurgeBatch()
        batch.add_page(page, parent_paths=parent_paths)
        batch.send()
        return
    current_batch().add_page(page, parent_paths=parent_paths)


# --- signal receivers -----------------------------------------------------------------------------


def on_page_published(sender, instance, **kwargs):
    page_changed(instance)


def on_page_unpublished(sender, instance, **kwargs):
    page_changed(instance)


def on_page_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    if instance.live:
        paths = [parent.path for parent in (parent_page_before, parent_page_after) if parent is not None]
        page_changed(instance, parent_paths=paths)


def on_page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.live:
        page_changed(instance)


def connect_signals() -> None:
    from django.db.models.signals import pre_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(on_page_published, dispatch_uid="cms.frontend_purge.published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="cms.frontend_purge.unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="cms.frontend_purge.moved")
    pre_delete.connect(on_page_deleted, dispatch_uid="cms.frontend_purge.deleted")


# --- sending --------------------------------------------------------------------------------------


def purge_urls() -> list[str]:
    return list(getattr(settings, "FRONTEND_CACHE_PURGE_URLS", ()))


def related_tags(page_ids, parent_paths) -> set[str]:
    """The parents (which list the pages) in every language, and the pages that link to them: two queries."""
    from wagtail.models import Page, ReferenceIndex

    tags = set()
    for pk, translation_key in Page.objects.filter(path__in=list(parent_paths)).values_list("pk", "translation_key"):
        tags |= {page_tag(pk), translation_tag(translation_key)}
    if page_ids:
        page_type = ReferenceIndex._get_base_content_type(Page)
        referring = ReferenceIndex.objects.filter(
            to_content_type=page_type, to_object_id__in=[str(pk) for pk in page_ids], base_content_type=page_type
        ).values_list("object_id", flat=True)
        tags |= {page_tag(object_id) for object_id in referring}
    return tags


def send_purge(url: str, tags: list[str]) -> bool:
    """One PURGE request naming ``tags`` to the proxy at ``url``; False (logged) when it did not take it."""
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=PURGE_TIMEOUT)
    try:
        connection.request("PURGE", parts.path or "/", headers={PURGE_HEADER: " ".join(tags)})
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as error:
        logger.warning("Cache purge to %s failed: %s", parts.netloc, error)
        return False
    finally:
        connection.close()
    if response.status >= 300:
        logger.warning("Cache purge to %s refused: %s %s", parts.netloc, response.status, response.reason)
        return False
    return True


@shared_task(name="cms.purge_pages", ignore_result=True)
def purge_pages(tags: list[str], page_ids: list[int] = (), parent_paths: list[str] = ()) -> int:
    """Purge ``tags`` and those of the pages related to ``page_ids`` from every configured proxy.

    Returns the number of requests the proxies accepted; never raises for a proxy's sake.
    """
    every_tag = set(tags) | related_tags(page_ids, parent_paths)
    ordered = sorted(every_tag)
    accepted = 0
    for url in purge_urls():
        for start in range(0, len(ordered), TAGS_PER_REQUEST):
            accepted += send_purge(url, ordered[start : start + TAGS_PER_REQUEST])
    return accepted
