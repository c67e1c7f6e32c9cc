"""Facet filters at scale (PostgreSQL): a filter reads the index of the visitor language's codes
(``chm_search_locale_codes``), never another language's entries, and counts what it must."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from search.backends.database import DatabaseBackend
from search.service import SearchQuery

from .test_scale import corpus, exact_counts, facet_counts, search  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_a_filter_counts_the_visitor_languages_entries(corpus):  # noqa: F811
    _keys, documents = corpus
    results = search(country=["FR"], page_size=5)

    total, counts = exact_counts(documents, lambda document: True, country=["FR"])
    assert (results.total, facet_counts(results)["year"]) == (total, counts["year"])
    assert all(hit.locale == "en" for hit in results.hits)


def test_a_code_of_another_language_is_not_matched(corpus):  # noqa: F811
    keys, documents = corpus
    # One record classified CN in French only: an English filter on CN must not find it.
    changed = [document for document in documents if document.translation_key == keys[0]]
    for document in changed:
        if document.locale == "fr":
            document.codes = {**document.codes, "country": ["CN"], "year": ["2031"]}
    DatabaseBackend().replace([keys[0]], changed)

    assert search(year=["2031"], language="fr", page_size=5).total == 1
    assert search(year=["2031"], language="en", page_size=5).total == 0


def test_the_filter_reads_the_per_language_index(corpus):  # noqa: F811
    query = SearchQuery(text="", filters={"country": ["FR", "KE"]}, language="fr")
    sql, params = DatabaseBackend().matching(query).query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE chm_search_searchentry")
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")  # a tiny table
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "chm_search_locale_codes_gin" in plan
    assert "fr|country:FR" in plan and "fr|country:KE" in plan
    assert "en|" not in plan


def test_a_lone_filter_counts_its_own_facet_from_the_maintained_counts(corpus):  # noqa: F811
    _keys, documents = corpus
    with CaptureQueriesContext(connection) as captured:
        results = search(country=["FR"], page_size=5)

    total, counts = exact_counts(documents, lambda document: True, country=["FR"])
    assert (results.total, facet_counts(results)) == (total, counts)  # every facet exact
    assert not results.estimated
    # The country facet without its filter is every English entry: read from the maintained counts,
    # never counted over the entries (every counting statement holds the filter).
    counting = [query["sql"] for query in captured.captured_queries if "jsonb_array_elements_text" in query["sql"]]
    assert counting and all("en|country:FR" in statement for statement in counting)
