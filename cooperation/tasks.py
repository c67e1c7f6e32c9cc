"""Celery tasks of matchmaking: recompute the suggestions after records change."""

from celery import shared_task


@shared_task(ignore_result=True)
def refresh_suggestions(translation_keys: list[str]) -> int:
    """Recompute the suggestions of these need, offer and expert families (after a publish or unpublish)."""
    from .suggestions import refresh_families

    return refresh_families(translation_keys)
