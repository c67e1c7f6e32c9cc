"""Keep the search index in step with the page tree.

Publishing, unpublishing, moving, deleting, renaming a parent, creating an alias and changing a view
restriction each mark the translation groups they affect; once the transaction commits, one task
re-reads those groups (so a rolled-back change is never indexed, and a subtree deleted at once costs
one task, not one per page). The task itself decides what is indexable: live and public pages only.
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms.resilience.tasks import INLINE, dispatch

from .indexing import searchable_content_type_ids, subtree_translation_keys

_state = threading.local()


def schedule(keys) -> None:
    """Index these translation groups after the current transaction commits."""
    keys = {str(key) for key in keys if key}
    if not keys:
        return
    pending = getattr(_state, "keys", None)
    if pending is None:
        pending = _state.keys = set()
    pending.update(keys)
    transaction.on_commit(flush)


@contextmanager
def deferred():
    """Index what changes inside the block once, at its end (a harvest's page of records): each
    transaction inside still commits on its own; the groups it touched wait for the block's end."""
    depth = getattr(_state, "held", 0)
    _state.held = depth + 1
    try:
        yield
    finally:
        _state.held = depth
        if not depth:
            transaction.on_commit(flush)


def flush() -> None:
    if getattr(_state, "held", 0):
        return
    keys = getattr(_state, "keys", None)
    if not keys:
        return
    _state.keys = set()
    from .tasks import update_search_index

    # Without a broker the index is updated here: searches must find what was just published.
    # ``dispatch`` logs any failure; a search outage never undoes or blocks publishing.
    dispatch(update_search_index, sorted(keys), fallback=INLINE)


def _is_searchable(page) -> bool:
    return isinstance(page, Page) and page.content_type_id in searchable_content_type_ids()


def on_publish_change(sender, instance, **kwargs):
    if _is_searchable(instance):
        schedule([instance.translation_key])


def on_delete(sender, instance, **kwargs):
    if _is_searchable(instance):
        schedule([instance.translation_key])


def on_alias_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw and isinstance(instance, Page) and instance.alias_of_id and _is_searchable(instance):
        schedule([instance.translation_key])


def on_subtree_change(sender, instance, **kwargs):
    """A move or a parent's new slug changes the address of every page below."""
    if kwargs.get("url_path_before") is not None and kwargs.get("url_path_before") == kwargs.get("url_path_after"):
        return
    schedule(subtree_translation_keys(instance))


def on_restriction_change(sender, instance, raw=False, **kwargs):
    """A view restriction added or removed makes a subtree private or public."""
    if raw:
        return
    try:
        page = Page.objects.get(pk=instance.page_id)
    except Page.DoesNotExist:
        return
    schedule(subtree_translation_keys(page))


def connect() -> None:
    page_published.connect(on_publish_change, dispatch_uid="chm_search_published")
    page_unpublished.connect(on_publish_change, dispatch_uid="chm_search_unpublished")
    # Deleting any page (or a subtree) deletes its ``Page`` row: listening there only lets Django
    # delete rows of other models, our own search rows included, without loading them first.
    post_delete.connect(on_delete, sender=Page, dispatch_uid="chm_search_deleted")
    post_save.connect(on_alias_created, dispatch_uid="chm_search_alias_created")
    post_page_move.connect(on_subtree_change, dispatch_uid="chm_search_moved")
    page_slug_changed.connect(on_subtree_change, dispatch_uid="chm_search_slug_changed")
    post_save.connect(on_restriction_change, sender=PageViewRestriction, dispatch_uid="chm_search_restricted")
    post_delete.connect(on_restriction_change, sender=PageViewRestriction, dispatch_uid="chm_search_unrestricted")
