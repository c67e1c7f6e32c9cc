"""The database backend at scale (PostgreSQL): a search is exact up to ``SEARCH_EXACT_LIMIT`` matches —
the first page identical to ranking every match, the total and the facet counts exact — and beyond
it estimated and flagged ("about …"); browsing everything reads the maintained facet counts, which
follow every write of the index; each kind of search costs a bounded number of queries.

The corpus is written straight through the backend's write path (as the benchmark does), with small
limits, so that both sides of the threshold are reached with a few dozen records."""

import datetime
import random
import uuid
from collections import Counter

import pytest
from django.db import connection

from search.backends import database
from search.backends.database import DatabaseBackend
from search.indexing import SearchDocument
from search.models import SearchFacetCount
from search.service import SearchQuery, SearchService, rounded

pytestmark = pytest.mark.django_db

LIMIT = 10
COUNTRIES = ["FR", "KE", "BR", "CN"]
TARGETS = ["GBF-T1", "GBF-T3", "GBF-T6"]
TYPE_CODES = {"records.needpage": "need", "records.offerpage": "offer"}  # as the search page writes them
FILLER = ["monitoring", "capacity", "training", "taxonomy", "forest", "river", "soil", "island", "grassland", "desert"]


def make_documents(count: int, seed: int = 3) -> tuple[list[str], list[SearchDocument]]:
    """``count`` records in English and French. Record n's title holds "alpha" when n % 3 == 0,
    its body "alpha" when n % 2 == 0 (so alpha matches two thirds of them, in titles or bodies with
    different weights), "wetland" in exactly 7 records, "peatland" in exactly 11."""
    rng = random.Random(seed)
    keys, documents = [], []
    for number in range(count):
        key = str(uuid.UUID(int=rng.getrandbits(128)))
        keys.append(key)
        title_words = rng.sample(FILLER, 3) + (["alpha"] if number % 3 == 0 else [])
        body_words = rng.choices(FILLER, k=rng.randint(5, 40)) + (
            ["alpha"] * rng.randint(1, 3) if number % 2 == 0 else []
        )
        if number < 7:
            body_words.append("wetland")
        if 20 <= number < 31:
            title_words.append("peatland")
        rng.shuffle(body_words)
        published = datetime.date(2015, 1, 1) + datetime.timedelta(days=(number * 37) % 3000)
        codes = {
            "type": [rng.choice(["records.needpage", "records.offerpage"])],
            "country": sorted(set(rng.sample(COUNTRIES, rng.randint(1, 2)))),
            "target": [rng.choice(TARGETS)],
            "year": [str(published.year)],  # as the indexer gives it: the date's year
            "source": ["local"],
        }
        for locale in ("en", "fr"):
            documents.append(
                SearchDocument(
                    locale=locale,
                    translation_key=key,
                    page_id=number + 1,
                    content_type=codes["type"][0],
                    language="en",
                    title=" ".join(title_words).capitalize(),
                    url=f"/{locale}/records/record-{number}/",
                    summary="",
                    body=" ".join(body_words),
                    identifier=f"CHM-NEED-FR-2026-{number:04d}",
                    date=published,
                    codes=codes,
                )
            )
    return keys, documents


@pytest.fixture
def corpus(db, settings):
    settings.SEARCH_EXACT_LIMIT = LIMIT
    database_facet_cache = database.FACET_CACHE_SECONDS
    database.FACET_CACHE_SECONDS = 0
    keys, documents = make_documents(60)
    DatabaseBackend().clear()  # only this corpus (the site's own pages may be indexed already)
    DatabaseBackend().replace(keys, documents)
    yield keys, documents
    database.FACET_CACHE_SECONDS = database_facet_cache


def search(text="", language="en", page=1, page_size=5, sort="relevance", **filters):
    query = SearchQuery(text=text, filters=filters, language=language, page=page, page_size=page_size, sort=sort)
    return SearchService().search(query)


