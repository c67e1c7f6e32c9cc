"""Tombstones: a page that stops being public leaves one; publishing it again removes it.

A record is one identifier in six languages: the tombstone is written when no public page of its
translation group is left (unpublishing only the French translation leaves the record there).
"""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .kinds import kind_of, stored_identifier
from .models import Tombstone


def _group_still_public(page: Page) -> bool:
    return (
        Page.objects.live()
        .filter(translation_key=page.translation_key, alias_of__isnull=True)
        .exclude(pk=page.pk)
        .exists()
    )


def _bury(page: Page, reason: str) -> None:
    model = page.specific_class
    kind = kind_of(model)
    if kind is None or page.alias_of_id or _group_still_public(page):
        return
    identifier = stored_identifier(kind, page)
    Tombstone.objects.update_or_create(
        kind=kind,
        identifier=identifier,
        defaults={"page_id": page.pk, "at": timezone.now(), "reason": reason},
    )


@receiver(page_unpublished)
def tombstone_on_unpublish(sender, instance, **kwargs):
    _bury(instance, Tombstone.Reason.UNPUBLISHED)


@receiver(pre_delete, sender=Page)
def tombstone_on_delete(sender, instance, **kwargs):
    # Only pages that were public leave a tombstone: a draft deleted was never seen by a harvester.
    if instance.live or Tombstone.objects.filter(page_id=instance.pk).exists():
        _bury(instance, Tombstone.Reason.DELETED)


@receiver(page_published)
def tombstone_lifted_on_publish(sender, instance, **kwargs):
    kind = kind_of(type(instance))
    if kind is None or instance.alias_of_id:
        return
    Tombstone.objects.filter(kind=kind, identifier=stored_identifier(kind, instance)).delete()
