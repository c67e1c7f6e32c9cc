"""Text similarity from the search backends: ts_rank in one query on PostgreSQL, more_like_this on
Elasticsearch (the generated request, without a server)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.service import SearchService
from search.similar import (
    DatabaseSimilarity,
    Similarity,
    build_more_like_this,
    more_like_this,
    parse_more_like_this,
)
from search.text import HIGHLIGHT_START, HIGHLIGHT_STOP

pytestmark = pytest.mark.django_db


def index_pages(*pages):
    SearchService().index_translation_keys([page.translation_key for page in pages])


def test_database_ranks_the_closest_wording_first_with_the_shared_words(make_need, make_offer):
    need = make_need()
    close = make_offer(
        title="Mangrove restoration training",
        summary="Hands-on courses in mangrove nurseries.",
        description="<p>Restoration of coastal wetlands with local rangers.</p>",
    )
    far = make_offer()
    unrelated = make_offer(title="Seed banks", summary="Storage of crop seeds.", description="<p>Freezers.</p>")
    index_pages(need, close, far, unrelated)
    with CaptureQueriesContext(connection) as queries:
        found = DatabaseSimilarity().more_like_this(need, [close, far, unrelated], "en")
    assert len(queries) == 1
    assert str(close.translation_key) in found
    assert str(unrelated.translation_key) not in found  # not a word in common
    best = found[str(close.translation_key)]
    assert 0 < best.rank <= 1
    assert {"mangrove", "restoration"} <= set(best.words)  # the source's own words, not stems ("restor")
    if str(far.translation_key) in found:
        assert found[str(far.translation_key)].rank < best.rank


def test_identifiers_and_vocabulary_names_do_not_make_texts_alike(make_need, make_offer):
    need = make_need(title="Alpha", summary="", needed="<p>Beta.</p>")
    other = make_offer(title="Gamma", summary="", description="<p>Delta.</p>")  # same targets, codes, country names
    index_pages(need, other)
    assert DatabaseSimilarity().more_like_this(need, [other], "en") == {}


def test_no_candidates_no_query(make_need):
    need = make_need()
    with CaptureQueriesContext(connection) as queries:
        assert more_like_this(need, [], "en") == {}
    assert len(queries) == 0


def test_the_elasticsearch_request_likes_the_source_among_the_candidates():
    search = build_more_like_this("chm-pages", "fr:abc", ["k1", "k2"], "fr")
    body = search.to_dict()
    query = body["query"]["bool"]
    assert {"term": {"locale": "fr"}} in query["filter"]
    assert {"terms": {"translation_key": ["k1", "k2"]}} in query["filter"]
    likeness = query["must"][0]["more_like_this"]
    assert likeness["fields"] == ["title.fr", "summary.fr", "body.fr"]
    assert likeness["like"] == [{"_index": "chm-pages", "_id": "fr:abc"}]
    assert likeness["min_doc_freq"] == 1 and likeness["max_query_terms"] == 40
    assert body["size"] == 2
    assert set(body["highlight"]["fields"]) == {"title.fr", "summary.fr", "body.fr"}
    chinese = build_more_like_this("chm-pages", "zh-hans:abc", ["k1"], "zh-hans").to_dict()
    assert chinese["query"]["bool"]["must"][0]["more_like_this"]["fields"][0] == "title.zh"


def test_the_elasticsearch_response_gives_ranks_and_highlighted_words():
    data = {
        "hits": {
            "hits": [
                {
                    "_score": 10.0,
                    "_source": {"translation_key": "k1"},
                    "highlight": {"body.en": [f"the {HIGHLIGHT_START}Mangrove{HIGHLIGHT_STOP} belt"]},
                },
                {"_score": 30.0, "_source": {"translation_key": "k2"}},
            ]
        }
    }
    found = parse_more_like_this(data)
    assert found["k1"] == Similarity(rank=0.5, words=["mangrove"])
    assert found["k2"].rank == 0.75 and found["k2"].words == []
