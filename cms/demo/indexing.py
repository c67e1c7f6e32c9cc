"""Bulk loading without per-page index work: Wagtail's reference index and its admin search index
are updated page by page on every save, which dominates the cost of creating thousands of aliases
(an alias has no references of its own and is found in the admin through its source page)."""

import threading
from contextlib import contextmanager

from django.db.models.signals import post_save
from wagtail.signal_handlers import disable_reference_index_auto_update

_held = threading.local()


def index_held_back() -> bool:
    """Inside :func:`bulk_page_creation`: the index work is done once at the end, not page by page."""
    return getattr(_held, "depth", 0) > 0


@contextmanager
def bulk_page_creation():
    from modelsearch.index import get_indexed_models
    from modelsearch.signal_handlers import post_save_signal_handler

    models = [model for model in get_indexed_models() if post_save.has_listeners(model)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    _held.depth = getattr(_held, "depth", 0) + 1
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _held.depth -= 1
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


@contextmanager
def sqlite_bulk_load():
    """On the embedded SQLite database, a bigger page cache and temporary tables in memory while a
    bulk load runs (WAL and synchronous=NORMAL are already the connection's defaults)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB
        cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
            cursor.execute("PRAGMA temp_store = DEFAULT")


def index_in_bulk(progress, chunk_size: int = 500) -> None:
    """The index work that :func:`bulk_page_creation` held back, in one pass: Wagtail's reference
    index for every page but aliases (an alias holds its source's references, found through it),
    and the admin search index of every indexed model."""
    from django.db import transaction
    from modelsearch.backends import get_search_backends
    from modelsearch.index import get_indexed_models
    from wagtail.models import Page, ReferenceIndex

    pages = Page.objects.filter(alias_of__isnull=True).order_by("path")
    total = pages.count()
    bar = progress(None, "Reference index", total=total)
    with transaction.atomic():
        for start in range(0, total, chunk_size):
            chunk = list(pages[start : start + chunk_size].specific())
            _prefetch_child_objects(chunk)
            for page in chunk:
                ReferenceIndex.create_or_update_for_object(page)
            bar.update(len(chunk))
    bar.close()

    backends = list(get_search_backends(with_auto_update=True))
    models = [model for model in get_indexed_models() if not model._meta.abstract]
    page_models = [model for model in models if issubclass(model, Page)]
    other_models = [model for model in models if not issubclass(model, Page)]
    # ``get_indexed_objects``: a page type's own pages, with what its search fields read from other
    # tables (classification, ...) fetched per chunk instead of per page.
    querysets = [model.get_indexed_objects().order_by("pk") for model in page_models + other_models]
    bar = progress(None, "Search index", total=sum(queryset.count() for queryset in querysets))
    with transaction.atomic():
        for queryset in querysets:
            objects = list(queryset)
            for start in range(0, len(objects), chunk_size):
                chunk = objects[start : start + chunk_size]
                for backend in backends:
                    backend.add_bulk(queryset.model, chunk)
                bar.update(len(chunk))
    bar.close()


def _prefetch_child_objects(pages) -> None:
    """Each page type's child objects (inline panels, comments) read once for the chunk: the
    reference index reads them for every page."""
    from django.db.models import prefetch_related_objects
    from modelcluster.models import get_all_child_relations

    by_model: dict = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, group in by_model.items():
        names = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
        if names:
            prefetch_related_objects(group, *names)
