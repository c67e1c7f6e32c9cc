"""Celery tasks of the search: bring the index up to date after pages change."""

from celery import shared_task

BATCH_SIZE = 200


@shared_task(ignore_result=True)
def update_search_index(translation_keys: list[str]) -> int:
    """Re-read these translation groups from the database and write (or remove) their documents."""
    from .service import SearchService

    service = SearchService()
    keys = sorted({str(key) for key in translation_keys})
    written = 0
    for start in range(0, len(keys), BATCH_SIZE):
        written += service.index_translation_keys(keys[start : start + BATCH_SIZE])
    return written
