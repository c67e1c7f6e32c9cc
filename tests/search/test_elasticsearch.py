"""The Elasticsearch backend without a server: the generated mappings and queries (their
``to_dict()``), the parsing of responses, and the index-alias life cycle against a recording client."""

import datetime

import pytest

from search.backends import elasticsearch as es_backend
from search.backends.elasticsearch import (
    ElasticsearchBackend,
    build_search,
    build_spelling,
    build_suggest,
    parse_response,
)
from search.documents import LANGUAGE_ANALYZERS, PageDocument, build_index
from search.indexing import FACETS, SearchDocument
from search.service import SearchQuery
from search.text import HIGHLIGHT_START, HIGHLIGHT_STOP


@pytest.fixture
def mapping():
    return build_index("chm-pages-test").to_dict()


def test_every_text_field_has_one_sub_field_per_language_with_its_builtin_analyser(mapping):
    properties = mapping["mappings"]["properties"]

    for name in ("title", "summary", "body", "tags"):
        assert properties[name]["analyzer"] == "standard"
        analysers = {code: field["analyzer"] for code, field in properties[name]["fields"].items() if code != "raw"}
        assert analysers == {
            "ar": "arabic",
            "en": "english",
            "es": "spanish",
            "fr": "french",
            "ru": "russian",
            "zh": "cjk",
        }
    assert properties["title"]["fields"]["raw"] == {"type": "keyword", "ignore_above": 256}
    assert set(LANGUAGE_ANALYZERS.values()) <= {"arabic", "cjk", "english", "french", "russian", "spanish"}


def test_facets_are_keywords_and_codes_match_exactly(mapping):
    properties = mapping["mappings"]["properties"]

    for name in ("content_type", "countries", "regions", "gbf_targets", "subjects", "languages", "status", "source"):
        assert properties[name] == {"type": "keyword"}, name
    assert properties["identifier"] == {"type": "keyword", "normalizer": "chm_exact_code"}
    assert mapping["settings"]["analysis"]["normalizer"]["chm_exact_code"] == {
        "type": "custom",
        "filter": ["lowercase", "trim"],
    }
    assert properties["date"] == {"type": "date"}
    assert properties["url"] == {"type": "keyword", "index": False}


def test_suggestions_come_from_a_completion_field_per_locale(mapping):
    suggest = mapping["mappings"]["properties"]["suggest"]

    assert suggest["type"] == "completion"
    assert suggest["contexts"] == [{"name": "locale", "type": "category"}]


def test_a_document_carries_its_facets_and_suggestion_inputs():
    document = SearchDocument(
        locale="fr",
        translation_key="3f2b6c1e-0000-0000-0000-000000000001",
        page_id=7,
        content_type="records.needpage",
        language="en",
        title="Seed bank support",
        url="/fr/records/seed-bank/",
        identifier="CHM-NEED-FR-2026-0001",
        date=datetime.date(2026, 2, 1),
        codes={
            "country": ["FR"],
            "region": ["155", "150"],
            "target": ["GBF-T3"],
            "year": ["2026"],
            "source": ["local"],
        },
    )

    body = PageDocument.from_search_document(document).to_dict(include_meta=True)

    assert body["_id"] == "fr:3f2b6c1e-0000-0000-0000-000000000001"
    source = body["_source"]
    assert (source["countries"], source["regions"], source["gbf_targets"]) == (["FR"], ["155", "150"], ["GBF-T3"])
    assert source["keywords"] == ["CHM-NEED-FR-2026-0001", "GBF-T3"]
    assert source["suggest"] == {
        "input": ["Seed bank support", "CHM-NEED-FR-2026-0001"],
        "contexts": {"locale": ["fr"]},
    }


def test_the_text_query_matches_each_document_through_its_own_language():
    body = build_search("chm-pages", SearchQuery(text="espèces envahissantes", language="fr")).to_dict()

    assert body["query"]["bool"]["filter"] == [{"term": {"locale": "fr"}}]
    should = body["query"]["bool"]["should"]
    per_language = [clause["bool"] for clause in should if "bool" in clause]
    assert [clause["filter"] for clause in per_language] == [
        [{"term": {"language": code}}] for code in LANGUAGE_ANALYZERS
    ]
    french = per_language[list(LANGUAGE_ANALYZERS).index("fr")]["must"][0]["multi_match"]
    assert french["fields"] == ["title.fr^4", "summary.fr^2", "tags.fr^2", "body.fr"]
    assert french["operator"] == "and"
    assert {"term": {"identifier": {"value": "espèces envahissantes", "boost": 100}}} in should
    assert body["query"]["bool"]["minimum_should_match"] == 1


