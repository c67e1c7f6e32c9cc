"""The Elasticsearch backend: the same service interface over ``search.documents.PageDocument``.

Query building (:func:`build_search`) and response parsing (:func:`parse_response`) are pure
functions, so that the generated queries are tested without a server.
"""

import logging

from django.utils import timezone
from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.dsl import A, Q, Search
from elasticsearch.helpers import bulk

from ..documents import (
    FACET_FIELDS,
    LANGUAGE_ANALYZERS,
    PageDocument,
    alias_name,
    build_index,
    document_id,
    ensure_index,
    new_index_name,
    swap_alias,
)
from ..registry import type_label
from ..service import FACET_SIZE, BackendResults, SearchHit
from ..text import HIGHLIGHT_START, HIGHLIGHT_STOP, clean_text, render_highlight, snippet

logger = logging.getLogger(__name__)

TITLE_BOOST = 4
IDENTIFIER_BOOST = 100
CODE_BOOST = 10


def text_query(text: str) -> Q:
    """Each document matched through its own language's analyser; identifiers and codes exactly."""
    should = []
    for code in LANGUAGE_ANALYZERS:
        fields = [f"title.{code}^{TITLE_BOOST}", f"summary.{code}^2", f"tags.{code}^2", f"body.{code}"]
        should.append(
            Q(
                "bool",
                filter=[Q("term", language=code)],
                must=[Q("multi_match", query=text, fields=fields, type="cross_fields", operator="and")],
            )
        )
    should.append(
        Q(
            "multi_match",
            query=text,
            fields=[f"title^{TITLE_BOOST}", "summary^2", "tags^2", "body"],
            type="cross_fields",
            operator="and",
            boost=0.5,
        )
    )
    exact = text.strip().lower()
    should.append(Q("term", identifier={"value": exact, "boost": IDENTIFIER_BOOST}))
    should.append(Q("term", keywords={"value": exact, "boost": CODE_BOOST}))
    return Q("bool", should=should, minimum_should_match=1)


def filter_queries(filters: dict[str, list[str]]) -> dict[str, Q]:
    return {facet: Q("terms", **{FACET_FIELDS[facet]: values}) for facet, values in filters.items()}


def build_search(index: str, query) -> Search:
    """The request for one results page: hits (post-filtered), facet aggregations and highlights."""
    search = Search(index=index).filter("term", locale=query.language)
    if query.text:
        search = search.query(text_query(query.text))
    filters = filter_queries(query.filters)
    if filters:
        search = search.post_filter(Q("bool", filter=list(filters.values())))
    for facet in query.facets:
        others = [condition for name, condition in filters.items() if name != facet]
        aggregation = A("filter", filter=Q("bool", filter=others) if others else Q("match_all"))
        aggregation.bucket("values", "terms", field=FACET_FIELDS[facet], size=FACET_SIZE)
        search.aggs.bucket(facet, aggregation)
    newest = {"date": {"order": "desc", "missing": "_last"}}
    if query.sort == "date":
        search = search.sort(newest, "_score", "title.raw")
    elif query.text:
        search = search.sort("_score", newest)
    else:
        search = search.sort(newest, "title.raw")
    search = search.source(excludes=["body", "suggest", "tags"])
    if query.text:
        search = search.highlight_options(
            pre_tags=[HIGHLIGHT_START],
            post_tags=[HIGHLIGHT_STOP],
            require_field_match=False,
            fragment_size=160,
            number_of_fragments=2,
        )
        search = search.highlight("title*", number_of_fragments=0).highlight("summary*").highlight("body*")
    search = search.extra(track_total_hits=True)
    return search[query.offset : query.offset + query.page_size]


def parse_response(data: dict, query) -> BackendResults:
    """Hits and facet counts from a raw search response (``response.to_dict()``)."""
    hits = []
    for hit in data.get("hits", {}).get("hits", []):
        source = hit.get("_source", {})
        highlight = hit.get("highlight", {})
        title = first_fragment(highlight, "title") or clean_text(source.get("title", ""))
        fragments = [
            fragment
            for name in ("summary", "body")
            for key, values in highlight.items()
            if key.split(".")[0] == name
            for fragment in values
        ]
        text = " … ".join(dict.fromkeys(fragments)) if fragments else snippet(source.get("summary", ""), [])
        hits.append(
            SearchHit(
                page_id=source.get("page_id"),
                url=source.get("url", ""),
                title=render_highlight(title),
                plain_title=source.get("title", ""),
                content_type=source.get("content_type", ""),
                type_label=type_label(source.get("content_type", "")),
                date=parse_date(source.get("date")),
                snippet=render_highlight(text),
                language=source.get("language", ""),
                locale=source.get("locale", ""),
                identifier=source.get("identifier", ""),
                score=float(hit.get("_score") or 0),
            )
        )
    total = data.get("hits", {}).get("total", {})
    total = total.get("value", 0) if isinstance(total, dict) else int(total or 0)
    facet_counts = {}
    for facet in query.facets:
        buckets = data.get("aggregations", {}).get(facet, {}).get("values", {}).get("buckets", [])
        facet_counts[facet] = {str(bucket["key"]): bucket["doc_count"] for bucket in buckets}
    return BackendResults(hits=hits, total=total, facet_counts=facet_counts)


