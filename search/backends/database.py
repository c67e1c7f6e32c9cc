"""The database backend: our own ``SearchEntry`` table, searched with PostgreSQL full text.

On PostgreSQL each row holds a weighted ``tsvector`` built with its own language's configuration
(title A, tags and summary B, body C; identifier and vocabulary codes A with 'simple'), and a query
is parsed with the row's configuration *and* 'simple', so that stemming works per language while
codes match exactly. Facet codes live in a JSON list with a GIN index (``codes @> '["country:FR"]'``).
On SQLite (the embedded default) the same table is searched by substring, which is enough for a
small portal and keeps one code path for filters and facets.
"""

import difflib
import json
import logging

from django.contrib.postgres.search import SearchHeadline, SearchQueryField, SearchRank
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL, Window
from django.db.models.functions import Concat, Substr, Upper
from django.utils import timezone

from ..models import SearchEntry
from ..service import BackendResults, SearchHit
from ..text import (
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    TEXT_SEARCH_CONFIGS,
    WORD,
    cjk_bigrams,
    clean_text,
    prepare_query_text,
    query_terms,
    render_highlight,
    snippet,
    text_search_config,
)

logger = logging.getLogger(__name__)

STAGED_COLUMNS = (
    "locale",
    "translation_key",
    "page_id",
    "content_type",
    "language",
    "search_config",
    "title",
    "summary",
    "body",
    "tags",
    "keywords",
    "cjk_terms",
    "identifier",
    "url",
    "date",
    "codes",
)
STAGING_TABLE_SQL = """
CREATE TEMPORARY TABLE IF NOT EXISTS chm_search_staging (
    locale varchar(16), translation_key uuid, page_id integer, content_type varchar(100), language varchar(16),
    search_config varchar(20), title varchar(255), summary text, body text, tags text, keywords text,
    cjk_terms text, identifier varchar(100), url varchar(2000), date date, codes jsonb
)"""
# Each text part in the row's own configuration; identifiers, codes and CJK bigrams verbatim. The
# vocabulary names (``tags``) differ per visitor language, so they are added per row (TAGS_VECTOR_SQL).
TEXT_VECTOR_SQL = """(
    setweight(to_tsvector(search_config::regconfig, title), 'A')
    || setweight(to_tsvector('simple'::regconfig, keywords), 'A')
    || setweight(to_tsvector(search_config::regconfig, summary), 'B')
    || setweight(to_tsvector('simple'::regconfig, cjk_terms), 'B')
    || setweight(to_tsvector(search_config::regconfig, body), 'C')
)"""
TAGS_VECTOR_SQL = "setweight(to_tsvector(staged.search_config::regconfig, staged.tags), 'B')"
CONFIGS = sorted(set(TEXT_SEARCH_CONFIGS.values()) - {"simple"})
RANK_WEIGHTS = [0.05, 0.2, 0.4, 1.0]  # D, C, B, A
TITLE_ONLY_WEIGHTS = [0.0, 0.0, 0.0, 1.0]
HEADLINE_SOURCE_LENGTH = 20_000
SPELLING_MAX_WORDS = 5


