"""The database backend: our own ``SearchEntry`` table, searched with PostgreSQL full text.

On PostgreSQL each row holds a weighted ``tsvector`` built with its own language's configuration
(title A, tags and summary B, body C; identifier and vocabulary codes A with 'simple'), and a query
is parsed with the row's configuration *and* 'simple', so that stemming works per language while
codes match exactly. Facet codes live in a JSON list with a GIN index (``codes @> '["country:FR"]'``).
On SQLite (the embedded default) the same table is searched by substring, which is enough for a
small portal and keeps one code path for filters and facets.
"""

import difflib
import logging

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import Case, ExpressionWrapper, F, FloatField, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Concat, Substr, Upper
from django.utils import timezone

from ..models import SearchEntry
from ..service import BackendResults, SearchHit
from ..text import (
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
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
        with transaction.atomic():
            SearchEntry.objects.filter(translation_key__in=keys).delete()
            self._insert(documents)
            if self.is_postgresql and documents:
                SearchEntry.objects.filter(translation_key__in=keys).update(search_vector=self.vector())

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

    def _insert(self, documents) -> None:
        SearchEntry.objects.bulk_create(
            [
                SearchEntry(
                    locale=document.locale,
                    translation_key=document.translation_key,
                    page_id=document.page_id,
                    content_type=document.content_type,
                    language=document.language,
                    search_config=text_search_config(document.language),
                    title=document.title,
                    summary=document.summary,
                    body=document.body,
                    tags=document.tags,
                    keywords=document.keywords,
                    cjk_terms=cjk_bigrams(" ".join([document.title, document.summary, document.tags, document.body])),
                    identifier=document.identifier,
                    url=document.url,
                    date=document.date,
                    codes=document.code_list,
                )
                for document in documents
            ],
            batch_size=500,
        )

    @staticmethod
    def vector():
        """The weighted document vector, each text part in the row's own configuration."""
        config = F("search_config")
        return (
            SearchVector("title", config=config, weight="A")
            + SearchVector("keywords", config="simple", weight="A")
            + SearchVector("tags", config=config, weight="B")
            + SearchVector("summary", config=config, weight="B")
            + SearchVector("cjk_terms", config="simple", weight="B")
            + SearchVector("body", config=config, weight="C")
        )

    # --- reading ----------------------------------------------------------------------------------
    def _tsquery(self, text: str):
        prepared = prepare_query_text(text)
        return SearchQuery(prepared, search_type="websearch", config=F("search_config")) | SearchQuery(
            prepared, search_type="websearch", config="simple"
        )

    def _identifier(self, text: str) -> str:
        candidate = text.strip().upper()
        return candidate if candidate and " " not in candidate and len(candidate) <= 100 else ""

    def matching(self, query, exclude_facet: str | None = None):
        """Rows in the visitor's language that match the text and every filter but ``exclude_facet``."""
        queryset = SearchEntry.objects.filter(locale=query.language)
        if query.text:
            identifier = self._identifier(query.text)
            if self.is_postgresql:
                condition = Q(search_vector=self._tsquery(query.text))
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
        total = queryset.count()
        hits = self._hits(queryset, query) if total and query.offset < total else []
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

    def _hits(self, queryset, query) -> list[SearchHit]:
        fields = ["pk", "page_id", "url", "title", "content_type", "date", "summary", "body", "language", "locale"]
        ordered = self._ordered(queryset, query)
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
        rows = ordered.values(*fields, "identifier", "score")[query.offset : query.offset + query.page_size]
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
        return hits

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
