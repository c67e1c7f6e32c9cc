"""Refresh suggestions when a need, an offer or an expert profile is published or unpublished.

The families changed in a transaction are gathered and refreshed by one task after it commits (after
the search index, whose text the similarity reads, is updated by its own on-commit task).
"""

import threading

from django.db import transaction
from wagtail.signals import page_published, page_unpublished

from cms.resilience.tasks import INLINE, dispatch

_state = threading.local()


def schedule(key) -> None:
    pending = getattr(_state, "keys", None)
    if pending is None:
        pending = _state.keys = set()
    pending.add(str(key))
    transaction.on_commit(flush)


def flush() -> None:
    keys = getattr(_state, "keys", None)
    if not keys:
        return
    _state.keys = set()
    from .tasks import refresh_suggestions

    dispatch(refresh_suggestions, sorted(keys), fallback=INLINE)


def on_publish_change(sender, instance, **kwargs):
    schedule(instance.translation_key)


def connect() -> None:
    from content_types.records.models import ExpertProfilePage, NeedPage, OfferPage

    for model in (NeedPage, OfferPage, ExpertProfilePage):
        name = model._meta.model_name
        page_published.connect(on_publish_change, sender=model, dispatch_uid=f"chm_match_published_{name}")
        page_unpublished.connect(on_publish_change, sender=model, dispatch_uid=f"chm_match_unpublished_{name}")
