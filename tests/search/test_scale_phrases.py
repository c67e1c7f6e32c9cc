"""Texts the planner underestimates (several lexemes that come together: the parts of a hyphenated
word, Chinese bigrams) at scale: a common one is estimated from the sample, whose statement reads the
sample and no more; a rare one is still counted exactly; the newest matches of a common text are
found through the years or by walking the date index, the same as the planner's own plan finds them."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from search.backends import database
from search.backends.database import SAMPLE_PLAN_SQL, DatabaseBackend
from search.service import SearchQuery

from .test_scale import make_documents, search

pytestmark = pytest.mark.django_db
EXACT = 15


@pytest.fixture
def phrases(db, settings, monkeypatch):
    """60 records (120 entries): "salt-marsh" in the body of 45, "peat-bog" in 5; statistics made.

    The planner multiplies the frequencies of salt-marsh's three lexemes (0.75³ of 60 entries, fewer
    than twice the limit): it underestimates the phrase, as it does at scale."""
    settings.SEARCH_EXACT_LIMIT = EXACT
    settings.SEARCH_SAMPLE_ROWS = 119  # a sample of (almost) every page: the figures are near the truth
    monkeypatch.setattr(database, "FACET_CACHE_SECONDS", 0)
    monkeypatch.setattr(database, "SAMPLE_SURE_MATCHES", 5)  # the 30 of production need a bigger index
    monkeypatch.setattr(database, "SAMPLE_SURE_FACTOR", 2)
    # As at scale, a common phrase is in more texts than are read first (a rare one is not).
    monkeypatch.setattr(database, "TEXT_IDS", 20)
    keys, documents = make_documents(60)
    numbers = {key: number for number, key in enumerate(keys)}
    for document in documents:
        number = numbers[document.translation_key]
        extra = (["salt-marsh"] if number % 4 else []) + (["peat-bog"] if number < 5 else [])
        document.body = " ".join([document.body, *extra])
    DatabaseBackend().clear()
    DatabaseBackend().replace(keys, documents)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE chm_search_searchtext")
        cursor.execute("ANALYZE chm_search_searchentry")
    return keys, documents


def statements(text: str) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        results = search(text, page_size=5)
    return results, [query["sql"] for query in captured.captured_queries]


def test_the_bound_is_the_rarest_lexemes_frequency(phrases):
    backend = DatabaseBackend()
    with connection.cursor() as cursor:
        assert backend._bound(cursor, "alpha") == 0.0  # one lexeme: the planner's own figure is good
        common = backend._bound(cursor, "salt-marsh")
        rare = backend._bound(cursor, "peat-bog")
    assert common > 0.5  # 45 of 60 texts, in each parse
    assert 0 < rare < 0.3


def test_a_common_phrase_is_estimated_from_the_sample(phrases):
    results, sql = statements("salt-marsh")

    assert results.estimated
    assert results.total > 2 * EXACT
    # Decided by the sample: the exact count (reading up to the limit's matches) never ran.
    assert any("TABLESAMPLE" in statement for statement in sql)
    assert not any(f"LIMIT {EXACT + 1}" in statement for statement in sql)
    assert len(results.hits) == 5


def test_a_rare_phrase_of_common_parts_is_still_exact(phrases):
    results, sql = statements("peat-bog")

    assert not results.estimated
    assert results.total == 5
    assert not any("TABLESAMPLE" in statement for statement in sql)
    assert sorted(hit.page_id for hit in results.hits) == [1, 2, 3, 4, 5]


def test_the_sample_statement_reads_the_sample_only(phrases):
    _results, sql = statements("salt-marsh")
    sampled = next(statement for statement in sql if "TABLESAMPLE" in statement)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SAMPLE_PLAN_SQL)
        cursor.execute(f"EXPLAIN {sampled}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Every texts row is reached by primary key from a sampled entry, never from the text's index.
    assert "Sample Scan" in plan
    assert "Bitmap" not in plan
    assert "Seq Scan" not in plan


@pytest.mark.parametrize("text", ["salt-marsh", "alpha"])
def test_walking_the_date_index_finds_the_newest_matches(phrases, text):
    backend = DatabaseBackend()
    query = SearchQuery(text=text, language="en", page_size=5)
    with CaptureQueriesContext(connection) as captured:
        walked = set(backend._candidates(query, share=0.9).values_list("pk", flat=True))
    planned = set(backend._candidates(query, share=0.0).values_list("pk", flat=True))

    assert walked == planned and walked
    assert any("LIMIT 1" in query["sql"] and "ORDER BY" in query["sql"] for query in captured.captured_queries)


def test_a_word_nowhere_is_bounded_and_empty(phrases, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        results = search("salt-nowhere", page_size=5)
    assert (results.total, results.hits, results.estimated) == (0, [], False)


def test_the_candidates_are_read_by_their_ids(phrases):
    """The ranking reads the candidates by id and checks each one's text by primary key: the planner,
    which expects a phrase in one text, never starts from the vectors' index (at 100,000 records it
    read 4,263 texts holding a hyphenated word's parts to rank 193 candidates, 139 ms)."""
    query = SearchQuery(text="salt-marsh", filters={}, language="en", page_size=5)
    candidates = DatabaseBackend()._candidates(query, 0.5)
    sql, params = candidates.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "chm_search_text_vector_gin" not in plan
    assert "chm_search_searchtext_pkey" in plan  # each candidate's text, by its primary key