def exact_ranking(text: str, language: str = "en", **filters) -> list[int]:
    """Every match ranked as the backend ranks (title and identifier weigh most, then summary and
    tags, then body), newest first among equals: the reference the fast path must agree with."""
    conditions, params = [], [text, text, text, text, language]
    for facet, values in filters.items():
        conditions.append("(" + " OR ".join(["e.codes @> %s::jsonb"] * len(values)) + ")")
        params += [f'["{facet}:{value}"]' for value in values]
    where = "".join(f" AND {condition}" for condition in conditions)
    sql = f"""
        WITH q AS (SELECT websearch_to_tsquery('english', %s) || websearch_to_tsquery('simple', %s) AS query,
                          websearch_to_tsquery('english', %s) AS english, websearch_to_tsquery('simple', %s) AS plain)
        SELECT e.page_id FROM chm_search_searchentry e JOIN chm_search_searchtext t ON t.id = e.text_id, q
        WHERE e.locale = %s AND (t.search_vector @@ q.english OR t.search_vector @@ q.plain){where}
        ORDER BY ts_rank('{{0.05,0.2,0.4,1.0}}', t.search_vector, q.query)
                 + ts_rank('{{0,0,0,1.0}}', t.search_vector, q.query) DESC,
                 e.date DESC NULLS LAST, e.id DESC
    """  # noqa: S608 - the conditions are constant text, the values parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def exact_counts(documents, text_filter, language="en", **filters) -> tuple[int, dict]:
    """Total and facet counts counted in Python over the documents (every facet without its own filter)."""
    rows = [document for document in documents if document.locale == language and text_filter(document)]

    def keep(document, exclude=None):
        return all(
            set(values) & set(document.codes.get(facet, [])) for facet, values in filters.items() if facet != exclude
        )

    counts = {}
    for facet in ("type", "country", "target", "year"):
        counter = Counter(code for document in rows if keep(document, facet) for code in document.codes.get(facet, []))
        counts[facet] = dict(counter)
    counts["type"] = {TYPE_CODES[label]: number for label, number in counts["type"].items()}
    return sum(1 for document in rows if keep(document)), counts


def page_ids(results) -> list[int]:
    return [hit.page_id for hit in results.hits]


def facet_counts(results) -> dict:
    return {
        facet.name: {option.value: option.count for option in facet.options if option.count}
        for facet in results.facets
        if facet.name in ("type", "country", "target", "year")
    }


def test_a_selective_query_ranks_and_counts_exactly(corpus):
    _keys, documents = corpus
    reference = exact_ranking("wetland")
    assert len(reference) == 7 <= LIMIT

    results = search("wetland", page_size=5)

    assert not results.estimated
    assert results.total == 7
    assert page_ids(results) == reference[:5]
    assert page_ids(search("wetland", page=2, page_size=5)) == reference[5:]
    total, counts = exact_counts(documents, lambda document: "wetland" in document.body)
    assert (results.total, facet_counts(results)) == (total, counts)
    assert not any(option.estimated for facet in results.facets for option in facet.options)


def test_exact_up_to_the_limit_itself(corpus, settings):
    settings.SEARCH_EXACT_LIMIT = 11
    reference = exact_ranking("peatland")
    assert len(reference) == 11

    results = search("peatland", page_size=20)

    assert (results.estimated, results.total, page_ids(results)) == (False, 11, reference)


def test_filters_and_text_below_the_limit_are_exact(corpus):
    _keys, documents = corpus
    reference = exact_ranking("alpha", country=["FR"], target=["GBF-T3"])
    assert 0 < len(reference) <= LIMIT

    results = search("alpha", country=["FR"], target=["GBF-T3"], page_size=20)

    assert not results.estimated
    assert page_ids(results) == reference
    total, counts = exact_counts(
        documents,
        lambda document: "alpha" in document.title.lower() or "alpha" in document.body,
        country=["FR"],
        target=["GBF-T3"],
    )
    assert results.total == total
    # Country and target are counted without their own filter: more than LIMIT matches there, so
    # those two facets are estimated (and flagged), the others exact.
    estimated = {facet.name for facet in results.facets if any(option.estimated for option in facet.options)}
    assert estimated <= {"country", "target"}
    for facet in ("type", "year"):
        assert facet_counts(results)[facet] == counts[facet]


def test_beyond_the_limit_the_total_is_estimated_and_flagged(corpus, settings):
    settings.SEARCH_SAMPLE_ROWS = 40  # the corpus holds 120 rows: the estimate reads a sample
    every = exact_ranking("alpha")
    assert len(every) == 40

    results = search("alpha", page_size=5)

    assert results.estimated
    assert results.total > LIMIT
    assert results.total == rounded(results.total, 3)
    # Every candidate is ranked here (fewer matches than candidates): the first page is still exact.
    assert page_ids(results) == every[:5]


