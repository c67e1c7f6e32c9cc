"""Publishing, unpublishing or deleting a record, or changing a target or subject, retires the
suggestion model: the next suggestion is made from the content as it now is."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from . import store


def _record_changed(sender, instance, **kwargs) -> None:
    from content_types.records.models import RecordPage

    if isinstance(instance, RecordPage):
        store.refresh()


def _vocabulary_changed(sender, **kwargs) -> None:
    if not kwargs.get("raw"):
        store.refresh()


def connect() -> None:
    from content_types.vocabularies.models import GBFTarget, Subject

    page_published.connect(_record_changed, dispatch_uid="suggest-record-published")
    page_unpublished.connect(_record_changed, dispatch_uid="suggest-record-unpublished")
    post_delete.connect(_record_changed, dispatch_uid="suggest-record-deleted")
    for model in (GBFTarget, Subject):
        post_save.connect(_vocabulary_changed, sender=model, dispatch_uid=f"suggest-{model.__name__}-saved")
        post_delete.connect(_vocabulary_changed, sender=model, dispatch_uid=f"suggest-{model.__name__}-deleted")
