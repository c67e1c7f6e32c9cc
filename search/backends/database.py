"""The database backend: our own search tables, searched with PostgreSQL full text.

``SearchEntry`` holds one narrow row per record and visitor language (facet codes, date, address);
``SearchText`` the searchable text, shared by the entries of an original and its aliases. On
PostgreSQL each text has a weighted ``tsvector`` built with its own language's configuration (title
A, tags and summary B, body C; identifier and vocabulary codes A with 'simple'), and a query is
parsed with each configuration *and* 'simple', so that stemming works per language while codes match
exactly. Facet codes live in a JSON list with a GIN index (``codes @> '["country:FR"]'``). On SQLite
(the embedded default) the same tables are searched by substring: enough for a small portal, and one
code path for filters and facets.
"""

import difflib
import hashlib
import json
import logging
import uuid
from collections import defaultdict

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQueryField, SearchRank
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
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

from ..models import SearchEntry, SearchText
from ..service import BackendResults, SearchHit
from ..text import (
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    TEXT_SEARCH_CONFIGS,
    WORD,
    cjk_bigrams,
    clean_text,
    mark_terms,
    prepare_query_text,
    query_terms,
    render_highlight,
    snippet,
    text_search_config,
)

logger = logging.getLogger(__name__)

TEXT_COLUMNS = (
    "translation_key",
    "language",
    "search_config",
    "title",
    "summary",
    "body",
    "tags",
    "keywords",
    "cjk_terms",
)
ENTRY_COLUMNS = (
    "locale",
    "translation_key",
    "page_id",
    "content_type",
    "text_id",
    "identifier",
    "url",
    "date",
    "codes",
    "indexed_at",
)
STAGING_TABLE_SQL = """
CREATE TEMPORARY TABLE IF NOT EXISTS chm_search_staged_text (
    translation_key uuid, language varchar(16), search_config varchar(20), title varchar(255),
    summary text, body text, tags text, keywords text, cjk_terms text
)"""
# Each part in the text's own configuration; identifiers, codes and CJK bigrams verbatim.
VECTOR_SQL = """(
    setweight(to_tsvector(search_config::regconfig, title), 'A')
    || setweight(to_tsvector('simple'::regconfig, keywords), 'A')
    || setweight(to_tsvector(search_config::regconfig, tags), 'B')
    || setweight(to_tsvector(search_config::regconfig, summary), 'B')
    || setweight(to_tsvector('simple'::regconfig, cjk_terms), 'B')
    || setweight(to_tsvector(search_config::regconfig, body), 'C')
)"""
CONFIGS = sorted(set(TEXT_SEARCH_CONFIGS.values()) - {"simple"})
RANK_WEIGHTS = [0.05, 0.2, 0.4, 1.0]  # D, C, B, A
TITLE_ONLY_WEIGHTS = [0.0, 0.0, 0.0, 1.0]
HEADLINE_SOURCE_LENGTH = 20_000
SPELLING_MAX_WORDS = 5
TEXT_TABLE = SearchText._meta.db_table


FACET_CACHE_SECONDS = getattr(settings, "SEARCH_FACET_CACHE_SECONDS", 300)
INDEX_VERSION_KEY = "chm_search:index-version"