def test_filters_narrow_the_hits_and_each_facet_is_counted_without_its_own_filter():
    query = SearchQuery(filters={"country": ["FR", "KE"], "target": ["GBF-T3"]}, language="en")

    body = build_search("chm-pages", query).to_dict()

    assert body["post_filter"] == {
        "bool": {"filter": [{"terms": {"countries": ["FR", "KE"]}}, {"terms": {"gbf_targets": ["GBF-T3"]}}]}
    }
    aggregations = body["aggs"]
    assert aggregations["country"]["filter"] == {"bool": {"filter": [{"terms": {"gbf_targets": ["GBF-T3"]}}]}}
    assert aggregations["target"]["filter"] == {"bool": {"filter": [{"terms": {"countries": ["FR", "KE"]}}]}}
    assert aggregations["subject"]["filter"]["bool"]["filter"] == body["post_filter"]["bool"]["filter"]
    assert aggregations["year"]["aggs"]["values"]["terms"]["field"] == "year"
    assert set(aggregations) == set(FACETS)
    assert "query" not in body or "should" not in body["query"].get("bool", {})


def test_sorting_paging_and_highlighting():
    by_date = build_search("chm-pages", SearchQuery(text="wetland", sort="date", page=3, page_size=10)).to_dict()
    by_relevance = build_search("chm-pages", SearchQuery(text="wetland")).to_dict()
    browsing = build_search("chm-pages", SearchQuery()).to_dict()

    assert by_date["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}
    assert (by_date["from"], by_date["size"]) == (20, 10)
    assert by_relevance["sort"][0] == "_score"
    assert browsing["sort"] == [{"date": {"order": "desc", "missing": "_last"}}, "title.raw"]
    assert by_relevance["highlight"]["pre_tags"] == [HIGHLIGHT_START]
    assert by_relevance["highlight"]["post_tags"] == [HIGHLIGHT_STOP]
    assert set(by_relevance["highlight"]["fields"]) == {"title*", "summary*", "body*"}
    assert by_relevance["track_total_hits"] is True
    assert "highlight" not in browsing


def test_suggest_and_spelling_requests():
    suggest = build_suggest("chm-pages", "biod", "es", 8).to_dict()
    spelling = build_spelling("chm-pages", "biodiversty", "en").to_dict()

    assert suggest["suggest"]["titles"]["completion"] == {
        "field": "suggest",
        "size": 8,
        "skip_duplicates": True,
        "contexts": {"locale": ["es"]},
    }
    assert suggest["suggest"]["titles"]["prefix"] == "biod"
    assert spelling["suggest"]["spelling"]["phrase"]["field"] == "title"
    assert spelling["query"]["bool"]["filter"] == [{"term": {"locale": "en"}}]


RESPONSE = {
    "hits": {
        "total": {"value": 1, "relation": "eq"},
        "hits": [
            {
                "_score": 3.5,
                "_source": {
                    "page_id": 7,
                    "url": "/fr/records/seed-bank/",
                    "title": "Seed <bank>",
                    "content_type": "records.needpage",
                    "date": "2026-02-01",
                    "language": "en",
                    "locale": "fr",
                    "identifier": "CHM-NEED-FR-2026-0001",
                    "summary": "Seeds.",
                },
                "highlight": {
                    "title.en": [f"{HIGHLIGHT_START}Seed{HIGHLIGHT_STOP} <bank>"],
                    "body.en": [f"a {HIGHLIGHT_START}seed{HIGHLIGHT_STOP} & <script>"],
                },
            }
        ],
    },
    "aggregations": {
        "country": {"doc_count": 1, "values": {"buckets": [{"key": "FR", "doc_count": 1}]}},
        "year": {"doc_count": 1, "values": {"buckets": [{"key": "2026", "doc_count": 1}]}},
    },
}


def test_responses_are_parsed_into_safe_hits_and_counts():
    query = SearchQuery(text="seed", language="fr", facets=("country", "year", "status"))

    results = parse_response(RESPONSE, query)

    hit = results.hits[0]
    assert results.total == 1
    assert str(hit.title) == "<mark>Seed</mark> &lt;bank&gt;"
    assert str(hit.snippet) == "a <mark>seed</mark> &amp; &lt;script&gt;"
    assert (hit.date, hit.is_fallback, hit.type_label) == (datetime.date(2026, 2, 1), True, "Need")
    assert results.facet_counts == {"country": {"FR": 1}, "year": {"2026": 1}, "status": {}}


class RecordingIndices:
    def __init__(self, existing=()):
        self.calls = []
        self.aliases = {name: {"aliases": {"chm-pages": {}}} for name in existing}

    def exists_alias(self, name):
        return bool(self.aliases)

    def get_alias(self, name):
        return self.aliases

    def create(self, index, body):
        self.calls.append(("create", index, body))

    def update_aliases(self, actions):
        self.calls.append(("update_aliases", actions))

    def delete(self, index, ignore_unavailable=False):
        self.calls.append(("delete", index))

    def refresh(self, index):
        self.calls.append(("refresh", index))


class RecordingClient:
    def __init__(self, existing=()):
        self.indices = RecordingIndices(existing)

    def search(self, index, body, **params):
        self.last_search = (index, body)

        class Answer:
            pass

        answer = Answer()
        answer.body = RESPONSE
        return answer


@pytest.fixture
def bulk_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(es_backend, "bulk", lambda client, actions, **kwargs: calls.append(list(actions)) or (0, []))
    return calls


def document(locale="en", key="00000000-0000-0000-0000-0000000000aa"):
    return SearchDocument(
        locale=locale,
        translation_key=key,
        page_id=1,
        content_type="news.newsarticlepage",
        language="en",
        title="News",
        url="/en/news/item/",
    )


def test_a_full_reindex_fills_a_new_index_then_swaps_the_alias_atomically(monkeypatch, bulk_calls):
    client = RecordingClient(existing=["chm-pages-20260101000000000000"])
    backend = ElasticsearchBackend("http://elasticsearch:9200", "chm", client=client)
    monkeypatch.setattr(backend, "_catch_up", lambda since: None)

    count = backend.rebuild(iter([(["k1"], [document()]), (["k2"], [document(key="k2")])]))

    calls = client.indices.calls
    created = calls[0][1]
    assert count == 2 and calls[0][0] == "create" and created.startswith("chm-pages-")
    assert [action["_index"] for batch in bulk_calls for action in batch] == [created, created]
    assert ("refresh", created) in calls
    swap = next(call for call in calls if call[0] == "update_aliases")[1]
    assert swap == [
        {"remove": {"index": "chm-pages-20260101000000000000", "alias": "chm-pages"}},
        {"add": {"index": created, "alias": "chm-pages"}},
    ]
    assert calls.index(("delete", "chm-pages-20260101000000000000")) > calls.index(("update_aliases", swap))


@pytest.mark.django_db
def test_incremental_indexing_writes_through_the_alias_and_deletes_other_languages(bulk_calls):
    client = RecordingClient(existing=["chm-pages-1"])
    backend = ElasticsearchBackend("http://elasticsearch:9200", "chm", client=client)

    backend.replace(["k1"], [document(locale="en", key="k1")])

    actions = bulk_calls[0]
    assert actions[0]["_index"] == "chm-pages" and actions[0]["_id"] == "en:k1"
    deleted = {action["_id"] for action in actions if action.get("_op_type") == "delete"}
    assert deleted == {"ar:k1", "es:k1", "fr:k1", "ru:k1", "zh-hans:k1"}


def test_the_backend_searches_the_alias(db):
    client = RecordingClient(existing=["chm-pages-1"])
    backend = ElasticsearchBackend("http://elasticsearch:9200", "chm", client=client)

    results = backend.search(SearchQuery(text="seed", language="fr"))

    assert client.last_search[0] == ["chm-pages"]
    assert results.total == 1 and results.hits[0].url == "/fr/records/seed-bank/"


def test_the_backend_is_chosen_by_settings(settings):
    from search.backends.database import DatabaseBackend
    from search.service import get_backend

    settings.ELASTICSEARCH_URL = ""
    assert isinstance(get_backend(), DatabaseBackend)
    settings.ELASTICSEARCH_URL = "http://elasticsearch:9200"
    settings.ELASTICSEARCH_INDEX_PREFIX = "national"
    backend = get_backend()
    assert isinstance(backend, ElasticsearchBackend) and backend.alias == "national-pages"
