"""Which side of a search is read first (PostgreSQL): the planner misjudges both (the language in
every filter code, the lexemes of one word), so the backend decides from the maintained counts and
the vectors' statistics — and every way of reading finds the same entries."""

import dataclasses
import datetime
import uuid

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from search.backends import database
from search.backends.database import PER_ENTRY, TEXTS_FIRST, DatabaseBackend, _IndexSizes
from search.indexing import SearchDocument
from search.models import SearchEntry, SearchFacetCount
from search.service import SearchQuery

from .test_scale import corpus, exact_ranking, page_ids, search  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed(corpus, settings):  # noqa: F811
    settings.SEARCH_SAMPLE_ROWS = 40  # the corpus holds 120 entries: the backend chooses, as at scale
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE chm_search_searchtext")
        cursor.execute("ANALYZE chm_search_searchentry")
    return corpus


def entries(query, text_mode=None) -> set[int]:
    return set(DatabaseBackend().matching(query, text_mode=text_mode).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("text", "filters"),
    [
        ("wetland", {}),
        ("alpha", {}),
        ("alpha", {"country": ["FR", "KE"], "target": ["GBF-T3"]}),
        ("restoring peatland", {"type": ["records.needpage"]}),
        ("CHM-NEED-FR-2026-0007", {}),
        ("nowhere", {"country": ["FR"]}),
    ],
)
def test_every_way_of_reading_finds_the_same_entries(analysed, text, filters):
    query = SearchQuery(text=text, filters=filters, language="en")
    planned = entries(query)
    assert entries(query, TEXTS_FIRST) == planned
    assert entries(query, PER_ENTRY) == planned
    # As a sample reads them: the filters checked on each row's own codes.
    sampled = DatabaseBackend().matching(query, row_by_row=True)
    assert set(sampled.values_list("pk", flat=True)) == planned


def test_a_rare_text_is_read_first_and_a_common_one_per_filtered_entry(analysed):
    backend = DatabaseBackend()
    sizes = _IndexSizes("en", ["type:records.needpage", "country:FR", "target:GBF-T3"])
    rare = SearchQuery(text="wetland", filters={"type": ["records.needpage"]}, language="en")
    assert backend._text_mode(rare, sizes, rare.filters) == TEXTS_FIRST
    narrow = {"type": ["records.needpage"], "country": ["FR"], "target": ["GBF-T3"]}
    common = SearchQuery(text="alpha", filters=narrow, language="en")
    assert sizes.filtered_rows(narrow) < 20  # fewer entries than the 40 texts holding alpha, halved
    assert backend._text_mode(common, sizes, common.filters) == PER_ENTRY


def test_the_filters_entries_come_from_the_maintained_counts(analysed):
    _keys, documents = analysed
    sizes = _IndexSizes("en", ["country:FR", "country:KE", "target:GBF-T3"])
    english = [document for document in documents if document.locale == "en"]
    fr_or_ke = sum(
        document.codes["country"].count("FR") + document.codes["country"].count("KE") for document in english
    )
    t3 = sum("GBF-T3" in document.codes["target"] for document in english)
    assert sizes.filtered_rows({"country": ["FR", "KE"], "target": ["GBF-T3"]}) == min(fr_or_ke, t3)
    assert sizes.filtered_rows({}) == sizes.locale_rows() == 60


def test_searches_read_either_way_stay_exact(analysed, monkeypatch):
    monkeypatch.setattr(database, "FACET_CACHE_SECONDS", 0)
    reference = exact_ranking("wetland")
    assert page_ids(search("wetland", page_size=20)) == reference
    filtered = exact_ranking("alpha", country=["FR"], target=["GBF-T3"], type=["records.needpage"])
    results = search("alpha", country=["FR"], target=["GBF-T3"], type=["need"], page_size=20)
    assert not results.estimated
    assert page_ids(results) == filtered


def test_a_phrase_is_never_read_first(analysed):
    # The index cannot answer a phrase alone: reading its texts first would read the vector of every
    # text holding its words.
    backend = DatabaseBackend()
    sizes = _IndexSizes("en", ["type:records.needpage"])
    query = SearchQuery(text='"forest river"', filters={"type": ["records.needpage"]}, language="en")
    assert backend._text_mode(query, sizes, query.filters) == PER_ENTRY
    assert entries(query, PER_ENTRY) == entries(query)


def newest(query, size: int) -> list[int]:
    """The reference: the ``size`` newest matches, as the planner reads them."""
    by_date = DatabaseBackend().matching(query).order_by(F("date").desc(nulls_last=True), F("pk").desc())
    return list(by_date.values_list("pk", flat=True)[:size])