class DatabaseBackend:
    """Search over ``SearchEntry``; PostgreSQL full text when available, substring matching elsewhere."""

    name = "database"

    @property
    def is_postgresql(self) -> bool:
        return connection.vendor == "postgresql"

    # --- writing ----------------------------------------------------------------------------------
    def replace(self, keys: list[str], documents) -> None:
        """Make the rows of these translation groups exactly ``documents`` (one transaction)."""
        rows = [self._row(document) for document in documents]
        with transaction.atomic():
            SearchEntry.objects.filter(translation_key__in=keys).delete()
            if not rows:
                return
            if self.is_postgresql:
                self._insert_postgresql(rows)
            else:
                SearchEntry.objects.bulk_create(
                    [SearchEntry(**dict(zip(STAGED_COLUMNS, row, strict=True))) for row in rows]
                )

    def rebuild(self, batches) -> int:
        """Replace every group batch by batch, then drop rows of groups that no longer exist."""
        started = timezone.now()
        count = 0
        for keys, documents in batches:
            self.replace(keys, documents)
            count += len(documents)
        SearchEntry.objects.filter(indexed_at__lt=started).delete()
        return count

    def clear(self) -> None:
        SearchEntry.objects.all().delete()

    @staticmethod
    def _row(document) -> tuple:
        return (
            document.locale,
            document.translation_key,
            document.page_id,
            document.content_type,
            document.language,
            text_search_config(document.language),
            document.title,
            document.summary,
            document.body,
            document.tags,
            document.keywords,
            cjk_bigrams(" ".join([document.title, document.summary, document.tags, document.body])),
            document.identifier,
            document.url,
            document.date,
            document.code_list,
        )

    def _insert_postgresql(self, rows: list[tuple]) -> None:
        """COPY into a temporary table, then one INSERT … SELECT that computes each row's vector once."""
        table = connection.ops.quote_name(SearchEntry._meta.db_table)
        columns = ", ".join(STAGED_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(STAGING_TABLE_SQL)
            with cursor.cursor.copy(f"COPY chm_search_staging ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([*row[:-1], json.dumps(row[-1])])
            # An alias shows its original's text: compute each distinct text's vector once.
            staged_columns = ", ".join(f"staged.{column}" for column in STAGED_COLUMNS)
            cursor.execute(
                f"INSERT INTO {table} ({columns}, search_vector, indexed_at) "  # noqa: S608 - constant names
                f"SELECT {staged_columns}, texts.vector || {TAGS_VECTOR_SQL}, clock_timestamp() "
                "FROM chm_search_staging AS staged JOIN ("
                f"  SELECT translation_key, language, {TEXT_VECTOR_SQL} AS vector FROM ("
                "    SELECT DISTINCT ON (translation_key, language) * FROM chm_search_staging"
                "    ORDER BY translation_key, language"
                "  ) AS distinct_texts"
                ") AS texts USING (translation_key, language)"
            )
            cursor.execute("TRUNCATE chm_search_staging")

    # --- reading ----------------------------------------------------------------------------------
    def _text_condition(self, text: str) -> Q:
        """Rows matching ``text`` as parsed by their own configuration, or verbatim ('simple').

        The query is parsed once per configuration (one small query); each distinct parse becomes
        a constant ``search_vector @@ 'lexemes'`` that PostgreSQL answers from the GIN index (the
        bitmaps are ORed), restricted to the rows whose configuration produced it.
        """
        condition = Q(pk__in=[])
        column = f"{connection.ops.quote_name(SearchEntry._meta.db_table)}.search_vector"
        for tsquery, configs in self._parses(text).items():
            matches = Q(RawSQL(f"{column} @@ %s::tsquery", [tsquery], output_field=BooleanField()))  # noqa: S611
            condition |= matches if "simple" in configs else matches & Q(search_config__in=configs)
        return condition

    def _parses(self, text: str) -> dict[str, list[str]]:
        """Distinct ``websearch_to_tsquery`` results for ``text`` → the configurations giving each."""
        prepared = prepare_query_text(text)
        cache = self.__dict__.setdefault("_parse_cache", {})
        if prepared not in cache:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT config, websearch_to_tsquery(config::regconfig, %s)::text"
                    " FROM unnest(%s::text[]) AS config",
                    [prepared, ["simple", *CONFIGS]],
                )
                parses: dict[str, list[str]] = {}
                for config, tsquery in cursor.fetchall():
                    if tsquery:
                        parses.setdefault(tsquery, []).append(config)
            cache[prepared] = parses
        return cache[prepared]

    @staticmethod
    def _tsquery(text: str) -> RawSQL:
        """The query as each row's own configuration parses it (for ranking and highlighting)."""
        prepared = prepare_query_text(text)
        column = f"{connection.ops.quote_name(SearchEntry._meta.db_table)}.search_config"
        whens = " ".join("WHEN %s THEN websearch_to_tsquery(%s::regconfig, %s)" for _config in CONFIGS)
        sql = (
            f"(CASE {column} {whens} ELSE websearch_to_tsquery('simple'::regconfig, %s) END"
            " || websearch_to_tsquery('simple'::regconfig, %s))"
        )
        params = [value for config in CONFIGS for value in (config, config, prepared)] + [prepared, prepared]
        return RawSQL(sql, params, output_field=SearchQueryField())  # noqa: S611 - values are parameters

    def _identifier(self, text: str) -> str:
        candidate = text.strip().upper()
        return candidate if candidate and " " not in candidate and len(candidate) <= 100 else ""

    def matching(self, query, exclude_facet: str | None = None):
        """Rows in the visitor's language that match the text and every filter but ``exclude_facet``."""
        queryset = SearchEntry.objects.filter(locale=query.language)
        if query.text:
            identifier = self._identifier(query.text)
            if self.is_postgresql:
                condition = self._text_condition(query.text)
            else:
                condition = Q()
                for term in query_terms(query.text) or [query.text]:
                    condition &= (
                        Q(title__icontains=term)
                        | Q(summary__icontains=term)
                        | Q(body__icontains=term)
                        | Q(tags__icontains=term)
                        | Q(keywords__icontains=term)
                    )
            if identifier:
                condition |= Q(identifier=identifier)
            queryset = queryset.filter(condition)
        for facet, values in query.filters.items():
            if facet == exclude_facet:
                continue
            any_value = Q()
            for value in values:
                any_value |= Q(codes__has_code=f"{facet}:{value}")
            queryset = queryset.filter(any_value)
        return queryset

    def count(self, query) -> int:
        return self.matching(query).count()

    def search(self, query) -> BackendResults:
        queryset = self.matching(query)
        hits, total = self._hits(queryset, query)
        if total is None:  # past the last page: the page query saw no row to carry the total
            total = queryset.count()
        facet_counts = self._facet_counts(query)
        return BackendResults(hits=hits, total=total, facet_counts=facet_counts)

    def _ordered(self, queryset, query):
        text = query.text
        if text and self.is_postgresql:
            tsquery = self._tsquery(text)
            score = SearchRank(F("search_vector"), tsquery, weights=RANK_WEIGHTS) + SearchRank(
                F("search_vector"), tsquery, weights=TITLE_ONLY_WEIGHTS
            )
            identifier = self._identifier(text)
            if identifier:
                score = score + Case(When(identifier=identifier, then=Value(100.0)), default=Value(0.0))
            queryset = queryset.annotate(score=ExpressionWrapper(score, output_field=FloatField()))
        elif text:
            terms = query_terms(text) or [text]
            whens = [When(identifier=self._identifier(text), then=Value(100))] if self._identifier(text) else []
            whens.append(When(title__icontains=text, then=Value(10)))
            whens += [When(title__icontains=term, then=Value(5)) for term in terms]
            whens += [When(summary__icontains=term, then=Value(2)) for term in terms]
            queryset = queryset.annotate(score=Case(*whens, default=Value(1), output_field=IntegerField()))
        else:
            queryset = queryset.annotate(score=Value(0.0, output_field=FloatField()))
        newest = F("date").desc(nulls_last=True)
        if query.sort == "date":
            return queryset.order_by(newest, "-score", "title", "pk")
        if text:
            return queryset.order_by("-score", newest, "pk")
        return queryset.order_by(newest, "title", "pk")

    def _hits(self, queryset, query) -> tuple[list[SearchHit], int | None]:
        """One page of hits and, in the same query, the total (``None`` when the page is empty)."""
        fields = ["pk", "page_id", "url", "title", "content_type", "date", "summary", "body", "language", "locale"]
        ordered = self._ordered(queryset, query).annotate(total=Window(Count("pk")))
        use_headline = bool(query.text) and self.is_postgresql
        if use_headline:
            tsquery = self._tsquery(query.text)
            options = {"start_sel": HIGHLIGHT_START, "stop_sel": HIGHLIGHT_STOP, "config": F("search_config")}
            ordered = ordered.annotate(
                title_headline=SearchHeadline("title", tsquery, highlight_all=True, **options),
                text_headline=SearchHeadline(
                    Substr(Concat("summary", Value(" "), "body", output_field=TextField()), 1, HEADLINE_SOURCE_LENGTH),
                    tsquery,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **options,
                ),
            )
            fields += ["title_headline", "text_headline"]
        rows = list(
            ordered.values(*fields, "identifier", "score", "total")[query.offset : query.offset + query.page_size]
        )
        from ..registry import type_label

        terms = query_terms(query.text)
        hits = []
        for row in rows:
            if use_headline and row["language"] != "zh":
                title = row["title_headline"] or row["title"]
                text = row["text_headline"] or ""
                if HIGHLIGHT_START not in text and terms:
                    text = snippet(f"{row['summary']} {row['body']}", terms)
            elif terms:
                from ..text import mark_terms

                title = mark_terms(clean_text(row["title"]), terms)
                text = snippet(f"{row['summary']} {row['body']}", terms)
            else:
                title = row["title"]
                text = snippet(row["summary"] or row["body"], [])
            hits.append(
                SearchHit(
                    page_id=row["page_id"],
                    url=row["url"],
                    title=render_highlight(title),
                    plain_title=row["title"],
                    content_type=row["content_type"],
                    type_label=type_label(row["content_type"]),
                    date=row["date"],
                    snippet=render_highlight(text),
                    language=row["language"],
                    locale=row["locale"],
                    identifier=row["identifier"],
                    score=float(row["score"] or 0),
                )
            )
        return hits, (rows[0]["total"] if rows else None)

    # --- facets -----------------------------------------------------------------------------------
    def _facet_counts(self, query) -> dict[str, dict[str, int]]:
        """Counts per facet value; a facet with an active filter is counted without that filter."""
        counts: dict[str, dict[str, int]] = {facet: {} for facet in query.facets}
        shared = [facet for facet in query.facets if facet not in query.filters]
        if shared:
            self._count_codes(self.matching(query), shared, counts)
        for facet in query.facets:
            if facet in query.filters:
                self._count_codes(self.matching(query, exclude_facet=facet), [facet], counts)
        return counts

    def _count_codes(self, queryset, facets: list[str], counts: dict) -> None:
        inner, params = queryset.order_by().values("codes").query.sql_with_params()
        patterns = [f"{facet}:%" for facet in facets]
        if self.is_postgresql:
            where = " OR ".join(["code LIKE %s"] * len(patterns))
            sql = (
                f"SELECT code, COUNT(*) FROM (SELECT jsonb_array_elements_text(e.codes) AS code "  # noqa: S608
                f"FROM ({inner}) e) c WHERE {where} GROUP BY code"
            )
        else:
            where = " OR ".join(["j.value LIKE %s"] * len(patterns))
            sql = f"SELECT j.value, COUNT(*) FROM ({inner}) e, json_each(e.codes) j WHERE {where} GROUP BY j.value"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *patterns])
            for code, number in cursor.fetchall():
                facet, _, value = code.partition(":")
                counts.setdefault(facet, {})[value] = number

    # --- suggestions ------------------------------------------------------------------------------
    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[dict]:
        """Titles (and identifiers) that start with, or have a word starting with, ``prefix``."""
        prefix = clean_text(prefix)[:100]
        if len(prefix) < 2:
            return []
        starts = Q(title__istartswith=prefix)
        word = Q(title__icontains=f" {prefix}")
        identifier = Q(identifier__startswith=prefix.upper())
        rows = (
            SearchEntry.objects.filter(locale=language)
            .filter(starts | word | identifier)
            .annotate(
                rank=Case(When(starts, then=Value(0)), When(identifier, then=Value(1)), default=Value(2)),
            )
            .order_by("rank", "title", "pk")
            .values("title", "url", "content_type", "identifier")[: limit * 3]
        )
        from ..registry import type_label

        suggestions, seen = [], set()
        for row in rows:
            if row["title"].lower() in seen:
                continue
            seen.add(row["title"].lower())
            suggestions.append(
                {
                    "title": row["title"],
                    "url": row["url"],
                    "type": type_label(row["content_type"]),
                    "identifier": row["identifier"],
                }
            )
            if len(suggestions) == limit:
                break
        return suggestions

    def spelling_suggestion(self, text: str, language: str) -> str:
        """The query with each unknown word replaced by the closest word of a title, or ""."""
        words = [word for word in query_terms(text) if len(word) >= 3][:SPELLING_MAX_WORDS]
        if not words:
            return ""
        vocabulary = self._title_words(words, language)
        if not vocabulary:
            return ""
        corrected = text
        changed = False
        for word in words:
            if word.lower() in vocabulary:
                continue
            match = difflib.get_close_matches(word.lower(), list(vocabulary), n=1, cutoff=0.7)
            if match:
                corrected = corrected.replace(word, vocabulary[match[0]], 1)
                changed = True
        return corrected if changed else ""

    def _title_words(self, words: list[str], language: str) -> dict[str, str]:
        """Lower-case word → word, from titles that look like the query's words."""
        titles = SearchEntry.objects.filter(locale=language)
        if self.is_postgresql:
            condition = Q()
            for word in words:
                condition |= Q(upper_title__trigram_word_similar=word.upper())
            titles = titles.annotate(upper_title=Upper("title")).filter(condition)[:50]
        else:
            titles = titles.order_by("-date")[:5000]
        vocabulary = {}
        for title in titles.values_list("title", flat=True):
            for match in WORD.finditer(title):
                vocabulary.setdefault(match.group(0).lower(), match.group(0).lower())
        return vocabulary