def test_beyond_the_limit_only_the_best_candidates_are_ranked(corpus, settings, monkeypatch):
    _keys, documents = corpus
    settings.SEARCH_SAMPLE_ROWS = 40
    monkeypatch.setattr(database, "CANDIDATES", 4)
    every = exact_ranking("alpha")
    titled = {document.page_id for document in documents if "alpha" in document.title.lower()}

    results = search("alpha", page_size=4)

    assert results.estimated
    ids = page_ids(results)
    assert len(ids) == 4 and set(ids) <= set(every)
    assert ids[0] in titled  # the best ranked are title matches, found through the title condition
    scores = [hit.score for hit in results.hits]
    assert scores == sorted(scores, reverse=True)


def test_an_estimate_without_a_sample_is_exact(corpus):
    # The whole index is smaller than the sample: beyond the limit it is counted entirely.
    _keys, documents = corpus
    results = search("alpha", page_size=5)

    total, counts = exact_counts(
        documents, lambda document: "alpha" in document.title.lower() or "alpha" in document.body
    )
    assert (results.estimated, results.total, facet_counts(results)) == (False, total, counts)
    assert page_ids(results) == exact_ranking("alpha")[:5]


def test_browsing_everything_reads_the_maintained_counts(corpus, django_assert_max_num_queries):
    _keys, documents = corpus
    with django_assert_max_num_queries(8):
        results = search(page_size=5)
    total, counts = exact_counts(documents, lambda document: True)
    assert (results.estimated, results.total, facet_counts(results)) == (False, total, counts)
    newest = sorted((d for d in documents if d.locale == "en"), key=lambda d: d.date, reverse=True)
    assert page_ids(results) == [document.page_id for document in newest[:5]]


def test_the_maintained_counts_follow_every_write(corpus):
    keys, documents = corpus
    backend = DatabaseBackend()

    def maintained():
        return {(c.locale, c.code): c.count for c in SearchFacetCount.objects.all() if c.count}

    def recounted():
        backend.recount()
        return maintained()

    changed = [document for document in documents if document.translation_key == keys[0]]
    for document in changed:
        document.codes = {**document.codes, "country": ["CN"], "year": ["2030"]}
    backend.replace([keys[0]], changed)  # reclassified
    backend.replace([keys[1]], [])  # unpublished
    after_writes = maintained()

    assert after_writes == recounted()
    assert after_writes[("en", "*")] == 59
    assert after_writes[("en", "year:2030")] == 1
    assert search(page_size=5).total == 59


def test_query_counts_are_bounded(corpus, settings, django_assert_max_num_queries):
    settings.SEARCH_SAMPLE_ROWS = 40
    # parse; per facet group (all, and each filtered facet): plan, count, sample (in a savepoint,
    # with its two settings); hits — the labels come from the cache
    with django_assert_max_num_queries(22):
        search("alpha", country=["FR"], target=["GBF-T3"], type=["need"])
    # index sizes, parse, plan, count, sample (savepoint, settings, sample, reset, release); the newest
    # matches: the years' counts, the texts of the newest year, their entries; the newest title matches:
    # their texts, their entries; hits
    with django_assert_max_num_queries(15):
        assert search("alpha").estimated
    # index sizes, parse, plan, count (which lists the texts: no more than the limit), hits (and the
    # labels once)
    with django_assert_max_num_queries(6):
        assert not search("wetland").estimated


def test_the_page_says_about_for_an_estimate(site_pages, corpus, settings, client):
    settings.SEARCH_SAMPLE_ROWS = 40
    html = client.get("/en/search/", {"q": "alpha"}).content.decode()
    assert "about" in html
    exact = client.get("/en/search/", {"q": "wetland"}).content.decode()
    assert "7 results" in exact
    assert "about" not in exact.split('class="count"')[1].split("</p>")[0]


def test_the_api_flags_an_estimate(site_pages, corpus, settings, client):
    settings.SEARCH_SAMPLE_ROWS = 40
    estimated = client.get("/api/search/", {"q": "alpha"}).json()
    exact = client.get("/api/search/", {"q": "wetland"}).json()
    assert estimated["total_estimated"] is True and estimated["total"] > LIMIT
    assert exact["total_estimated"] is False and exact["total"] == 7


def test_rounded_estimates():
    assert [rounded(n, 3) for n in (0, 7, 999, 12437, 12450, 123456)] == [0, 7, 999, 12400, 12400, 123000]
    assert rounded(1234, 2) == 1200
