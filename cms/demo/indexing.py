"""Bulk loading without per-page index work: Wagtail's reference index and its admin search index
are updated page by page on every save, which dominates the cost of creating thousands of aliases
(an alias has no references of its own and is found in the admin through its source page)."""

from contextlib import contextmanager

from django.db.models.signals import post_save
from wagtail.signal_handlers import disable_reference_index_auto_update


@contextmanager
def bulk_page_creation():
    from modelsearch.index import get_indexed_models
    from modelsearch.signal_handlers import post_save_signal_handler

    models = [model for model in get_indexed_models() if post_save.has_listeners(model)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