@pytest.mark.parametrize(
    ("text", "filters", "language"),
    [
        ("alpha", {}, "en"),
        ("alpha", {}, "fr"),
        ("forest", {"country": ["FR", "KE"]}, "en"),
        ("alpha", {"year": ["2016", "2019", "2022"]}, "en"),
        ("alpha", {"year": ["2019"], "type": ["records.needpage"]}, "fr"),
        ("restoring peatland", {}, "en"),
    ],
)
@pytest.mark.parametrize("share", [0.02, 0.3, 0.9])
def test_the_newest_matches_read_through_the_years_are_the_newest(
    analysed, monkeypatch, text, filters, language, share
):
    """Whatever the estimate (``share``: too low, it reads year after year; too high, more than needed),
    the years' texts give exactly the newest matches, and a walk over the newest entries the same."""
    monkeypatch.setattr(database, "CANDIDATES", 7)
    query = SearchQuery(text=text, filters=filters, language=language, sort="date", page_size=5)
    backend = DatabaseBackend()
    reference = newest(query, 7)
    through_years = backend._newest_through_years(query, share, 7, most=10_000)
    if len(newest(query, 1_000)) < 7:
        assert through_years is None  # fewer dated matches than wanted: the general way
    elif share >= 0.3:
        assert through_years == reference
    else:  # an estimate far too low for a common word: a few times what it expects, else the walk
        assert through_years in (None, reference)
    walked = backend._candidates(query, share)  # sort by date: the newest matches alone
    assert set(walked.values_list("pk", flat=True)) == set(reference)


def test_the_years_are_read_in_few_steps(analysed, django_assert_max_num_queries):
    """An estimate far too low (one match expected in all) still reads every year in a few steps:
    each step takes at least as many years as all the steps before."""
    query = SearchQuery(text="wetland", filters={}, language="en", page_size=5)
    years = SearchFacetCount.objects.filter(locale="en", code__startswith="year:").count()
    assert years >= 5
    steps = taken = 0
    while taken < years:
        taken += max(1, taken)  # 1, 1, 2, 4, ... years
        steps += 1
    assert steps < years
    # the years' counts, the steps, the entries
    with django_assert_max_num_queries(1 + steps + 1):
        ids = DatabaseBackend()._newest_through_years(query, 0.0001, 5, most=10_000)
    assert ids == newest(query, 5)


def test_entries_without_a_date_are_found_the_general_way(analysed, monkeypatch):
    """Entries without a date come after every dated one and hold no year: when the dated matches are
    too few, the years give up and the walk (or the planner) finds the undated ones too."""
    keys, documents = analysed
    undated = [document for document in documents if document.page_id <= 20]
    for document in undated:
        document.date = None
        document.codes = {facet: codes for facet, codes in document.codes.items() if facet != "year"}
    DatabaseBackend().replace(sorted({document.translation_key for document in undated}), undated)
    query = SearchQuery(text="alpha", filters={}, language="en", sort="date", page_size=5)
    everything = newest(query, 1_000)
    assert SearchEntry.objects.filter(pk=everything[-1]).values_list("date", flat=True).get() is None
    dated = SearchEntry.objects.filter(pk__in=everything, date__isnull=False).count()
    monkeypatch.setattr(database, "CANDIDATES", 1)
    size = dated + 2
    assert DatabaseBackend()._newest_through_years(query, 0.5, size, most=10_000) is None
    candidates = DatabaseBackend()._candidates(dataclasses.replace(query, page_size=size), 0.5)
    assert set(candidates.values_list("pk", flat=True)) == set(everything[:size])


def test_more_texts_than_allowed_are_not_read_through_the_years(analysed):
    query = SearchQuery(text="alpha", filters={}, language="en", sort="date", page_size=5)
    # The estimate expects more than allowed: not even read.
    assert DatabaseBackend()._newest_through_years(query, 0.9, 5, most=3) is None
    # The estimate expects few, the index holds more: read, one more than allowed at most.
    assert DatabaseBackend()._newest_through_years(query, 0.001, 5, most=3) is None
    # ... and no more than a few times what the estimate expects (alpha is in two thirds of the entries).
    with CaptureQueriesContext(connection) as captured:
        assert DatabaseBackend()._newest_through_years(query, 0.01, 5, most=10_000) is None
    assert captured.captured_queries[-1]["sql"].endswith("LIMIT 11")  # twice the 5 wanted, and one


@pytest.mark.parametrize("text", ["forest", "alpha", "restoring peatland", "nowhere"])
def test_the_newest_title_matches_are_the_same_through_the_titles_or_a_walk(analysed, text, monkeypatch):
    query = SearchQuery(text=text, filters={"country": ["FR"]}, language="fr", page_size=5)
    backend = DatabaseBackend()
    titled = backend._title_condition(text)
    walked = backend.matching(dataclasses.replace(query, text="")).filter(titled)
    walked = list(walked.order_by(F("date").desc(nulls_last=True), F("pk").desc()).values_list("pk", flat=True)[:7])
    assert backend._newest_titled(query, 7, backend._title_condition(text, "")) == walked
    monkeypatch.setattr(database, "TITLE_ROWS", 0)  # more titles than allowed: left to the planner's walk
    assert backend._newest_titled(query, 7, backend._title_condition(text, "")) is None or not walked