def index_version() -> str:
    """A token that changes whenever the index does (kept in the shared cache, so every process sees it)."""
    version = cache.get(INDEX_VERSION_KEY)
    if version is None:
        cache.add(INDEX_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(INDEX_VERSION_KEY, "")
    return version


def changed_index() -> None:
    """Invalidate cached facet counts: now (for this transaction's own reads) and again after the commit
    (so that nothing counted by another process meanwhile, from the old rows, survives)."""
    cache.set(INDEX_VERSION_KEY, uuid.uuid4().hex, None)


def facet_cache_key(query) -> str:
    filters = sorted((facet, sorted(values)) for facet, values in query.filters.items())
    signature = json.dumps([query.language, query.text, filters, list(query.facets)], ensure_ascii=True)
    return f"chm_search:facets:{index_version()}:{hashlib.sha256(signature.encode()).hexdigest()}"


class DatabaseBackend:
    """Search over ``SearchEntry`` and ``SearchText``; PostgreSQL full text, or substrings elsewhere."""

    name = "database"
    unavailable_errors = ()  # the database is the last resort: its failure is the page's

    @property
    def is_postgresql(self) -> bool:
        return connection.vendor == "postgresql"

    # --- writing ----------------------------------------------------------------------------------
    def replace(self, keys: list[str], documents) -> None:
        """Make the rows of these translation groups exactly ``documents`` (one transaction)."""
        texts, entries = self._split(documents)
        changed_index()
        with transaction.atomic():
            transaction.on_commit(changed_index)
            SearchEntry.objects.filter(translation_key__in=keys)._raw_delete(SearchEntry.objects.db)
            SearchText.objects.filter(translation_key__in=keys)._raw_delete(SearchText.objects.db)
            if not entries:
                return
            if self.is_postgresql:
                text_ids = self._insert_texts_postgresql(list(texts.values()))
            else:
                created = SearchText.objects.bulk_create(
                    [SearchText(**dict(zip(TEXT_COLUMNS, row, strict=True))) for row in texts.values()]
                )
                text_ids = {(str(text.translation_key), text.language): text.pk for text in created}
            now = timezone.now()
            rows = [(*entry[:4], text_ids[text_key], *entry[4:], now) for entry, text_key in entries]
            if self.is_postgresql:
                self._copy_entries(rows)
            else:
                SearchEntry.objects.bulk_create(
                    [SearchEntry(**dict(zip(ENTRY_COLUMNS, row, strict=True))) for row in rows]
                )

    @staticmethod
    def _split(documents) -> tuple[dict, list]:
        """One text per (record, language of the text) — its tags merged from every entry showing it —
        and one entry per document, pointing at its text."""
        grouped = defaultdict(list)
        for document in documents:
            grouped[(document.translation_key, document.language)].append(document)
        texts = {}
        for text_key, group in grouped.items():
            first = group[0]
            tags = " · ".join(dict.fromkeys(tag for document in group for tag in document.tags.split(" · ") if tag))
            texts[text_key] = (
                first.translation_key,
                first.language,
                text_search_config(first.language),
                first.title,
                first.summary,
                first.body,
                tags,
                first.keywords,
                cjk_bigrams(" ".join([first.title, first.summary, tags, first.body])),
            )
        entries = [
            (
                (
                    document.locale,
                    document.translation_key,
                    document.page_id,
                    document.content_type,
                    document.identifier,
                    document.url,
                    document.date,
                    document.code_list,
                ),
                (document.translation_key, document.language),
            )
            for document in documents
        ]
        return texts, entries

    def _insert_texts_postgresql(self, texts: list[tuple]) -> dict:
        """COPY the texts into a temporary table, then insert them with their vectors computed there."""
        columns = ", ".join(TEXT_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(STAGING_TABLE_SQL)
            with cursor.cursor.copy(f"COPY chm_search_staged_text ({columns}) FROM STDIN") as copy:
                for row in texts:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {TEXT_TABLE} ({columns}, search_vector) "  # noqa: S608 - constant names
                f"SELECT {columns}, {VECTOR_SQL} FROM chm_search_staged_text "
                "RETURNING id, translation_key, language"
            )
            ids = {(str(key), language): pk for pk, key, language in cursor.fetchall()}
            cursor.execute("TRUNCATE chm_search_staged_text")
        return ids

    @staticmethod
    def _copy_entries(rows: list[tuple]) -> None:
        columns = ", ".join(ENTRY_COLUMNS)
        table = SearchEntry._meta.db_table
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([*row[:-2], json.dumps(row[-2]), row[-1]])

    def rebuild(self, batches) -> int:
        """Replace every group batch by batch, then drop the rows of groups that no longer exist."""
        started = timezone.now()
        count = 0
        for keys, documents in batches:
            self.replace(keys, documents)
            count += len(documents)
        SearchEntry.objects.filter(indexed_at__lt=started)._raw_delete(SearchEntry.objects.db)
        SearchText.objects.filter(entries__isnull=True).delete()
        return count

    def clear(self) -> None:
        SearchEntry.objects.all().delete()
        SearchText.objects.all().delete()
        changed_index()

    # --- reading ----------------------------------------------------------------------------------
    def _text_condition(self, text: str) -> Q:
        """Rows matching ``text`` as parsed by their own configuration, or verbatim ('simple').

        The query is parsed once per configuration (one small query); each distinct parse becomes
        a constant ``search_vector @@ 'lexemes'`` that PostgreSQL answers from the GIN index (the
        bitmaps are ORed), restricted to the rows whose configuration produced it.
        """
        condition = Q(pk__in=[])
        for tsquery, configs in self._parses(text).items():
            matches = Q(text__search_vector__matches=tsquery)
            condition |= matches if "simple" in configs else matches & Q(text__search_config__in=configs)
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
        column = f"{connection.ops.quote_name(TEXT_TABLE)}.search_config"  # joined by the F("text__…") beside it
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
            if self.is_postgresql:
                # Identifiers and codes are in every text's 'simple' part: the condition stays on the
                # texts table, where the GIN index answers it.
                condition = self._text_condition(query.text)
            else:
                identifier = self._identifier(query.text)
                condition = Q()
                for term in query_terms(query.text) or [query.text]:
                    condition &= (
                        Q(text__title__icontains=term)
                        | Q(text__summary__icontains=term)
                        | Q(text__body__icontains=term)
                        | Q(text__tags__icontains=term)
                        | Q(text__keywords__icontains=term)
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
        if total is None:  # no text (the count is cheap on its own) or past the last page
            total = queryset.count()
        facet_counts = self._facet_counts(query)
        return BackendResults(hits=hits, total=total, facet_counts=facet_counts)

    def _ordered(self, queryset, query):
        text = query.text
        if text and self.is_postgresql:
            tsquery = self._tsquery(text)
            score = SearchRank(F("text__search_vector"), tsquery, weights=RANK_WEIGHTS) + SearchRank(
                F("text__search_vector"), tsquery, weights=TITLE_ONLY_WEIGHTS
            )
            identifier = self._identifier(text)
            if identifier:
                score = score + Case(When(identifier=identifier, then=Value(100.0)), default=Value(0.0))
            queryset = queryset.annotate(score=ExpressionWrapper(score, output_field=FloatField()))
        elif text:
            terms = query_terms(text) or [text]
            whens = [When(identifier=self._identifier(text), then=Value(100))] if self._identifier(text) else []
            whens.append(When(text__title__icontains=text, then=Value(10)))
            whens += [When(text__title__icontains=term, then=Value(5)) for term in terms]
            whens += [When(text__summary__icontains=term, then=Value(2)) for term in terms]
            queryset = queryset.annotate(score=Case(*whens, default=Value(1), output_field=IntegerField()))
        else:
            queryset = queryset.annotate(score=Value(0.0, output_field=FloatField()))
        newest = F("date").desc(nulls_last=True)
        if query.sort == "date":
            return queryset.order_by(newest, "-score", "-pk")
        if text:
            return queryset.order_by("-score", newest, "-pk")
        return queryset.order_by(newest, "-pk")  # read in the order of the (locale, date, id) index

    def _hits(self, queryset, query) -> tuple[list[SearchHit], int | None]:
        """One page of hits and the total. With text, the total comes with the page (ranking reads every
        match anyway); without, it is ``None`` and counted apart, so that the page is read from the
        (locale, date) index alone."""
        fields = ["pk", "page_id", "url", "content_type", "date", "locale", "identifier", "score", "total"]
        texts = {name: F(f"text__{name}") for name in ("title", "summary", "body", "language")}
        ordered = self._ordered(queryset, query)
        ordered = ordered.annotate(total=Window(Count("pk")) if query.text else Value(None, IntegerField()))
        use_headline = bool(query.text) and self.is_postgresql
        if use_headline:
            tsquery = self._tsquery(query.text)
            options = {"start_sel": HIGHLIGHT_START, "stop_sel": HIGHLIGHT_STOP, "config": F("text__search_config")}
            source = Concat("text__summary", Value(" "), "text__body", output_field=TextField())
            ordered = ordered.annotate(
                title_headline=SearchHeadline("text__title", tsquery, highlight_all=True, **options),
                text_headline=SearchHeadline(
                    Substr(source, 1, HEADLINE_SOURCE_LENGTH),
                    tsquery,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **options,
                ),
            )
            fields += ["title_headline", "text_headline"]
        window = slice(query.offset, query.offset + query.page_size)
        rows = list(ordered.values(*fields, **texts)[window])
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
        """Counts per facet value; a facet with an active filter is counted without that filter.

        Counting reads every matching entry, so the counts are cached until the index changes (the
        broadest searches, such as the search page without a query, are also the most frequent).
        """
        key = facet_cache_key(query)
        counts = cache.get(key) if FACET_CACHE_SECONDS else None
        if counts is None:
            counts = self._count_facets(query)
            if FACET_CACHE_SECONDS:
                cache.set(key, counts, FACET_CACHE_SECONDS)
        return counts

    def _count_facets(self, query) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {facet: {} for facet in query.facets}
        shared = [facet for facet in query.facets if facet not in query.filters]
        if shared:
            self._count_codes(self.matching(query), shared, counts)
        for facet in query.facets:
            if facet in query.filters:
                self._count_codes(self.matching(query, exclude_facet=facet), [facet], counts)
        return counts

    def _count_codes(self, queryset, facets: list[str], counts: dict) -> None:
        try:
            inner, params = queryset.order_by().values("codes").query.sql_with_params()
        except EmptyResultSet:  # a text with nothing to look for matches nothing: no counts
            return
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
        entries = SearchEntry.objects.filter(locale=language)
        fields = {"title": F("text__title"), "code": F("identifier"), "text_language": F("text__language")}
        # Two queries, each on one table's index: titles (trigram index) and identifiers (b-tree).
        starts = Q(text__title__istartswith=prefix)
        by_title = (
            entries.filter(starts | Q(text__title__icontains=f" {prefix}"))
            .annotate(rank=Case(When(starts, then=Value(0)), default=Value(1)))
            .order_by("rank", "text__title", "pk")
            .values("rank", "url", "content_type", **fields)[: limit * 3]
        )
        by_identifier = (
            entries.filter(identifier__startswith=prefix.upper())
            .order_by("identifier")
            .values("url", "content_type", **fields)[:limit]
        )
        titles = list(by_title)
        rows = [row for row in titles if row["rank"] == 0] + list(by_identifier)
        rows += [row for row in titles if row["rank"] != 0]
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
                    "identifier": row["code"],
                    "language": row["text_language"],
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
        titles = SearchText.objects.filter(entries__locale=language)
        if self.is_postgresql:
            condition = Q()
            for word in words:
                condition |= Q(upper_title__trigram_word_similar=word.upper())
            titles = titles.annotate(upper_title=Upper("title")).filter(condition)[:50]
        else:
            titles = titles.order_by("-pk")[:5000]
        vocabulary = {}
        for title in titles.values_list("title", flat=True):
            for match in WORD.finditer(title):
                vocabulary.setdefault(match.group(0).lower(), match.group(0).lower())
        return vocabulary