def first_fragment(highlight: dict, name: str) -> str:
    for key, values in highlight.items():
        if key.split(".")[0] == name and values:
            return values[0]
    return ""


def parse_date(value):
    if not value:
        return None
    import datetime

    return datetime.date.fromisoformat(str(value)[:10])


def build_suggest(index: str, prefix: str, language: str, limit: int) -> Search:
    return (
        Search(index=index)
        .source(["title", "url", "content_type", "identifier"])
        .suggest(
            "titles",
            prefix,
            completion={"field": "suggest", "size": limit, "skip_duplicates": True, "contexts": {"locale": [language]}},
        )
        .extra(size=0)
    )


def build_spelling(index: str, text: str, language: str) -> Search:
    return (
        Search(index=index)
        .filter("term", locale=language)
        .suggest(
            "spelling",
            text,
            phrase={
                "field": "title",
                "size": 1,
                "confidence": 0.0,
                "direct_generator": [{"field": "title", "suggest_mode": "always", "min_word_length": 3}],
            },
        )
        .extra(size=0)
    )


class ElasticsearchBackend:
    """Search and indexing through an index alias, rebuilt with zero downtime."""

    name = "elasticsearch"
    # The server (or its index) cannot answer: the service falls back to the database.
    unavailable_errors = (TransportError, ApiError)

    def __init__(self, url: str, prefix: str = "chm", client=None):
        # One retry, not three: when the server is down the service's circuit breaker takes over.
        self.client = client or Elasticsearch(url, request_timeout=10, max_retries=1)
        self.alias = alias_name(prefix)

    # --- reading ----------------------------------------------------------------------------------
    def search(self, query) -> BackendResults:
        response = build_search(self.alias, query).using(self.client).execute()
        return parse_response(response.to_dict(), query)

    def count(self, query) -> int:
        search = build_search(self.alias, query)
        if query.filters:
            search = search.filter(Q("bool", filter=list(filter_queries(query.filters).values())))
        return search.using(self.client).count()

    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[dict]:
        prefix = clean_text(prefix)[:100]
        if len(prefix) < 2:
            return []
        response = build_suggest(self.alias, prefix, language, limit).using(self.client).execute().to_dict()
        suggestions = []
        for option in response.get("suggest", {}).get("titles", [{}])[0].get("options", []):
            source = option.get("_source", {})
            suggestions.append(
                {
                    "title": source.get("title", ""),
                    "url": source.get("url", ""),
                    "type": type_label(source.get("content_type", "")),
                    "identifier": source.get("identifier", ""),
                    "language": source.get("language", ""),
                }
            )
        return suggestions

    def spelling_suggestion(self, text: str, language: str) -> str:
        if not text.strip():  # a suggester without text is not a request Elasticsearch can be sent
            return ""
        response = build_spelling(self.alias, text, language).using(self.client).execute().to_dict()
        for entry in response.get("suggest", {}).get("spelling", []):
            for option in entry.get("options", []):
                if option.get("text", "").lower() != text.lower():
                    return option["text"]
        return ""

    # --- writing ----------------------------------------------------------------------------------
    def replace(self, keys: list[str], documents) -> None:
        """Index ``documents`` and delete the other languages' documents of these groups."""
        from ..indexing import site_locales

        ensure_index(self.client, self.alias)
        locales = site_locales()
        present = {document_id(document.locale, document.translation_key) for document in documents}
        actions = [self._index_action(self.alias, document) for document in documents]
        actions += [
            {"_op_type": "delete", "_index": self.alias, "_id": document_id(locale, key)}
            for key in keys
            for locale in locales
            if document_id(locale, key) not in present
        ]
        self._bulk(actions)

    def rebuild(self, batches) -> int:
        """Fill a new timestamped index, swap the alias to it atomically, then drop the old ones."""
        started = timezone.now()
        name = new_index_name(self.alias)
        build_index(name).create(using=self.client)
        count = 0
        for _keys, documents in batches:
            self._bulk([self._index_action(name, document) for document in documents])
            count += len(documents)
        self.client.indices.refresh(index=name)
        for old in swap_alias(self.client, self.alias, name):
            self.client.indices.delete(index=old, ignore_unavailable=True)
        self._catch_up(started)
        return count

    def _catch_up(self, since) -> None:
        """Pages published while the new index was being filled went to the old one: index them again."""
        from wagtail.models import Page

        from ..service import SearchService

        keys = Page.objects.filter(last_published_at__gte=since).values_list("translation_key", flat=True)
        SearchService(backend=self).index_translation_keys([str(key) for key in keys])

    def clear(self) -> None:
        if self.client.indices.exists_alias(name=self.alias):
            for name in self.client.indices.get_alias(name=self.alias):
                self.client.indices.delete(index=name, ignore_unavailable=True)

    @staticmethod
    def _index_action(index: str, document) -> dict:
        body = PageDocument.from_search_document(document).to_dict(include_meta=True)
        body["_index"] = index
        return body

    def _bulk(self, actions: list[dict]) -> None:
        if not actions:
            return
        _ok, errors = bulk(self.client, actions, raise_on_error=False, raise_on_exception=True)
        real = [error for error in errors if error.get("delete", {}).get("status") != 404]
        if real:
            raise RuntimeError(f"Elasticsearch refused {len(real)} actions; first: {real[0]}")
