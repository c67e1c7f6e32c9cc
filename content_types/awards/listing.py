"""The award cycles of the Awards section: the open and current ones, then the archive."""

from django.utils import timezone

from content_types.base.languages import prime_text_languages

from .models import AwardCyclePage, AwardResult


def cycles_of_section(section) -> dict:
    """``current`` (soonest announcement first) and ``archive`` (latest first) cycles under
    ``section``; two queries whatever their number."""
    today = timezone.localdate()
    cycles = list(AwardCyclePage.objects.child_of(section).live().public().order_by("announcement", "pk"))
    published = set(
        AwardResult.objects.filter(
            is_published=True, cycle__translation_key__in=[cycle.translation_key for cycle in cycles]
        ).values_list("cycle__translation_key", flat=True)
    )
    for cycle in cycles:
        result = AwardResult(is_published=True) if cycle.translation_key in published else None
        cycle._result = result
    prime_text_languages(cycles)
    current = [cycle for cycle in cycles if not cycle.is_archived(today)]
    archive = [cycle for cycle in cycles if cycle.is_archived(today)]
    archive.reverse()
    return {"current_cycles": current, "archived_cycles": archive}
