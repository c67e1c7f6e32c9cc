"""Fixtures of the search tests: publishing through Wagtail (so that the signals fire and the
on-commit task runs), translations and aliases, and a shortcut to search."""

import pytest

from search.service import SearchQuery, SearchService


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """``publish(page, ...)``: publish each page's latest content as Wagtail does, then run the index task."""

    def run(*pages):
        with django_capture_on_commit_callbacks(execute=True):
            for page in pages:
                page.save_revision().publish()
        return pages[0] if len(pages) == 1 else pages

    return run


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """A context manager that runs the on-commit callbacks (the index task) of what happens inside."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def translate(translate_to):
    """``translate(page, "fr", **fields)``: the shared ``translate_to`` (``alias=True`` for an alias)."""
    return translate_to


@pytest.fixture
def search(db):
    """``search("words", language="fr", country=["FR"], sort="date")`` → SearchResults."""

    def run(text: str = "", language: str = "en", *, sort: str = "relevance", page: int = 1, page_size=20, **filters):
        query = SearchQuery(text=text, filters=filters, sort=sort, page=page, page_size=page_size, language=language)
        return SearchService().search(query)

    return run


def titles(results) -> list[str]:
    return [hit.plain_title for hit in results.hits]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached facet counts must not travel from one test's (rolled back) data to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