@pytest.mark.parametrize(
    ("text", "filters"),
    [
        ("wetland", {}),
        ("alpha", {}),
        ("alpha", {"country": ["FR", "KE"], "target": ["GBF-T3"], "type": ["records.needpage"]}),
        ("restoring peatland", {"type": ["records.needpage"]}),
        ("CHM-NEED-FR-2026-0007", {}),
        ("nowhere", {"country": ["FR"]}),
    ],
)
@pytest.mark.parametrize("language", ["en", "fr", "zh-hans"])
def test_the_texts_count_what_the_entries_count(analysed, text, filters, language):
    """Counting the texts through the index over their vectors and languages' codes gives the entries'
    count and codes, with every filter and with each facet's filter left out."""
    backend = DatabaseBackend()
    query = SearchQuery(text=text, filters=filters, language=language)
    facets = ["type", "country", "target", "subject", "language"]
    patterns = [f"{facet}:%" for facet in facets]
    for left_out in [None, *filters]:
        queryset = backend.matching(query, exclude_facet=left_out)
        expected = {"*": queryset.count()}
        for codes in queryset.values_list("codes", flat=True):
            for code in codes:
                if code.split(":", 1)[0] in facets:
                    expected[code] = expected.get(code, 0) + 1
        assert backend._texts_where(dataclasses.replace(query, text=""), left_out) is None  # filters alone: entries
        with connection.cursor() as cursor:
            found, ids = backend._count_texts(cursor, backend._texts_where(query, left_out), language, patterns, 10**6)
        assert found == expected
        assert sorted(ids) == sorted(queryset.values_list("text_id", flat=True))  # the matches' texts, each once
        if text == "alpha" and language == "en" and not left_out:
            assert expected["*"] > 0


