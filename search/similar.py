"""Records whose wording resembles another's, computed by the search service's own backends.

``more_like_this(page, candidates, language)`` answers, for the candidates (pages) that resemble
``page`` as a reader of ``language`` finds them, a :class:`Similarity`: a rank between 0 and 1 and the
shared words that explain it. It is one request whatever the number of candidates:

* **database** (PostgreSQL): the source's own weighted terms — title A, summary B, body C, each
  analysed with its text's configuration, the words of its identifier and vocabulary names left out
  (other components of a match already count shared targets and places) — become one OR query,
  ranked with ``ts_rank`` against the candidates' stored vectors; the shared lexemes are shown as the
  source's own words. Elsewhere (SQLite) nothing is similar: text similarity needs full text search.
* **Elasticsearch**: a ``more_like_this`` query on the language's analysed sub-fields, liking the
  source's document, restricted to the candidates; the highlighted terms are the shared words.

When the search server is unreachable the database answers, as for searches.
"""

import logging
import re
from dataclasses import dataclass, field

from django.db import connection
from elasticsearch.dsl import Q, Search

from cms.resilience.breaker import breaker

from .models import SearchEntry, SearchText
from .text import HIGHLIGHT_START, HIGHLIGHT_STOP, base_language

logger = logging.getLogger(__name__)

MAX_QUERY_TERMS = 40  # the source's strongest terms that make the query
MAX_SHARED_WORDS = 5
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A: as the search ranks its hits
ES_TEXT_FIELDS = ("title", "summary", "body")
ES_HALF_SCORE = 10.0  # an Elasticsearch score this high maps to a rank of 0.5
_MARKED = re.compile(f"{HIGHLIGHT_START}(.*?){HIGHLIGHT_STOP}")


@dataclass(frozen=True)
class Similarity:
    rank: float  # 0 (nothing in common) … 1
    words: list[str] = field(default_factory=list)


# --- database -----------------------------------------------------------------------------------

SIMILAR_SQL = """
WITH source AS (
    SELECT t.search_config::regconfig AS config,
           setweight(to_tsvector(t.search_config::regconfig, t.title), 'A')
           || setweight(to_tsvector(t.search_config::regconfig, t.summary), 'B')
           || setweight(to_tsvector('simple'::regconfig, t.cjk_terms), 'B')
           || setweight(to_tsvector(t.search_config::regconfig, left(t.body, 20000)), 'C') AS vector,
           left(t.title || ' ' || t.summary || ' ' || t.body, 20000) AS words
    FROM {entry} e JOIN {text} t ON t.id = e.text_id
    WHERE e.locale = %(language)s AND e.translation_key = %(source)s
    LIMIT 1
), terms AS (
    SELECT u.lexeme
    FROM source, unnest(source.vector) AS u(lexeme, positions, weights)
    WHERE char_length(u.lexeme) > 2 AND u.lexeme !~ '[0-9]'
    ORDER BY (CASE WHEN 'A' = ANY(u.weights) THEN 3 WHEN 'B' = ANY(u.weights) THEN 2 ELSE 1 END) DESC,
             cardinality(u.positions) DESC, u.lexeme
    LIMIT %(max_terms)s
), query AS (
    SELECT to_tsquery('simple', string_agg(quote_literal(lexeme), ' | ')) AS tsq, array_agg(lexeme) AS lexemes
    FROM terms
), surface AS (
    SELECT DISTINCT ON (l.lexeme) l.lexeme, w.word
    FROM source,
         regexp_split_to_table(lower(source.words), '[^[:alnum:]]+') AS w(word),
         unnest(to_tsvector(source.config, w.word)) AS l(lexeme, positions, weights)
    WHERE w.word <> ''
    ORDER BY l.lexeme, char_length(w.word), w.word
)
SELECT e.translation_key::text,
       ts_rank(%(weights)s::float4[], t.search_vector, query.tsq) AS rank,
       ARRAY(
           SELECT coalesce(s.word, v.lexeme)
           FROM unnest(t.search_vector) AS v(lexeme, positions, weights)
           LEFT JOIN surface s ON s.lexeme = v.lexeme
           WHERE v.lexeme = ANY(query.lexemes)
           ORDER BY array_position(query.lexemes, v.lexeme)
       ) AS shared
FROM {entry} e JOIN {text} t ON t.id = e.text_id, query
WHERE e.locale = %(language)s AND e.translation_key = ANY(%(candidates)s::uuid[])
  AND query.tsq IS NOT NULL AND t.search_vector @@ query.tsq
"""


