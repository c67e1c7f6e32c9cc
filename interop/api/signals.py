"""Tombstones: a page that stops being public leaves one; publishing it again removes it.

A record is one identifier in six languages: the tombstone is written when no public page of its
translation group is left (unpublishing only the French translation leaves the record there).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .kinds import kind_of, stored_identifier
from .models import Kind, Tombstone


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


@receiver(post_delete, sender=Page)
def tombstone_on_delete(sender, instance, **kwargs):
    """Wagtail unpublishes a live page before deleting it (``page_unpublished``), which buried it;
    its tombstone now says why. A draft deleted was never seen by a harvester and leaves none."""
    Tombstone.objects.filter(page_id=instance.pk).update(reason=Tombstone.Reason.DELETED, at=timezone.now())


@receiver(page_published)
def tombstone_lifted_on_publish(sender, instance, **kwargs):
    kind = kind_of(type(instance))
    if kind is None or instance.alias_of_id:
        return
    Tombstone.objects.filter(kind=kind, identifier=stored_identifier(kind, instance)).delete()


# --- award results: one identifier per cycle (its translation key), public while its results are --
def _results_public(cycle_page) -> bool:
    from content_types.awards.models import AwardResult

    return (
        Page.objects.live().public().filter(translation_key=cycle_page.translation_key, alias_of__isnull=True).exists()
        and AwardResult.objects.filter(
            cycle__translation_key=cycle_page.translation_key, is_published=True, published_at__isnull=False
        ).exists()
    )


def _bury_award(cycle_page, page_id, reason: str) -> None:
    Tombstone.objects.update_or_create(
        kind=Kind.AWARD,
        identifier=str(cycle_page.translation_key),
        defaults={"page_id": page_id, "at": timezone.now(), "reason": reason},
    )


def _lift_award(cycle_page) -> None:
    Tombstone.objects.filter(kind=Kind.AWARD, identifier=str(cycle_page.translation_key)).delete()


def connect_award_receivers() -> None:
    """Award results were public while published (``is_published`` with a time) on a live, public
    cycle page: withdrawing them (unpublished, deleted, or the cycle's page unpublished) leaves a
    tombstone; publishing them again lifts it."""
    from django.db.models.signals import pre_save

    from content_types.awards.models import AwardCyclePage, AwardResult

    result_model = AwardResult

    def remember_state(sender, instance, **kwargs):
        instance._was_published = bool(
            instance.pk
            and result_model.objects.filter(pk=instance.pk, is_published=True, published_at__isnull=False).exists()
        )

    def result_saved(sender, instance, created, **kwargs):
        cycle = instance.cycle
        if _results_public(cycle):
            _lift_award(cycle)
        elif getattr(instance, "_was_published", False) and not _results_public(cycle):
            _bury_award(cycle, cycle.pk, Tombstone.Reason.WITHDRAWN)

    def result_deleted(sender, instance, **kwargs):
        if instance.is_published and instance.published_at:
            try:
                cycle = instance.cycle
            except AwardCyclePage.DoesNotExist:  # the cycle is being deleted; its page's row stays until then
                return
            _bury_award(cycle, cycle.pk, Tombstone.Reason.DELETED)

    def cycle_unpublished(sender, instance, **kwargs):
        if instance.alias_of_id or _group_still_public(instance):
            return
        if result_model.objects.filter(
            cycle__translation_key=instance.translation_key, is_published=True, published_at__isnull=False
        ).exists():
            _bury_award(instance, instance.pk, Tombstone.Reason.WITHDRAWN)

    def cycle_published(sender, instance, **kwargs):
        if not instance.alias_of_id and _results_public(instance):
            _lift_award(instance)

    pre_save.connect(remember_state, sender=result_model, weak=False, dispatch_uid="interop_api_award_state")
    post_save.connect(result_saved, sender=result_model, weak=False, dispatch_uid="interop_api_award_saved")
    post_delete.connect(result_deleted, sender=result_model, weak=False, dispatch_uid="interop_api_award_deleted")
    page_unpublished.connect(
        cycle_unpublished, sender=AwardCyclePage, weak=False, dispatch_uid="interop_api_cycle_unpublished"
    )
    page_published.connect(
        cycle_published, sender=AwardCyclePage, weak=False, dispatch_uid="interop_api_cycle_published"
    )