def test_a_filtered_search_under_the_limit_is_read_from_its_texts_alone(analysed, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(database, "FACET_CACHE_SECONDS", 0)
    filters = {"country": ["FR"], "target": ["GBF-T3"], "type": ["records.needpage"]}
    filtered = exact_ranking("alpha", **filters)
    with CaptureQueriesContext(connection) as captured:
        results = search("alpha", page_size=20, **{**filters, "type": ["need"]})

    assert not results.estimated and results.total == len(filtered)
    assert page_ids(results) == filtered  # ranked exactly, through the texts the count found
    assert not any(option.estimated for facet in results.facets for option in facet.options)
    sql = [query["sql"] for query in captured.captured_queries]
    # Every count (each filtered facet's too) from the texts, under the limit: the text ids are never
    # read apart, nothing over the entries decides how to read them, and the page is read through
    # the texts found.
    assert not any("SELECT DISTINCT id" in statement for statement in sql)
    assert not any(statement.startswith("EXPLAIN") for statement in sql)
    assert any('"text_id" = ANY(' in statement for statement in sql)


@pytest.mark.parametrize("walk", [1, 1000])
def test_a_word_in_many_titles_is_looked_for_among_the_newest_entries(analysed, monkeypatch, walk):
    """More titles than allowed (or a word common enough to be in them): the newest title matches
    among the ``TITLE_WALK`` × candidates newest entries, each one's title checked."""
    monkeypatch.setattr(database, "CANDIDATES", 4)
    monkeypatch.setattr(database, "TITLE_ROWS", 0)
    monkeypatch.setattr(database, "TITLE_WALK", walk)
    query = SearchQuery(text="forest", filters={"country": ["FR"]}, language="en", page_size=4)
    backend = DatabaseBackend()
    monkeypatch.setattr(backend, "_newest_through_years", lambda *args, **kwargs: [])  # the title matches alone
    newest_first = (F("date").desc(nulls_last=True), F("pk").desc())
    filtered = backend.matching(dataclasses.replace(query, text="")).order_by(*newest_first)
    recent = list(filtered.values_list("pk", flat=True)[: walk * 4])
    titled = filtered.filter(backend._title_condition("forest"), pk__in=recent)
    expected = set(titled.values_list("pk", flat=True)[:4])
    assert expected and (walk > 1 or len(expected) < 4)
    candidates = set(backend._candidates(query, 0.001).values_list("pk", flat=True))
    assert candidates == expected


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_search_without_filters_under_the_limit_is_read_from_the_texts_it_counted(analysed, monkeypatch, language):
    """Without filters the count lists the texts too (no more than the limit): the page is read through
    them, and no text ids are read apart to decide how (36-53 ms for a word in 7 % of the entries at
    100,000 records, only to find them more than could be read)."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(database, "FACET_CACHE_SECONDS", 0)
    with CaptureQueriesContext(connection) as captured:
        results = search("wetland", page_size=20, language=language)
    assert not results.estimated
    assert page_ids(results) == exact_ranking("wetland", language=language)
    sql = [query["sql"] for query in captured.captured_queries]
    assert not any("SELECT DISTINCT id" in statement for statement in sql)
    assert any('"text_id" = ANY(' in statement for statement in sql)


def test_the_texts_count_lists_no_texts_past_the_limit(analysed):
    """Past the limit the count's list of texts is empty: it is not the matches' texts."""
    backend = DatabaseBackend()
    query = SearchQuery(text="alpha", filters={}, language="en")
    with connection.cursor() as cursor:
        found, ids = backend._count_texts(cursor, backend._texts_where(query), "en", [], 10)
        assert found["*"] == 11 and ids is None
        found, ids = backend._count_texts(cursor, backend._texts_where(query), "en", [], 100)
    assert found["*"] == len(ids) == len(entries(query))


def test_a_stem_counts_only_in_the_texts_of_the_configurations_that_give_it(analysed):
    """The texts' count checks a parse's configurations on each text's row, not in the index: an
    English stem ("restor", of "restoring") written literally in a Spanish text shown in English is no
    match (as on the entries' side), while the word itself ("restoring", the simple parse) is one."""
    keys, documents = [], []
    for number, body in enumerate(["restor restor", "restoring the river", "restoring wetlands"]):
        key = str(uuid.UUID(int=10**6 + number))
        keys.append(key)
        language = "en" if number == 2 else "es"
        codes = {"type": ["records.needpage"], "country": ["FR"], "target": ["GBF-T3"]}
        documents.append(
            SearchDocument(
                locale="en",
                translation_key=key,
                page_id=1000 + number,
                content_type="records.needpage",
                language=language,
                title=f"Fallback {number}",
                url=f"/en/records/fallback-{number}/",
                summary="",
                body=body,
                identifier=f"CHM-NEED-ES-2026-{number:04d}",
                date=datetime.date(2026, 1, 1),
                codes=codes,
            )
        )
    backend = DatabaseBackend()
    backend.replace(keys, documents)
    query = SearchQuery(text="restoring", filters={"country": ["FR"], "type": ["records.needpage"]}, language="en")
    parses = backend._parses("restoring")
    assert "simple" not in parses["'restor'"]  # a stem of some configurations only: checked on the row
    patterns = ["type:%", "country:%"]
    for left_out in [None, "country", "type"]:
        matched = backend.matching(query, exclude_facet=left_out)
        with connection.cursor() as cursor:
            found, ids = backend._count_texts(cursor, backend._texts_where(query, left_out), "en", patterns, 10**6)
        assert sorted(ids) == sorted(matched.values_list("text_id", flat=True))
        assert found["*"] == matched.count()
    pages = set(backend.matching(query).values_list("page_id", flat=True))
    assert {1001, 1002} <= pages and 1000 not in pages  # the literal stem in the Spanish text is no match


def test_a_filtered_estimate_checks_the_filters_on_the_sampled_rows(analysed, monkeypatch):
    """Past the limit a filtered search is counted in a sample, row by row: its filters are checked on
    each sampled row's codes, not through the language-prefixed codes built for the index (a function
    call per row and filter, 9 of the sample's 10 ms at 100,000 records)."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(database, "FACET_CACHE_SECONDS", 0)
    with CaptureQueriesContext(connection) as captured:
        results = search("alpha", country=["FR", "KE"], type=["need", "offer"])
    assert results.estimated
    sampled = [query["sql"] for query in captured.captured_queries if "TABLESAMPLE" in query["sql"]]
    assert sampled
    for statement in sampled:
        assert "chm_search_locale_codes" not in statement
        assert '"codes" @> ' in statement


def test_a_sampled_entry_s_text_is_matched_once(analysed, monkeypatch):
    """A text not read first (more texts than ``TEXT_IDS``) is checked on each sampled entry's own text:
    once, every parse in one tsquery with its configurations' marks (the same entries as every other way
    of reading: ``test_every_way_of_reading_finds_the_same_entries``, "restoring peatland"). Each ``@@``
    reads the whole vector again, out of line: a common word in three configurations took 21 ms instead
    of 11 for one sample."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(database, "FACET_CACHE_SECONDS", 0)
    monkeypatch.setattr(database, "TEXT_IDS", 0)
    with CaptureQueriesContext(connection) as captured:
        results = search("training", country=["FR", "KE"])
    assert results.estimated
    sampled = [query["sql"] for query in captured.captured_queries if "TABLESAMPLE" in query["sql"]]
    assert sampled
    for statement in sampled:
        assert statement.count("@@") == 1
        assert "config:english" in statement  # "training": 'train' in English, 'training' verbatim