class DatabaseSimilarity:
    """``ts_rank`` of the source's weighted terms against the candidates' vectors, in one query."""

    def more_like_this(self, page, candidates, language: str) -> dict[str, Similarity]:
        keys = sorted({str(candidate.translation_key) for candidate in candidates} - {str(page.translation_key)})
        if not keys or connection.vendor != "postgresql":
            return {}
        sql = SIMILAR_SQL.format(
            entry=connection.ops.quote_name(SearchEntry._meta.db_table),
            text=connection.ops.quote_name(SearchText._meta.db_table),
        )
        params = {
            "language": language,
            "source": str(page.translation_key),
            "max_terms": MAX_QUERY_TERMS,
            "weights": RANK_WEIGHTS,
            "candidates": keys,
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return {
            key: Similarity(rank=min(1.0, float(rank)), words=list(dict.fromkeys(shared))[:MAX_SHARED_WORDS])
            for key, rank, shared in rows
        }


# --- Elasticsearch ------------------------------------------------------------------------------


def build_more_like_this(index: str, source_id: str, candidate_keys: list[str], language: str) -> Search:
    """The request: candidates in the reader's language, ranked by their likeness to the source document."""
    code = base_language(language)
    fields = [f"{name}.{code}" for name in ES_TEXT_FIELDS]
    likeness = Q(
        "more_like_this",
        fields=fields,
        like=[{"_index": index, "_id": source_id}],
        min_term_freq=1,
        min_doc_freq=1,
        max_query_terms=MAX_QUERY_TERMS,
        minimum_should_match="1",
    )
    search = (
        Search(index=index)
        .filter("term", locale=language)
        .filter("terms", translation_key=candidate_keys)
        .query(likeness)
        .source(["translation_key"])
        .highlight_options(pre_tags=[HIGHLIGHT_START], post_tags=[HIGHLIGHT_STOP], number_of_fragments=3)
    )
    for name in fields:
        search = search.highlight(name, fragment_size=80)
    return search[: len(candidate_keys)]


def parse_more_like_this(data: dict) -> dict[str, Similarity]:
    """Ranks (the score mapped into 0…1) and highlighted shared words from a raw response."""
    found = {}
    for hit in data.get("hits", {}).get("hits", []):
        key = hit.get("_source", {}).get("translation_key")
        if not key:
            continue
        score = float(hit.get("_score") or 0.0)
        words = [
            match.lower()
            for fragments in hit.get("highlight", {}).values()
            for fragment in fragments
            for match in _MARKED.findall(fragment)
        ]
        found[key] = Similarity(
            rank=score / (score + ES_HALF_SCORE), words=list(dict.fromkeys(words))[:MAX_SHARED_WORDS]
        )
    return found


class ElasticsearchSimilarity:
    def __init__(self, backend):
        self.backend = backend

    def more_like_this(self, page, candidates, language: str) -> dict[str, Similarity]:
        from .documents import document_id

        keys = sorted({str(candidate.translation_key) for candidate in candidates} - {str(page.translation_key)})
        if not keys:
            return {}
        source = document_id(language, str(page.translation_key))
        search = build_more_like_this(self.backend.alias, source, keys, language)
        return parse_more_like_this(search.using(self.backend.client).execute().to_dict())


# --- the entry point ----------------------------------------------------------------------------


def similarity_for(backend):
    from .backends.database import DatabaseBackend

    return DatabaseSimilarity() if isinstance(backend, DatabaseBackend) else ElasticsearchSimilarity(backend)


def more_like_this(page, candidates, language: str, service=None) -> dict[str, Similarity]:
    """Translation key → :class:`Similarity` for the ``candidates`` that resemble ``page`` at all."""
    from .service import SEARCH_SERVER_RESET_AFTER, SearchService

    service = service or SearchService()
    candidates = list(candidates)
    if service.fallback is None:
        return similarity_for(service.backend).more_like_this(page, candidates, language)
    gate = breaker(f"Search server ({service.backend.name})", SEARCH_SERVER_RESET_AFTER)
    if gate.allow():
        try:
            found = similarity_for(service.backend).more_like_this(page, candidates, language)
        except service.backend.unavailable_errors as error:
            gate.failed(error)
        else:
            gate.succeeded()
            return found
    logger.info("Search server unavailable: text similarity from the database")
    return DatabaseSimilarity().more_like_this(page, candidates, language)
