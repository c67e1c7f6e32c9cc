"""Celery tasks of the search: bring the index up to date after pages change."""

from celery import shared_task

BATCH_SIZE = 200
MAX_RETRIES = 6  # about two hours of backoff; ``manage.py reindex`` repairs anything older


@shared_task(bind=True, ignore_result=True, max_retries=MAX_RETRIES)
def update_search_index(self, translation_keys: list[str]) -> int:
    """Re-read these translation groups from the database and write (or remove) their documents.

    The database index is written first; when the search server refuses, the task is retried later
    with a growing delay (in a worker), while searches fall back to the database meanwhile.
    """
    from .service import SearchService

    service = SearchService()
    keys = sorted({str(key) for key in translation_keys})
    written = 0
    try:
        for start in range(0, len(keys), BATCH_SIZE):
            written += service.index_translation_keys(keys[start : start + BATCH_SIZE])
    except service.backend.unavailable_errors as error:
        if self.request.is_eager:
            raise
        raise self.retry(exc=error, countdown=min(60 * 2**self.request.retries, 3600)) from error
    purge_search_results()
    return written


def purge_search_results() -> None:
    """Tell the caching proxies that the search results (pages, API, suggestions) changed, now that the
    index holds the change. The publish's own purge, sent when its transaction commits, runs beside this
    task in another worker: a search asked for in between may be answered from the index as it was,
    and kept by the proxy for the pages' whole shared lifetime without this second purge."""
    from cms.frontend_purge import SEARCH, purge_pages, purge_urls

    if purge_urls():
        purge_pages([SEARCH])
