"""The database backend: our own search tables, searched with PostgreSQL full text.

``SearchEntry`` holds one narrow row per record and visitor language (facet codes, date, address);
``SearchText`` the searchable text, shared by the entries of an original and its aliases. On
PostgreSQL each text has a weighted ``tsvector`` built with its own language's configuration (title
A, tags and summary B, body C; identifier and vocabulary codes A with 'simple'), and a query is
parsed with each configuration *and* 'simple', so that stemming works per language while codes match
exactly. Facet codes live in a JSON list; a filter reads them from a GIN index per language
(``chm_search_locale_codes(locale, codes) && '{en|country:FR}'``). On SQLite
(the embedded default) the same tables are searched by substring: enough for a small portal, and one
code path for filters and facets.
"""

import dataclasses
import difflib
import functools
import hashlib
import json
import logging
import re
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQueryField, SearchRank
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL, Window
from django.db.models.functions import Collate, Concat, Substr, Upper
from django.utils import timezone

from ..models import LocaleCodes, SearchEntry, SearchFacetCount, SearchText, locale_code
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
    "locale_codes",
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
STAGING_TABLE = "chm_search_staged_texts"
# The columns of a staged or loaded text, ``id`` first where it has one: its codes as an array (see VECTOR_SQL),
# then grouped by language as the texts table stores them (``grouped_codes``, made by ``staged_row``).
STAGED_COLUMNS_SQL = """translation_key uuid, language varchar(16), search_config varchar(20), title varchar(255),
    summary text, body text, tags text, keywords text, cjk_terms text, locale_codes text[], grouped_codes jsonb"""
STAGED_COPY_COLUMNS = ", ".join((*TEXT_COLUMNS, "grouped_codes"))
STAGING_TABLE_SQL = f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING_TABLE} ({STAGED_COLUMNS_SQL})"
# Each part in the text's own configuration; identifiers, codes and CJK bigrams verbatim. Computed from
# the staged or loaded texts, whose ``locale_codes`` are an array there (a JSON list in the texts table):
# a sub-select unnesting a JSON list is parallel-restricted, and a parallel plan then computes every
# vector in its leader alone.
VECTOR_SQL = """(
    setweight(to_tsvector(search_config::regconfig, title), 'A')
    || setweight(to_tsvector('simple'::regconfig, keywords), 'A')
    || setweight(to_tsvector(search_config::regconfig, tags), 'B')
    || setweight(to_tsvector(search_config::regconfig, summary), 'B')
    || setweight(to_tsvector('simple'::regconfig, cjk_terms), 'B')
    || setweight(to_tsvector(search_config::regconfig, body), 'C')
    || array_to_tsvector(locale_codes)
)"""
# The texts table's columns as selected from a staged or loaded text. The codes are stored grouped by
# language, as grouped here (``codes_by_locale``): grouping them in SQL (``chm_search_codes_by_locale``,
# migration 0009) cost a third as much as computing the vectors.
STAGED_COLUMNS = ", ".join("grouped_codes" if column == "locale_codes" else column for column in TEXT_COLUMNS)
# From this many texts in one write (a rebuild's batches, a large re-index), the vectors are computed by
# PostgreSQL's parallel workers: the texts are copied into an unlogged table of this transaction (parallel
# workers cannot read a temporary one), copied out with their vectors (COPY TO runs a parallel plan) and
# copied into the texts table, binary in both directions. Fewer texts take the temporary table's way.
PARALLEL_TEXTS = 200
LOAD_TABLE_SQL = (
    f"CREATE UNLOGGED TABLE {{table}} (id bigint, {STAGED_COLUMNS_SQL})"
    " WITH (parallel_workers = {workers}, autovacuum_enabled = false)"
)
# The temporary table in which a helper connection of a first build computes the vectors of its batches.
VECTOR_TABLE = "chm_search_vector_load"
VECTOR_TABLE_SQL = f"CREATE TEMPORARY TABLE {VECTOR_TABLE} (id bigint, {STAGED_COLUMNS_SQL}) ON COMMIT DROP"
# Every text is worth a worker (to_tsvector costs far more than reading a row): plan as many as allowed.
PARALLEL_PLAN_SQL = (
    "SET LOCAL max_parallel_workers_per_gather = {workers}; SET LOCAL parallel_setup_cost = 0;"
    " SET LOCAL parallel_tuple_cost = 0; SET LOCAL min_parallel_table_scan_size = 0"
)
PARALLEL_PLAN_RESET_SQL = (
    "RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost;"
    " RESET min_parallel_table_scan_size"
)
CONFIGS = sorted(set(TEXT_SEARCH_CONFIGS.values()) - {"simple"})
RANK_WEIGHTS = [0.05, 0.2, 0.4, 1.0]  # D, C, B, A
TITLE_ONLY_WEIGHTS = [0.0, 0.0, 0.0, 1.0]
HEADLINE_SOURCE_LENGTH = 20_000
SPELLING_MAX_WORDS = 5
TEXT_TABLE = SearchText._meta.db_table
ENTRY_TABLE = SearchEntry._meta.db_table
COUNT_TABLE = SearchFacetCount._meta.db_table

# Up to this many matches (``SEARCH_EXACT_LIMIT``), a search is answered exactly: every match counted
# and ranked, every facet value counted. Beyond it the total and the facet counts are estimated from a
# sample of the index (shown as "about 12,400"), and the relevance ranking reads the best candidates
# only (see the README).
EXACT_LIMIT = 1000
# Candidates ranked when there are more matches than EXACT_LIMIT: the newest matches of the title (and
# identifier), and the newest matches of any part of the text, this many of each (more for deep pages).
CANDIDATES = 100
# Rows of the entries table read by an estimate (TABLESAMPLE SYSTEM; ``SEARCH_SAMPLE_ROWS``): the
# whole table is counted exactly while it is no bigger.
SAMPLE_ROWS = 6_000
SAMPLE_SEED = 13  # the same sample for every search until the index changes: estimates do not flicker
# A text the planner expects in more than this many times the limit is estimated without counting.
PLANNED_FACTOR = 2
# A text of several common lexemes the planner may underestimate is estimated from the sample when the
# sample holds at least this many matches and they scale to more than this many times the limit: a
# text with fewer matches than the limit would give a sample a third of that on average.
SAMPLE_SURE_MATCHES = 30
SAMPLE_SURE_FACTOR = 3
SAMPLE_PLAN_SQL = (
    "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off;"
    " SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off"
)
SAMPLE_PLAN_RESET_SQL = "RESET enable_hashjoin; RESET enable_mergejoin; RESET enable_bitmapscan; RESET enable_seqscan"
# Beyond the limit, the newest matches are read by walking the (locale, date) index when about this many
# entries are enough to find them (a common text); a rarer one is left to the planner.
WALK_ROWS = 20_000
# A text is read first (its texts from the vectors' index, then their entries of the language) when the
# planner expects it in at most this many texts per entry its filters select: reading a text's id costs a
# heap page and an entry lookup, checking an entry's text costs reading its vector (several pages more).
TEXT_FIRST_FACTOR = 2
TEXTS_FIRST, PER_ENTRY = "texts", "entries"
# The newest title matches are read from the titles' trigram index unless it finds more texts than this
# many per candidate wanted: the planner's walk over the newest entries then finds them soon.
TITLE_ROWS = 8
# ... in which case the newest title matches are looked for among this many newest entries per candidate
# wanted, at most (a word in fewer titles than one in 10 can have fewer candidates from its titles).
TITLE_WALK = 10
TITLE_COMMON_SHARE = 0.05  # a word in this share of the entries is taken to be in many titles
YEAR_FACET = "year"  # every dated entry holds its date's year as a code (``indexing``)
# At most this many texts' ids are read first (the planner's figure); a text in more is left to the
# planner without filters, and read per entry with them.
TEXT_IDS = 5_000
# Titles with a word (not their first) starting with a suggestion's prefix: at most this many are read.
SUGGEST_INSIDE_ROWS = 200
# GIN indexes take new rows into a pending list that every search then reads through, row by row:
# merged into the index at each write (in bulk, which is cheaper than inserting each key directly),
# searches never wait on thousands of pending rows.
GIN_INDEXES = ("chm_search_locale_codes_gin", "chm_search_text_vector_gin", "chm_search_text_title_trgm")
# A write's new keys wait in the pending lists until the end of its transaction, where they are merged in
# one pass with enough memory (an insertion that overflows the default 4 MB list merges it there and then,
# with work_mem, again and again for a large write).
WRITE_SETTINGS_SQL = (
    "SET LOCAL synchronous_commit = off; SET LOCAL gin_pending_list_limit = '64MB';"
    " SET LOCAL maintenance_work_mem = '256MB'"
)
# A first build's index builds and counts take minutes at scale: a statement_timeout given in DATABASE_URL
# is meant for the pages.
NO_TIMEOUT_SQL = "SET LOCAL statement_timeout = 0"
CLEAN_PENDING_SQL = "SELECT " + ", ".join(f"gin_clean_pending_list('{name}'::regclass)" for name in GIN_INDEXES)
# The net change of the facet counts of some translation groups, in one statement before their rows are
# replaced: minus their rows now, plus the new entries' codes (counted by the writer); codes whose count
# does not change are not written, and rows are upserted in (locale, code) order, so concurrent writers
# never deadlock.
COUNT_CHANGE_SQL = f"""
    INSERT INTO {COUNT_TABLE} (locale, code, count)
    SELECT locale, code, SUM(number) FROM (
        SELECT locale, jsonb_array_elements_text(codes) AS code, -1 AS number FROM {ENTRY_TABLE}
        WHERE translation_key = ANY(%s::uuid[])
        UNION ALL SELECT locale, '*', -1 FROM {ENTRY_TABLE} WHERE translation_key = ANY(%s::uuid[])
        UNION ALL SELECT * FROM unnest(%s::varchar[], %s::text[], %s::int[])
    ) AS changed GROUP BY locale, code HAVING SUM(number) <> 0 ORDER BY locale, code
    ON CONFLICT (locale, code) DO UPDATE SET count = {COUNT_TABLE}.count + EXCLUDED.count
"""  # noqa: S608 - constant names
RECOUNT_SQL = {  # from the entries table ``{entries}``
    "postgresql": f"""
        INSERT INTO {COUNT_TABLE} (locale, code, count)
        SELECT locale, code, COUNT(*) FROM {{entries}}, jsonb_array_elements_text(codes) AS code
        GROUP BY locale, code
        UNION ALL SELECT locale, '*', COUNT(*) FROM {{entries}} GROUP BY locale
    """,  # noqa: S608 - constant names
    "sqlite": f"""
        INSERT INTO {COUNT_TABLE} (locale, code, count)
        SELECT locale, j.value, COUNT(*) FROM {{entries}}, json_each(codes) AS j GROUP BY locale, j.value
        UNION ALL SELECT locale, '*', COUNT(*) FROM {{entries}} GROUP BY locale
    """,  # noqa: S608 - constant names
}


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


SAMPLE_MARK = "#"
IDS_MARK = "#ids:"  # the row of a texts-side count that lists the matching texts' ids
CONFIG_MARK = "config:"
LEXEME = re.compile(r"('(?:[^']|'')*')")  # a lexeme in the text form of a tsquery


class TextCodes(list):
    """A text's ``locale_codes`` (``text_locale_codes``), with the same codes as the texts table stores them,
    grouped by language, in JSON (``grouped``: what ``codes_by_locale`` makes of the list)."""

    __slots__ = ("grouped",)


@functools.lru_cache(maxsize=64)
def json_string(text: str) -> str:
    """``text`` as a JSON string (a language code: a few, again and again)."""
    return json.dumps(text)


def text_locale_codes(config: str, documents, code_lists, encoded: dict | None = None) -> TextCodes:
    """A text's ``locale_codes``: ``config:<configuration>``, then for each entry showing it ``<locale>|*``
    and ``<locale>|<code>`` for each of its codes (``code_lists``: each document's ``code_list``; see
    ``SearchText.locale_codes``). ``encoded``: the JSON of each code list, sorted, kept across the texts
    of a write (the entries of one record, in every language, have the same codes)."""
    encoded = {} if encoded is None else encoded
    codes = [f"{CONFIG_MARK}{config}"]
    grouped: dict[str, str] = {}
    for document, code_list in zip(documents, code_lists, strict=True):
        codes.append(locale_code(document.locale, SearchFacetCount.TOTAL))
        prefix = locale_code(document.locale, "")
        codes += [prefix + code for code in code_list]
        key = tuple(code_list)
        if document.locale in grouped:  # not made by _split: one entry per language and text
            key = tuple(json.loads(grouped[document.locale])) + key
        if key not in encoded:
            encoded[key] = json.dumps(sorted(set(key)), separators=(",", ":"))
        grouped[document.locale] = encoded[key]
    listed = TextCodes(dict.fromkeys(codes))
    listed.grouped = "{" + ",".join(f"{json_string(locale)}:{shown}" for locale, shown in grouped.items()) + "}"
    return listed


def codes_by_locale(codes: list[str]) -> dict[str, list[str]]:
    """A text's ``locale_codes`` as stored: ``{locale: [its entry's codes]}`` for each language showing it
    (``chm_search_codes_by_locale`` in SQL, migration 0009)."""
    grouped: dict[str, list[str]] = {}
    for code in sorted(codes):
        locale, bar, rest = code.partition("|")
        if bar:
            shown = grouped.setdefault(locale, [])
            if rest != SearchFacetCount.TOTAL:
                shown.append(rest)
    return dict(sorted(grouped.items()))


def quoted_lexeme(lexeme: str) -> str:
    """A lexeme in the text form of a tsquery, taken as it is (not parsed, not stemmed)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def of_facets(rows, patterns: list[str], *marks: str) -> dict[str, int]:
    """``(code, count)`` rows as a dict, keeping the total (``*``), ``marks`` and the codes of the facets
    in ``patterns`` (``facet:%``) only."""
    facets = tuple(pattern.removesuffix("%") for pattern in patterns)
    keep = {SearchFacetCount.TOTAL, *marks}
    return {code: number for code, number in rows if code in keep or code.startswith(facets)}


def codes_tsquery(query, exclude_facet: str | None = None) -> str:
    """The tsquery of the texts that the visitor's language shows with every filter's codes but
    ``exclude_facet``'s (``(fr|country:GM | fr|country:KE) & (fr|target:GBF-T7)``), which every vector
    holds as lexemes; ``fr|*``, every text of the language, when no filter's code says the language."""
    parts = []
    for facet, values in query.filters.items():
        if facet != exclude_facet:
            codes = [quoted_lexeme(locale_code(query.language, f"{facet}:{value}")) for value in values]
            parts.append(f"({' | '.join(codes)})")
    return " & ".join(parts) or quoted_lexeme(locale_code(query.language, SearchFacetCount.TOTAL))


def id_array(ids) -> str:
    """Ids as the text of a PostgreSQL array, one string parameter: the driver quotes a list of thousands
    of numbers element by element (milliseconds per statement, for every statement that repeats it)."""
    return "{" + ",".join(str(int(value)) for value in ids) + "}"


NEWEST = (F("date").desc(nulls_last=True), F("pk").desc())  # newest first, as the (locale, date) index reads


def own_text_holds(queryset, condition: Q):
    """``queryset``'s entries whose own text meets ``condition`` (on the texts table), checked by a subquery
    on the text's primary key per entry, which the planner cannot turn into a join."""
    texts = SearchText.objects.filter(condition, pk=OuterRef("text_id"))
    return queryset.alias(own_text=Subquery(texts.values("pk")[:1])).filter(own_text__isnull=False)


def entries_of(ids) -> RawSQL:
    """The condition of the entries ``ids``: one array parameter rather than one placeholder per id."""
    column = f"{connection.ops.quote_name(ENTRY_TABLE)}.{connection.ops.quote_name('id')}"
    return RawSQL(f"{column} = ANY(%s::bigint[])", [id_array(ids)], output_field=BooleanField())  # noqa: S611


def showing_texts(ids) -> RawSQL:
    """The condition of the entries showing one of the texts ``ids``: a constant list, which the planner
    sizes right (a subquery it would run once per entry)."""
    column = f"{connection.ops.quote_name(ENTRY_TABLE)}.{connection.ops.quote_name('text_id')}"
    return RawSQL(f"{column} = ANY(%s::bigint[])", [id_array(ids)], output_field=BooleanField())  # noqa: S611


def searched(query) -> tuple:
    """What a search looks for (a backend's per-search notes are kept under it)."""
    return query.language, query.text, tuple(sorted((facet, tuple(values)) for facet, values in query.filters.items()))


def newest_showing(entries, text_ids, size: int) -> list[int]:
    """The ids of the ``size`` newest of ``entries`` showing one of the texts ``text_ids``."""
    return list(entries.filter(showing_texts(text_ids)).order_by(*NEWEST).values_list("pk", flat=True)[:size])


def text_array(values) -> str:
    """Strings as the text of a PostgreSQL array, each quoted (the driver's adaptation of a list is several
    times slower, for every text of a bulk load). Escaped once over the whole, joined at a NUL character,
    which no text stored in PostgreSQL holds."""
    if not values:
        return "{}"
    joined = "\x00".join(values).replace("\\", "\\\\").replace('"', '\\"')
    return '{"' + joined.replace("\x00", '","') + '"}'


def staged_row(row: tuple, *first) -> tuple:
    """A text of ``DatabaseBackend._split`` as a row of a staged or loaded text (``STAGED_COPY_COLUMNS``),
    after ``first`` (its id)."""
    codes = row[-1]  # a TextCodes
    return (*first, *row[:-1], text_array(codes), codes.grouped)


def loaded_texts_sql(table: str) -> str:
    """The rows of the texts table, vectors computed, from the load table ``table`` (in its columns' order)."""
    return f"SELECT id, {STAGED_COLUMNS}, {VECTOR_SQL} FROM {table}"  # noqa: S608 - constant names


def next_text_ids(cursor, number: int, table: str = TEXT_TABLE) -> list[int]:
    """``number`` ids drawn from the sequence of ``table``'s ids (from any connection: a sequence is not
    transactional)."""
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, number])
    return [pk for (pk,) in cursor.fetchall()]


def copy_loaded(cursor, table: str, ids: list[int], texts: list[tuple]) -> None:
    """The texts (``DatabaseBackend._split``'s) into the load table ``table`` with these ids (on a psycopg
    cursor: Django's wraps it)."""
    with cursor.copy(f"COPY {table} (id, {STAGED_COPY_COLUMNS}) FROM STDIN") as copy:
        for pk, row in zip(ids, texts, strict=True):
            copy.write_row(staged_row(row, pk))


def vectors_out(cursor, table: str, ids: list[int], texts: list[tuple]) -> list:
    """The texts as rows of the texts table with their vectors, in COPY's binary format: copied into the
    load table ``table``, then out with the vectors computed."""
    copy_loaded(cursor, table, ids, texts)
    with cursor.copy(f"COPY ({loaded_texts_sql(table)}) TO STDOUT (FORMAT BINARY)") as copy:
        return list(copy)


def text_ids_of(ids: list[int], texts: list[tuple]) -> dict:
    """``(translation key, language)`` → id, for texts given these ids in this order."""
    return {(str(row[0]), row[1]): pk for pk, row in zip(ids, texts, strict=True)}


def entry_rows(entries: list, text_ids: dict) -> list[tuple]:
    """The entries of ``DatabaseBackend._split`` as rows of the entries table (``ENTRY_COLUMNS``)."""
    now = timezone.now()
    return [(*entry[:4], text_ids[text_key], *entry[4:], now) for entry, text_key in entries]


def copy_entries(cursor, table: str, rows: list[tuple]) -> None:
    """Rows of ``entry_rows`` into the entries table ``table`` (on a psycopg cursor)."""
    dumped = {}  # the JSON of each code list (the entries of one record may share theirs)
    with cursor.copy(f"COPY {table} ({', '.join(ENTRY_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            codes = id(row[-2])
            if codes not in dumped:
                dumped[codes] = json.dumps(row[-2])
            copy.write_row([*row[:-2], dumped[codes], row[-1]])


def copy_texts_in(cursor, chunks: list) -> None:
    """Rows made by ``vectors_out`` into the texts table, unparsed."""
    columns = ", ".join(TEXT_COLUMNS)
    with cursor.copy(f"COPY {TEXT_TABLE} (id, {columns}, search_vector) FROM STDIN (FORMAT BINARY)") as copy:
        for chunk in chunks:
            copy.write(chunk)


def index_workers() -> int:
    """Parallel workers that compute the vectors of a large write (``SEARCH_INDEX_WORKERS``, default 2;
    0 computes them in the writing connection alone)."""
    return max(0, int(getattr(settings, "SEARCH_INDEX_WORKERS", 2)))


def exact_limit() -> int:
    """Matches up to which a search is counted and ranked exactly (``SEARCH_EXACT_LIMIT``)."""
    return max(1, int(getattr(settings, "SEARCH_EXACT_LIMIT", EXACT_LIMIT)))


@dataclass(frozen=True)
class Summary:
    total: int
    estimated: bool
    facet_counts: dict[str, dict[str, int]]
    estimated_facets: frozenset[str]
    share: float = 0.0  # estimated: the share of the language's entries that match
    text_mode: str | None = None  # which side the matches are read from (``DatabaseBackend.matching``)
    text_ids: tuple[int, ...] | None = None  # the matches' texts, when counted from them (exact, filtered)


class _IndexSizes:
    """The number of entries, in all and in one language, read once from the maintained counts."""

    def __init__(self, locale: str, codes=()):
        self.locale = locale
        self.codes = sorted(set(codes))  # the filters' codes, whose counts in ``locale`` are read alongside
        self._rows: dict[str, int] | None = None
        self._codes: dict[str, int] = {}

    def _read(self) -> dict[str, int]:
        if self._rows is None:
            self._rows = {}
            wanted = Q(code=SearchFacetCount.TOTAL) | Q(locale=self.locale, code__in=self.codes)
            for locale, code, count in SearchFacetCount.objects.filter(wanted).values_list("locale", "code", "count"):
                if code == SearchFacetCount.TOTAL:
                    self._rows[locale] = count
                else:
                    self._codes[code] = count
        return self._rows

    def filtered_rows(self, filters: dict[str, list[str]]) -> int:
        """At most how many entries of the language these filters select: the fewest of any facet's
        (the sum of its values' maintained counts)."""
        self._read()
        rows = self.locale_rows()
        for facet, values in filters.items():
            rows = min(rows, sum(self._codes.get(f"{facet}:{value}", 0) for value in values))
        return rows

    def locale_rows(self) -> int:
        return self._read().get(self.locale, 0)

    def scaled(self, facets: list[str], matches: int) -> dict[str, int]:
        """The language's maintained counts of these facets' codes scaled to ``matches`` entries
        (as if the text were independent of the facets), values below one half left out."""
        share = matches / max(1, self.locale_rows())
        patterns = Q()
        for facet in facets:
            patterns |= Q(code__startswith=f"{facet}:")
        if not facets:
            return {}
        rows = SearchFacetCount.objects.filter(patterns, locale=self.locale, count__gt=0).values_list("code", "count")
        return {code: round(count * share) for code, count in rows if round(count * share) >= 1}

    def sample_percent(self) -> float | None:
        """The share of the table's pages an estimate reads, or None when reading it all is as cheap."""
        rows = sum(self._read().values())
        wanted = max(1, int(getattr(settings, "SEARCH_SAMPLE_ROWS", SAMPLE_ROWS)))
        return None if rows <= wanted else 100.0 * wanted / rows


class DatabaseBackend:
    """Search over ``SearchEntry`` and ``SearchText``; PostgreSQL full text, or substrings elsewhere."""

    name = "database"
    unavailable_errors = ()  # the database is the last resort: its failure is the page's

    @property
    def is_postgresql(self) -> bool:
        return connection.vendor == "postgresql"

    # --- writing ----------------------------------------------------------------------------------
    def replace(self, keys: list[str], documents, *, bulk: bool = False, split=None) -> None:
        """Make the rows of these translation groups exactly ``documents`` (one transaction). ``bulk``:
        the groups have no rows yet and the counts are made afterwards (the first build, see ``rebuild``).
        ``split``: ``_split(documents)``, when the caller has made it already."""
        texts, entries = split or self._split(documents)
        changed_index()
        with transaction.atomic():
            transaction.on_commit(changed_index)
            if self.is_postgresql:
                # Derived data, rebuilt by `reindex`: a crash may lose the last write, never half of one.
                with connection.cursor() as cursor:
                    cursor.execute(WRITE_SETTINGS_SQL)
            if not bulk:
                self._count_change(keys, entries)
                SearchEntry.objects.filter(translation_key__in=keys)._raw_delete(SearchEntry.objects.db)
                SearchText.objects.filter(translation_key__in=keys)._raw_delete(SearchText.objects.db)
            if not entries:
                return
            if self.is_postgresql:
                text_ids = self._insert_texts_postgresql(list(texts.values()))
            else:
                stored = [dict(zip(TEXT_COLUMNS, row, strict=True)) for row in texts.values()]
                for text in stored:  # grouped by language, as PostgreSQL stores them
                    text["locale_codes"] = codes_by_locale(text["locale_codes"])
                created = SearchText.objects.bulk_create([SearchText(**text) for text in stored])
                text_ids = {(str(text.translation_key), text.language): text.pk for text in created}
            rows = entry_rows(entries, text_ids)
            if self.is_postgresql:
                self._copy_entries(rows)
            else:
                SearchEntry.objects.bulk_create(
                    [SearchEntry(**dict(zip(ENTRY_COLUMNS, row, strict=True))) for row in rows]
                )
            if not bulk and self.is_postgresql:
                with connection.cursor() as cursor:
                    cursor.execute(CLEAN_PENDING_SQL)

    def _count_change(self, keys: list[str], entries: list) -> None:
        """Change the maintained facet counts by what replacing these groups' rows with ``entries`` does:
        their new entries (counted here) minus their rows now (read in the same statement)."""
        added: Counter = Counter()
        for entry, _text_key in entries:
            locale, codes = entry[0], entry[-1]
            added[(locale, SearchFacetCount.TOTAL)] += 1
            for code in codes:
                added[(locale, code)] += 1
        if self.is_postgresql:
            changed = sorted(added.items())
            with connection.cursor() as cursor:
                cursor.execute(
                    COUNT_CHANGE_SQL,
                    [
                        keys,
                        keys,
                        [lc[0] for lc, _n in changed],
                        [lc[1] for lc, _n in changed],
                        [n for _lc, n in changed],
                    ],
                )
            return
        delta: dict[tuple[str, str], int] = defaultdict(int, added)
        for locale, codes in SearchEntry.objects.filter(translation_key__in=keys).values_list("locale", "codes"):
            for code in [SearchFacetCount.TOTAL, *codes]:
                delta[(locale, code)] -= 1
        for (locale, code), number in sorted(delta.items()):
            if number:
                counted, _created = SearchFacetCount.objects.get_or_create(locale=locale, code=code)
                SearchFacetCount.objects.filter(pk=counted.pk).update(count=F("count") + number)

    def recount(self, entries: str = ENTRY_TABLE) -> None:
        """Count every facet code anew from the entries (after a rebuild, or to repair the counts); from
        the table ``entries`` (a first build's, before it takes the entries table's place)."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {COUNT_TABLE}")  # noqa: S608 - constant names
            cursor.execute(RECOUNT_SQL["postgresql" if self.is_postgresql else "sqlite"].format(entries=entries))

    @staticmethod
    def _split(documents) -> tuple[dict, list]:
        """One text per (record, language of the text) — its tags merged from every entry showing it —
        and one entry per document, pointing at its text."""
        grouped = defaultdict(list)
        code_lists = {}  # a document's codes, made once for its text and its entry
        made = {}  # the code list of each ``codes`` (the documents of one record may share theirs)
        for document in documents:
            grouped[(document.translation_key, document.language)].append(document)
            codes = id(document.codes)
            if codes not in made:
                made[codes] = document.code_list
            code_lists[id(document)] = made[codes]
        texts = {}
        encoded = {}  # each code list's JSON, for text_locale_codes
        for text_key, group in grouped.items():
            first = group[0]
            tags = " · ".join(dict.fromkeys(tag for document in group for tag in document.tags.split(" · ") if tag))
            config = text_search_config(first.language)
            texts[text_key] = (
                first.translation_key,
                first.language,
                config,
                first.title,
                first.summary,
                first.body,
                tags,
                first.keywords,
                cjk_bigrams(" ".join([first.title, first.summary, tags, first.body])),
                text_locale_codes(config, group, [code_lists[id(document)] for document in group], encoded),
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
                    code_lists[id(document)],
                ),
                (document.translation_key, document.language),
            )
            for document in documents
        ]
        return texts, entries

    def _insert_texts_postgresql(self, texts: list[tuple]) -> dict:
        """Insert the texts with their vectors computed in SQL; many at once in parallel."""
        if len(texts) >= PARALLEL_TEXTS:
            return self._insert_texts_parallel(texts, index_workers())
        return self._insert_texts_staged(texts)

    @staticmethod
    def _insert_texts_parallel(texts: list[tuple], workers: int) -> dict:
        """COPY the texts into an unlogged table, COPY them out with their vectors (a parallel plan:
        each worker computes the vectors of its share of the rows) and COPY the result in, unparsed.
        The ids come from the texts' own sequence, so that the entries can point at them."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            # One table name per connection: concurrent writers never wait on each other's name.
            table = f"chm_search_text_load_{cursor.fetchone()[0]}"
            ids = next_text_ids(cursor, len(texts))
            cursor.execute(LOAD_TABLE_SQL.format(table=table, workers=workers))
            cursor.execute(PARALLEL_PLAN_SQL.format(workers=workers))
            chunks = vectors_out(cursor.cursor, table, ids, texts)
            cursor.execute(PARALLEL_PLAN_RESET_SQL)
            copy_texts_in(cursor.cursor, chunks)
            cursor.execute(f"DROP TABLE {table}")
        return text_ids_of(ids, texts)

    @staticmethod
    def _insert_texts_staged(texts: list[tuple]) -> dict:
        """COPY the texts into a temporary table, then insert them with their vectors computed there."""
        columns = ", ".join(TEXT_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(STAGING_TABLE_SQL)
            with cursor.cursor.copy(f"COPY {STAGING_TABLE} ({STAGED_COPY_COLUMNS}) FROM STDIN") as copy:
                for row in texts:
                    copy.write_row(staged_row(row))
            cursor.execute(
                f"INSERT INTO {TEXT_TABLE} ({columns}, search_vector) "  # noqa: S608 - constant names
                f"SELECT {STAGED_COLUMNS}, {VECTOR_SQL} FROM {STAGING_TABLE} "
                "RETURNING id, translation_key, language"
            )
            ids = {(str(key), language): pk for pk, key, language in cursor.fetchall()}
            cursor.execute(f"TRUNCATE {STAGING_TABLE}")
        return ids

    @staticmethod
    def _copy_entries(rows: list[tuple]) -> None:
        with connection.cursor() as cursor:
            copy_entries(cursor.cursor, ENTRY_TABLE, rows)

    def rebuild(self, batches) -> int:
        """Replace every group batch by batch, then drop the rows of groups that no longer exist.

        On PostgreSQL the first build (an empty index) loads in bulk: with helper connections it is built
        aside and put in place (``aside``); without, in one transaction, the secondary indexes are
        dropped, every batch is copied in, and the indexes are built again at the end — one sorted build
        instead of a GIN insertion per word of every text. Searches find nothing until it is done (there
        is nothing to find yet)."""
        if self.is_postgresql and not SearchEntry.objects.exists():
            return self._bulk_load(batches)
        return self._replace_all(batches)

    def _replace_all(self, batches) -> int:
        started = timezone.now()
        count = 0
        for keys, documents in batches:
            self.replace(keys, documents)
            count += len(documents)
        SearchEntry.objects.filter(indexed_at__lt=started)._raw_delete(SearchEntry.objects.db)
        SearchText.objects.filter(entries__isnull=True).delete()
        self.recount()
        changed_index()
        return count

    def _bulk_load(self, batches) -> int:
        helpers = self._open_helpers(index_workers())
        if helpers:
            from .aside import AsideBuild  # it builds on this module's helpers

            try:
                count = AsideBuild(helpers, self._split).run(batches, self.recount)
            finally:
                for helper in helpers:
                    helper.close()
            if count is None:  # a record was published before the tables were held
                return self._replace_all(batches)
            changed_index()
            return count
        rebuilt = [(model, index) for model in (SearchText, SearchEntry) for index in model._meta.indexes]
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(WRITE_SETTINGS_SQL)
                cursor.execute(NO_TIMEOUT_SQL)
            with connection.schema_editor(atomic=False) as editor:
                for model, index in rebuilt:
                    editor.remove_index(model, index)
            count = self._load_batches_here(batches)
            with connection.cursor() as cursor:  # the deferred foreign key checks, before building indexes
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with connection.schema_editor(atomic=False) as editor:
                for model, index in rebuilt:
                    editor.add_index(model, index)
            self.recount()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TEXT_TABLE}")  # noqa: S608 - constant names
            cursor.execute(f"ANALYZE {ENTRY_TABLE}")  # noqa: S608
        changed_index()
        return count

    @staticmethod
    def _open_helpers(number: int) -> list:
        """Up to ``number`` connections of their own to this database (autocommit), fewer when the
        server refuses more: a build with fewer helpers, or none, is slower, never refused."""
        opened = []
        params = connection.get_connection_params()
        for _ in range(number):
            try:
                helper = connection.Database.connect(**params)
            except connection.Database.OperationalError:
                logger.warning("A connection building the search index could not be opened", exc_info=True)
                break
            helper.autocommit = True
            opened.append(helper)
        return opened

    def _load_batches_here(self, batches) -> int:
        count = 0
        # Each batch is split into texts and entries (pure Python) in a thread while the previous one is
        # written: the writing waits on PostgreSQL (computing vectors), the thread has the interpreter
        # meanwhile. The batches themselves are read here, in this connection.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-split") as pool:
            pending = None
            for keys, documents in batches:
                split = pool.submit(self._split, documents)
                if pending is not None:
                    self.replace(pending[0], None, bulk=True, split=pending[1].result())
                pending = (keys, split)
                count += len(documents)
            if pending is not None:
                self.replace(pending[0], None, bulk=True, split=pending[1].result())
        return count

    def clear(self) -> None:
        SearchEntry.objects.all().delete()
        SearchText.objects.all().delete()
        SearchFacetCount.objects.all().delete()
        changed_index()

    # --- reading ----------------------------------------------------------------------------------
    def _text_condition(self, text: str, prefix: str = "text__", per_row: bool = False) -> Q:
        """Rows matching ``text`` as parsed by their own configuration, or verbatim ('simple').

        The query is parsed once per configuration (one small query); each distinct parse becomes
        a constant ``search_vector @@ 'lexemes'`` that PostgreSQL answers from the GIN index (the
        bitmaps are ORed), restricted to the rows whose configuration produced it. ``per_row``: for a
        text checked row by row (a sample, an entry's own text), one ``@@`` of every parse, each with
        its configurations' marks (``_parses_tsquery``): every ``@@`` reads the whole vector again,
        out of line (a sample of a common word in three configurations took twice as long).
        """
        if per_row:
            tsquery = self._parses_tsquery(text)
            return Q(**{f"{prefix}search_vector__matches": tsquery}) if tsquery else Q(pk__in=[])
        condition = Q(pk__in=[])
        for tsquery, configs in self._parses(text).items():
            matches = Q(**{f"{prefix}search_vector__matches": tsquery})
            condition |= matches if "simple" in configs else matches & Q(**{f"{prefix}search_config__in": configs})
        return condition

    def _text_ids(self, text: str, by_config: bool = True) -> tuple[str, list] | None:
        """SQL of the ids of the texts matching ``text``: one branch per parse, each answered by the vectors'
        index alone (a parse's configurations are checked on the row, never its vector), or None when the
        text has nothing to look for. Without ``by_config``, every text holding a parse's lexemes: what
        the index reads (the planner takes the configurations as independent of the lexemes, which they
        are not — an Arabic stem is in Arabic texts)."""
        branches, params = [], []
        for tsquery, configs in self._parses(text).items():
            branch = f"SELECT id FROM {TEXT_TABLE} WHERE search_vector @@ %s::tsquery"  # noqa: S608 - constant names
            params.append(tsquery)
            if by_config and "simple" not in configs:
                branch += " AND search_config = ANY(%s)"
                params.append(configs)
            branches.append(branch)
        return (" UNION ALL ".join(branches), params) if branches else None

    def _matching_text_ids(self, text: str) -> list[int] | None:
        """The ids of the texts matching ``text``, read once per search from the vectors' index, or None
        when there are more than ``TEXT_IDS`` (the planner expects more, or reading stopped there)."""
        cache = self.__dict__.setdefault("_text_ids_cache", {})
        if text not in cache:
            found = self._text_ids(text)
            ids = []
            if any("<" in tsquery for tsquery in self._parses(text)):
                ids = None  # a phrase: the index cannot answer it alone, every text holding its words is read
            elif found is not None:
                with connection.cursor() as cursor:
                    everywhere = self._text_ids(text, by_config=False)
                    cursor.execute(f"EXPLAIN (FORMAT JSON) {everywhere[0]}", everywhere[1])
                    plan = cursor.fetchone()[0]
                    planned = float((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])
                    bound = self._bound(cursor, text)
                    if planned > TEXT_IDS or (bound and bound * self._texts_estimate(cursor) > TEXT_IDS):
                        # More than that, as the planner expects, or as the statistics allow for a text of
                        # several lexemes that the planner underestimates: not read (a common Chinese word
                        # read 5,001 ids for nothing, 100-130 ms at 100,000 records).
                        ids = None
                    else:
                        # The planner underestimates a text of several lexemes (Chinese bigrams): the
                        # index, which intersects them itself, says how many there are.
                        cursor.execute(f"SELECT DISTINCT id FROM ({found[0]}) AS found LIMIT {TEXT_IDS + 1}", found[1])  # noqa: S608
                        ids = sorted(row[0] for row in cursor.fetchall())
                        if len(ids) > TEXT_IDS:
                            ids = None
            cache[text] = ids
        return cache[text]

    @staticmethod
    def _texts_estimate(cursor) -> float:
        """How many texts the index holds, as PostgreSQL's statistics say (no count)."""
        cursor.execute("SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = %s::regclass", [TEXT_TABLE])
        row = cursor.fetchone()
        return float(row[0]) if row else 0.0

    def _text_mode(self, query, sizes: "_IndexSizes", filters: dict) -> str | None:
        """Which side of a search to read first (``matching``), decided on figures the planner lacks.

        The planner multiplies the selectivities of the language and of each filter code (whose
        index holds the language in every code, so they are not independent: it expects a few dozen
        entries where there are thousands), and of the lexemes of a text (the bigrams of a Chinese
        word come together): it then reads thousands of vectors, one per entry, for a word found in
        ten texts, or thousands of texts for a filter selecting a few hundred entries. The filters'
        entries are known from the maintained counts; the texts are read from the vectors' index
        when the planner expects at most ``TEXT_IDS`` of them (without the texts' configurations: an
        Arabic stem is in Arabic texts), up to that many."""
        if not (query.text and self.is_postgresql and filters) or sizes.sample_percent() is None:
            # An index no bigger than the sample: the planner's choice costs little. Without filters the
            # texts-side count lists the matches' texts up to the limit, the candidates past it are read
            # through the years' codes, and a sample checks fewer vectors than reading up to
            # ``TEXT_IDS`` ids would cost (36-53 ms for a word in 7 % of the entries at 100,000 records).
            return None
        ids = self._matching_text_ids(query.text)
        entries = sizes.filtered_rows(filters) if filters else sizes.locale_rows()
        if ids is not None and len(ids) <= TEXT_FIRST_FACTOR * entries:
            return TEXTS_FIRST
        return PER_ENTRY if filters else None

    def _texts_read(self, query, text_mode: str | None) -> int | None:
        """How many texts match, when they are read first (None otherwise)."""
        ids = self._matching_text_ids(query.text) if text_mode == TEXTS_FIRST else None
        return None if ids is None else len(ids)

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

    def matching(self, query, exclude_facet: str | None = None, text_mode: str | None = None, row_by_row: bool = False):
        """Rows in the visitor's language that match the text and every filter but ``exclude_facet``.

        On PostgreSQL, ``text_mode`` says which side is read first (the same rows either way):
        ``TEXTS_FIRST`` the texts matching from the vectors' index, then their entries;
        ``PER_ENTRY`` the entries the filters select, each entry's text checked by primary key;
        None leaves it to the planner (which misjudges both sides: see ``_text_mode``). ``row_by_row``:
        the rows are read one by one (a sample of the table, the candidates of a ranking), where the filters
        are checked on each row's own codes (the language-prefixed codes, for the index, cost a function call
        per row and filter: 9 of a sample's 10 ms at 100,000 records) and the text with one match of its
        vector (``_text_condition``'s ``per_row``)."""
        queryset = SearchEntry.objects.filter(locale=query.language)
        if query.text:
            if self.is_postgresql and text_mode == TEXTS_FIRST and self._matching_text_ids(query.text) is not None:
                # A constant list, which the planner sizes right (a subquery it would run once per entry).
                ids = self._matching_text_ids(query.text)
                if not ids:
                    return queryset.filter(pk__in=[])  # nothing to count or rank: no statement at all
                queryset = queryset.filter(showing_texts(ids))
                condition = Q()
            elif self.is_postgresql and text_mode == PER_ENTRY:
                queryset = own_text_holds(queryset, self._text_condition(query.text, prefix="", per_row=True))
                condition = Q()
            elif self.is_postgresql:
                # Identifiers and codes are in every text's 'simple' part: the condition stays on the
                # texts table, where the GIN index answers it (a sample reads each sampled entry's text).
                condition = self._text_condition(query.text, per_row=row_by_row)
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
        for number, (facet, values) in enumerate(query.filters.items()):
            if facet == exclude_facet:
                continue
            if self.is_postgresql and not row_by_row:
                # The language's entries holding any of the codes, from the per-language GIN index.
                name = f"locale_codes_{number}"
                codes = [locale_code(query.language, f"{facet}:{value}") for value in values]
                queryset = queryset.alias(**{name: LocaleCodes(F("locale"), F("codes"))})
                queryset = queryset.filter(**{f"{name}__overlap": codes})
                continue
            any_value = Q()
            for value in values:
                any_value |= Q(codes__has_code=f"{facet}:{value}")
            queryset = queryset.filter(any_value)
        return queryset

    def count(self, query) -> int:
        return self.matching(query).count()

    def search(self, query) -> BackendResults:
        if not self.is_postgresql:
            queryset = self.matching(query)
            hits, total = self._hits(queryset, query)
            if total is None:  # no text (the count is cheap on its own) or past the last page
                total = queryset.count()
            return BackendResults(hits=hits, total=total, facet_counts=self._facet_counts(query))
        summary = self._summary(query)
        if not summary.total or query.offset >= summary.total:
            hits = []
        elif summary.estimated and query.text:
            hits, _total = self._hits(self._candidates(query, summary.share), query, with_total=False)
        elif summary.text_ids is not None:
            # Every match's text is known (counted from the texts): their entries in the language, each
            # the language's one entry showing it, which the filters' codes held.
            known = SearchEntry.objects.filter(locale=query.language).filter(showing_texts(summary.text_ids))
            hits, _total = self._hits(known, query, with_total=False)
        else:
            hits, _total = self._hits(self.matching(query, text_mode=summary.text_mode), query, with_total=False)
        return BackendResults(
            hits=hits,
            total=summary.total,
            facet_counts=summary.facet_counts,
            estimated=summary.estimated,
            estimated_facets=summary.estimated_facets,
        )

    # --- PostgreSQL at scale: exact up to the limit, estimated beyond ------------------------------
    def _summary(self, query) -> "Summary":
        """The total and the facet counts (cached until the index changes, like the counts alone were)."""
        key = f"{facet_cache_key(query)}:summary"
        summary = cache.get(key) if FACET_CACHE_SECONDS else None
        if summary is None:
            summary = self._summarise(query)
            if FACET_CACHE_SECONDS:
                cache.set(key, summary, FACET_CACHE_SECONDS)
        return summary

    def _summarise(self, query) -> "Summary":
        """Browsing everything reads the maintained counts; anything else counts what matches, each
        facet with an active filter without that filter (one query per such facet), exactly up to
        ``exact_limit()`` matches and from a sample beyond."""
        counts: dict[str, dict[str, int]] = {facet: {} for facet in query.facets}
        if not query.text and not query.filters:
            maintained = dict(
                SearchFacetCount.objects.filter(locale=query.language, count__gt=0).values_list("code", "count")
            )
            total = maintained.pop(SearchFacetCount.TOTAL, 0)
            for code, number in maintained.items():
                facet, _, value = code.partition(":")
                if facet in counts:
                    counts[facet][value] = number
            return Summary(total, False, counts, frozenset())
        codes = [f"{facet}:{value}" for facet, values in query.filters.items() for value in values]
        sizes = _IndexSizes(query.language, codes)
        shared = [facet for facet in query.facets if facet not in query.filters]
        text = query.text
        # Which side to read first is decided only when a statement over the entries is needed: a
        # filtered search counted from the texts never needs it (deciding may read 5,000 text ids).
        modes: dict = {}

        def mode(exclude=None):
            if exclude not in modes:
                filters = {name: values for name, values in query.filters.items() if name != exclude}
                modes[exclude] = self._text_mode(query, sizes, filters)
            return modes[exclude]

        known: dict = {}
        total, estimated, found = self._count(
            lambda sampled=False: self.matching(query, text_mode=mode(), row_by_row=sampled),
            shared,
            sizes,
            text=text,
            filtered=bool(query.filters),
            texts=lambda: self._texts_read(query, mode()),
            texts_side=self._texts_where(query),
            known=known,
        )
        estimated_facets = set(shared) if estimated else set()
        self._merge(counts, found)
        for facet in query.facets:
            if facet in query.filters:
                others = {name: values for name, values in query.filters.items() if name != facet}
                if not text and not others:
                    # Its only filter left out: every entry of the language, whose codes are counted
                    # already (``SearchFacetCount``, exact).
                    self._merge(counts, self._maintained(query.language, facet))
                    continue
                _number, facet_estimated, found = self._count(
                    lambda facet=facet, sampled=False: self.matching(
                        query, exclude_facet=facet, text_mode=mode(facet), row_by_row=sampled
                    ),
                    [facet],
                    sizes,
                    text=text,
                    filtered=len(query.filters) > 1,
                    texts=lambda facet=facet: self._texts_read(query, mode(facet)),
                    texts_side=self._texts_where(query, exclude_facet=facet),
                )
                self._merge(counts, found)
                if facet_estimated:
                    estimated_facets.add(facet)
        share = total / max(1, sizes.locale_rows()) if estimated else 0.0
        text_ids = known.get("ids")
        text_mode = None if text_ids is not None else mode()
        return Summary(total, estimated, counts, frozenset(estimated_facets), share, text_mode, text_ids)

    @staticmethod
    def _maintained(language: str, facet: str) -> dict[str, int]:
        """The maintained counts of ``facet``'s codes in ``language`` (``facet:code`` → count)."""
        rows = SearchFacetCount.objects.filter(locale=language, code__startswith=f"{facet}:", count__gt=0)
        return dict(rows.values_list("code", "count"))

    @staticmethod
    def _merge(counts: dict, found: dict[str, int]) -> None:
        for code, number in found.items():
            facet, _, value = code.partition(":")
            counts.setdefault(facet, {})[value] = number

    def _texts_where(self, query, exclude_facet: str | None = None) -> tuple[str, list] | None:
        """The condition, on the texts table, of the texts that the visitor's language shows and that
        match the text and every filter but ``exclude_facet`` (PostgreSQL; None elsewhere): one tsquery
        of the text's parses (each with its configurations) and the language's codes, which every
        vector holds as lexemes (``fr|country:GM``, ``config:french``; ``fr|*`` for every text of the
        language, only when no filter's code says the language — its list of every text made the
        index's work a quarter longer: see ``SearchText.locale_codes``) — the vectors' index answers
        all of it at once. Each of the language's matching entries is one such text (a language shows
        a text in one entry at most)."""
        if not (self.is_postgresql and query.text):
            return None  # filters alone: the entries' own per-language codes index is narrower
        matched = self._parses_tsquery(query.text)
        if not matched:
            return "FALSE", []  # nothing to look for: no match
        return "search_vector @@ %s::tsquery", [f"({matched}) & {codes_tsquery(query, exclude_facet)}"]

    def _parses_tsquery(self, text: str) -> str:
        """One tsquery of every parse of ``text``, each restricted to the texts of the configurations that
        give it by their marks (``config:french``, a lexeme of every French text's vector; none for a
        parse 'simple' gives), or "" when the text has nothing to look for."""
        branches = []
        for tsquery, configs in self._parses(text).items():
            if "simple" in configs:
                branches.append(f"({tsquery})")
            else:
                marks = " | ".join(quoted_lexeme(f"{CONFIG_MARK}{config}") for config in configs)
                branches.append(f"({tsquery}) & ({marks})")
        return " | ".join(branches)

    @staticmethod
    def _count_texts(
        cursor, texts_side: tuple[str, list], language: str, patterns: list[str], limit: int
    ) -> tuple[dict[str, int], list[int] | None]:
        """Up to ``limit + 1`` matching texts and their entries' codes in ``language`` (``patterns``), read
        from the texts alone: ({``*``: how many, ``facet:code``: how many}, the texts' ids — None past
        the limit, whose codes and ids are not read)."""
        where, params = texts_side
        within = f"(SELECT COUNT(*) FROM m) <= {limit}"  # noqa: S608 - a number
        # The language's codes alone (``locale_codes -> 'fr'``): filtering every language's codes element by
        # element cost three times as much (9.7 against 3.0 ms for 818 texts).
        cursor.execute(
            f"WITH m AS MATERIALIZED (SELECT id, locale_codes -> %s AS codes FROM {TEXT_TABLE} WHERE {where} "  # noqa: S608
            f"LIMIT {limit + 1}) SELECT %s, COUNT(*) FROM m UNION ALL (SELECT code, COUNT(*) "
            f"FROM m, jsonb_array_elements_text(m.codes) AS code WHERE {within} GROUP BY code) UNION ALL "
            f"SELECT %s || COALESCE(string_agg(id::text, ','), ''), 0 FROM m WHERE {within}",
            [language, *params, SearchFacetCount.TOTAL, IDS_MARK],
        )
        rows = cursor.fetchall()
        listed = next((code for code, _number in rows if code and code.startswith(IDS_MARK)), None)
        found = of_facets([row for row in rows if row[0] and not row[0].startswith(IDS_MARK)], patterns)
        if listed is None or found[SearchFacetCount.TOTAL] > limit:
            return found, None  # past the limit the list is empty, not the matches' texts
        return found, [int(part) for part in listed[len(IDS_MARK) :].split(",") if part]

    def _count(
        self,
        queryset,
        facets: list[str],
        sizes: "_IndexSizes",
        *,
        text: str,
        filtered: bool,
        texts=None,
        texts_side: tuple[str, list] | None = None,
        known: dict | None = None,
    ):
        """(number of matches, whether it is an estimate, ``facet:code`` → count) for ``queryset``.

        ``queryset`` is a callable (``sampled=True``: the same rows as a sample reads them) and ``texts``
        may be one, called only when a statement over the entries is needed.
        A filtered search with a text is counted from the texts first: the vectors' index
        intersects the text with the language's and the filters' codes, so that the matches are read
        whatever their number, and up to the limit the count is exact and the texts known (``known``
        receives their ids under ``"ids"``).

        A text the planner expects in many times more rows than the limit (a very common word) is
        estimated at once: the planner's figure (its statistics hold the frequency of the most common
        words), and the facet counts of the language scaled by it when no filter applies, else
        counted in a sample. Otherwise one query reads at most ``exact_limit() + 1`` matches and
        counts their codes; when there are more, a sample of the table is counted and scaled."""
        limit = exact_limit()
        patterns = [f"{facet}:%" for facet in facets]
        over_limit = False
        if texts_side is not None and filtered:
            with connection.cursor() as cursor:
                found, ids = self._count_texts(cursor, texts_side, sizes.locale, patterns, limit)
            number = found.pop(SearchFacetCount.TOTAL)
            if number <= limit:
                if known is not None:
                    known["ids"] = tuple(ids or ())
                return number, False, found
            over_limit, texts_side = True, None  # known to be past the limit: estimated below
        make, queryset = queryset, queryset()
        texts = texts() if callable(texts) else texts
        try:
            inner, params = queryset.order_by().values("codes").query.sql_with_params()
        except EmptyResultSet:  # a text with nothing to look for matches nothing
            return 0, False, {}

        def sample(cursor, estimate: bool = True):
            """The matches counted in the sample, through the same rows with the filters checked on
            each one's own codes (``matching``'s ``row_by_row``)."""
            sampled, sampled_params = make(sampled=True).order_by().values("codes").query.sql_with_params()
            if estimate:
                return self._sampled(cursor, sampled, sampled_params, counted, patterns, sizes, limit)
            return self._sample_counts(cursor, sampled, sampled_params, counted, patterns, sizes)

        # Every code is counted and those of other facets dropped here: an entry holds only facet codes,
        # and a test of each code against the facets' prefixes cost more than counting the few others.
        counted = (
            "SELECT %s, COUNT(*) FROM m UNION ALL (SELECT code, COUNT(*) "
            "FROM m, jsonb_array_elements_text(m.codes) AS code GROUP BY code)"
        )
        with connection.cursor() as cursor:
            # A small index is counted, whatever the text; so is a text read first from no more texts than
            # the limit (a language shows each text in one entry at most).
            # (Known past the limit, from the texts, a search is sampled below whatever the planner says.)
            if text and not over_limit and sizes.sample_percent() is not None and (texts is None or texts > limit):
                cursor.execute(f"EXPLAIN (FORMAT JSON) {inner}", params)
                plan = cursor.fetchone()[0]
                planned = int((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])
                if planned > PLANNED_FACTOR * limit:
                    if not filtered:
                        return planned, True, sizes.scaled(facets, planned)
                    return sample(cursor)
                if self._bound(cursor, text) * sizes.locale_rows() > PLANNED_FACTOR * limit:
                    # Several lexemes, each common: the planner multiplied their frequencies, which the
                    # parts of one word (Chinese bigrams, a hyphenated word) are not. The sample decides,
                    # when it holds enough matches to be sure that they are many more than the limit.
                    matched, scale, found = sample(cursor, estimate=False)
                    if matched >= SAMPLE_SURE_MATCHES and matched * scale > SAMPLE_SURE_FACTOR * limit:
                        return (
                            round(matched * scale),
                            True,
                            {code: max(1, round(count * scale)) for code, count in found.items()},
                        )
            if over_limit:
                found = {SearchFacetCount.TOTAL: limit + 1}  # counted from the texts above
            elif texts_side is not None:
                # The texts themselves, found through the index over their vectors and languages' codes.
                found, ids = self._count_texts(cursor, texts_side, sizes.locale, patterns, limit)
                if ids is not None and known is not None:
                    known["ids"] = tuple(ids)
            else:
                # Past the limit the codes are not read: the sample counts them.
                limited = counted.replace("GROUP BY code", f"WHERE (SELECT COUNT(*) FROM m) <= {limit} GROUP BY code")  # noqa: S608
                cursor.execute(
                    f"WITH m AS MATERIALIZED ({inner} LIMIT {limit + 1}) {limited}",  # noqa: S608 - built by the ORM
                    [*params, SearchFacetCount.TOTAL],
                )
                found = of_facets(cursor.fetchall(), patterns)
            number = found.pop(SearchFacetCount.TOTAL)
            if number <= limit:
                return number, False, found
            if sizes.sample_percent() is None:  # a small index: count everything
                everything = f"WITH m AS MATERIALIZED ({inner}) {counted}"  # noqa: S608 - built by the ORM
                cursor.execute(everything, [*params, SearchFacetCount.TOTAL])
                found = of_facets(cursor.fetchall(), patterns)
                return found.pop(SearchFacetCount.TOTAL), False, found
            return sample(cursor)

    @classmethod
    def _sampled(cls, cursor, inner, params, counted, patterns, sizes, limit) -> tuple[int, bool, dict[str, int]]:
        """The matches and their codes counted in a sample of the entries, scaled up to the language
        (a search known to have more than ``limit`` matches)."""
        matched, scale, found = cls._sample_counts(cursor, inner, params, counted, patterns, sizes)
        estimate = max(limit + 1, round(matched * scale))
        return estimate, True, {code: max(1, round(count * scale)) for code, count in found.items()}

    @staticmethod
    def _sample_counts(cursor, inner, params, counted, patterns, sizes) -> tuple[int, float, dict[str, int]]:
        """(matches in the sample, entries of the language per sampled entry, ``facet:code`` → count in
        the sample).

        The sample drives the statement, whatever the planner expects of the text: each sampled entry
        is joined to its text by primary key, so the statement reads the sample's rows and texts and no
        more (hash and merge joins, bitmap and sequential scans are off for it — a GIN index is only
        read through a bitmap: the planner cannot start from every text matching a word it
        underestimates)."""
        percent = sizes.sample_percent()
        sample = f"TABLESAMPLE SYSTEM ({percent:.6f}) REPEATABLE ({SAMPLE_SEED})"
        table = connection.ops.quote_name(ENTRY_TABLE)
        sampled = inner.replace(f"FROM {table}", f"FROM {table} {sample}", 1)
        with transaction.atomic():
            cursor.execute(SAMPLE_PLAN_SQL)
            cursor.execute(
                f"WITH m AS MATERIALIZED ({sampled}) SELECT %s, COUNT(*) FROM {table} {sample} "  # noqa: S608
                f"WHERE locale = %s UNION ALL {counted}",
                [*params, SAMPLE_MARK, sizes.locale, SearchFacetCount.TOTAL],
            )
            found = of_facets(cursor.fetchall(), patterns, SAMPLE_MARK)
            cursor.execute(SAMPLE_PLAN_RESET_SQL)
        sampled_rows = found.pop(SAMPLE_MARK)
        matched = found.pop(SearchFacetCount.TOTAL)
        scale = sizes.locale_rows() / sampled_rows if sampled_rows else 0
        return matched, scale, found

    def _bound(self, cursor, text: str) -> float:
        """An upper bound of the share of texts matching ``text`` when the planner may underestimate it
        (0 for one lexeme, which it estimates well): each parse matches at most as often as its rarest
        lexeme, whose frequency PostgreSQL's statistics hold when it is common (below their smallest
        figure otherwise)."""
        lexemes_of = [
            [match.group(1)[1:-1].replace("''", "'") for match in LEXEME.finditer(tsquery)]
            for tsquery in self._parses(text)
        ]
        if all(len(set(lexemes)) <= 1 for lexemes in lexemes_of):
            return 0.0
        cache = self.__dict__.setdefault("_bound_cache", {})  # one search asks for each of its groups
        if text not in cache:
            cache[text] = self._read_bound(cursor, lexemes_of)
        return cache[text]

    @staticmethod
    def _read_bound(cursor, lexemes_of: list[list[str]]) -> float:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
            " WHERE tablename = %s AND attname = 'search_vector' AND schemaname = current_schema()",
            [TEXT_TABLE],
        )
        row = cursor.fetchone()
        if not row or not row[0]:
            return 0.0  # never analysed: the planner's figure is all there is
        elements, frequencies = row
        common = dict(zip(elements, frequencies, strict=False))
        smallest = frequencies[len(elements)]  # after the elements' figures: the minimum, maximum, nulls
        return min(1.0, sum(min(common.get(lexeme, smallest) for lexeme in lexemes) for lexemes in lexemes_of))

    def _title_condition(self, text: str, prefix: str = "text__") -> Q | None:
        """Titles holding every word of the query as parsed (stems, so "restor" for "restoring"), as
        substrings the title's trigram index finds; None when no word is long enough for it."""
        condition = None
        for tsquery in self._parses(text):
            lexemes = [match.group(1)[1:-1].replace("''", "'") for match in LEXEME.finditer(tsquery)]
            lexemes = [lexeme for lexeme in dict.fromkeys(lexemes) if len(lexeme) >= 3]
            if not lexemes:
                continue
            part = Q()
            for lexeme in lexemes:
                part &= Q(**{f"{prefix}title__icontains": lexeme})
            condition = part if condition is None else condition | part
        return condition

    def _candidates(self, query, share: float = 0.0):
        """The matches worth ranking when there are too many to rank them all: the newest whose title
        holds the words (where the best ranked are: a title match weighs the most), found through the
        title's trigram index, and the newest matching anywhere — read through the newest years' texts
        (``_newest_through_years``); when the dated matches are too few for that, by walking the
        (locale, date) index, each entry's text checked by primary key, when the matches are a large
        enough ``share`` of the language that about ``WALK_ROWS`` entries hold that many (the planner,
        which may expect far fewer matches, is not asked), or as the planner picks.

        The candidates are read by their ids, each one's text checked by a subquery on its primary key
        (``PER_ENTRY``): the planner, expecting a phrase in one text, would otherwise read every text
        holding its words from the vectors' index and join them to the candidates (139 ms for a
        hyphenated Russian word at 100,000 records)."""
        size = max(CANDIDATES, query.offset + query.page_size)
        # Through the years unless their first would hold more texts than a walk reads entries (a word
        # in 15 % of the entries: 1,245 texts in the newest year, 24 ms, where 667 entries are walked).
        ids = self._newest_through_years(query, share, size, most=int(size / share) if share else 0)
        if ids is None:
            # Walked newest first, each entry's text checked by primary key (``PER_ENTRY``), when about
            # ``WALK_ROWS`` entries hold that many matches; else as the planner picks.
            walk = share and size / share <= WALK_ROWS
            by_date = self.matching(query, text_mode=PER_ENTRY if walk else None).order_by(*NEWEST)
            ids = list(by_date.values_list("pk", flat=True)[:size])
        titled = self._title_condition(query.text, "") if query.sort != "date" else None
        if titled is not None:
            # The title alone (short, never compressed): the vectors are read below, for these only.
            # A word in many texts is in many titles (a tenth of its texts in the benchmark's): the
            # trigram index would find more than are allowed, reading them all first (26-34 ms).
            # (The share the years' texts showed, when more than the estimate: the planner's, for an Arabic
            # or Russian word in a third of the entries, can be a twentieth of it.)
            # So is a word in one entry in twenty, whatever the index's size (one in three at 10,000 records:
            # 43 ms of trigrams).
            seen = max(share, self.__dict__.get("_years_share", {}).get(searched(query), 0.0))
            rows = self._year_counts(query.language).get(SearchFacetCount.TOTAL, 0)
            common = seen >= TITLE_COMMON_SHARE or seen * rows > 10 * TITLE_ROWS * size
            by_title = None if common else self._newest_titled(query, size, titled)
            if by_title is None:
                walk_rows = TITLE_WALK * size
                # A word in many titles: the newest of them among the newest entries, walked newest first,
                # each one's title checked by a subquery on its text's primary key (joined, the planner read
                # every title its trigram index found: 6,018, 33 ms), no further back than the date of the
                # ``walk_rows`` newest: a common title word stops soon, a rarer one there (the planner's own
                # walk read some 8,000 entries, 52-93 ms, for a word in one title in a hundred).
                filtered = self.matching(dataclasses.replace(query, text=""))
                last = list(filtered.order_by(*NEWEST).values_list("date", flat=True)[walk_rows - 1 : walk_rows])
                walked = own_text_holds(filtered, titled)
                if last and last[0] is not None:
                    walked = walked.filter(date__gte=last[0])
                by_title = walked.order_by(*NEWEST).values_list("pk", flat=True)[:size]
            ids += list(by_title)
        return self.matching(query, text_mode=PER_ENTRY, row_by_row=True).filter(entries_of(sorted(set(ids))))

    def _year_counts(self, language: str) -> dict[str, int]:
        """The language's maintained counts of entries (``*``) and of each year (``year:2026``)."""
        cache = self.__dict__.setdefault("_year_counts_cache", {})
        if language not in cache:
            wanted = Q(code=SearchFacetCount.TOTAL) | Q(code__startswith=f"{YEAR_FACET}:")
            counted = SearchFacetCount.objects.filter(wanted, locale=language, count__gt=0)
            cache[language] = dict(counted.values_list("code", "count"))
        return cache[language]

    def _newest_titled(self, query, size: int, titled: Q) -> list[int] | None:
        """The ids of the ``size`` newest entries whose title holds the query's words, read through the
        texts that the titles' trigram index finds, or None when these are more than ``TITLE_ROWS`` per
        entry wanted: the planner's walk over the newest entries, checking each one's title, then finds
        them soon — whereas for a word in few titles it reads thousands (16,624 entries, 180 ms, for a
        French word in 18 % of the texts at 100,000 records)."""
        most = TITLE_ROWS * size
        ids = list(SearchText.objects.filter(titled).values_list("pk", flat=True)[: most + 1])
        if len(ids) > most:
            return None
        return newest_showing(self.matching(dataclasses.replace(query, text="")), ids, size)

    def _newest_through_years(self, query, share: float, size: int, most: int) -> list[int] | None:
        """The ids of the ``size`` newest matches (by date, then id), or None when the dated ones are
        fewer (entries without a date come last and hold no year's code) or when a step would read
        more than ``most`` texts (as the estimate expects, or as read: a step reads one more at most),
        where a walk over the newest entries finds them for less.

        Every entry's year is one of its codes, and its text's vector holds it with the language
        (``en|year:2026``): the vectors' index intersects the text with the newest years' codes, so the
        matches of those years are read from the index, a few hundred texts, whatever the number of
        matches in all — instead of walking the newest entries and reading each one's vector (10–47 ms
        for a word in 3–8 % of the entries at 100,000 records). Years are taken newest first, as many
        as the estimate (``share`` of each year's maintained count; then the share found in the years
        read) expects to hold twice the matches still wanted, and at least as many as all the steps before
        (so that the steps are at most one more than the binary logarithm of the years), until there are
        ``size``; all of a year's matches are read, so the newest ``size`` among them are the newest of
        all."""
        if not (self.is_postgresql and query.text and share > 0):
            return None
        counts = dict(self._year_counts(query.language))
        rows = counts.pop(SearchFacetCount.TOTAL, 0)
        years = sorted((code.partition(":")[2] for code in counts), key=lambda year: (len(year), year), reverse=True)
        expected = share  # the matches in a year, per entry of that year
        if YEAR_FACET in query.filters:
            years = [year for year in years if year in query.filters[YEAR_FACET]]
            # Every match is in the filter's years: the language's share spread over those years' entries.
            expected = share * rows / max(1, sum(counts[f"{YEAR_FACET}:{year}"] for year in years))
        found: list[int] = []
        taken = read = 0  # years, and their entries
        while years and len(found) < size:
            if found:
                expected = len(found) / max(1, read)
            chosen, held = [], 0.0
            while years and (not chosen or held < 2 * (size - len(found)) or len(chosen) < taken):
                chosen.append(years.pop(0))
                held += expected * counts[f"{YEAR_FACET}:{chosen[-1]}"]
                read += counts[f"{YEAR_FACET}:{chosen[-1]}"]
            if held > most:
                return None
            taken += len(chosen)
            where, params = self._texts_where(dataclasses.replace(query, filters={**query.filters, YEAR_FACET: chosen}))
            texts = SearchText.objects.filter(RawSQL(where, params, output_field=BooleanField()))  # noqa: S611
            # An estimate far too low (the planner's, for a word it takes for rarer): a few times what
            # it expects is read at most before the walk takes over (4,300 texts, 18-34 ms, were read
            # for nothing for an Arabic word in a third of the entries).
            allowed = int(min(most, max(4 * held, 2 * (size - len(found)))))
            ids = list(texts.values_list("pk", flat=True)[: allowed + 1])
            # At least, when more than allowed; kept for this search's title candidates.
            self.__dict__.setdefault("_years_share", {})[searched(query)] = (len(found) + len(ids)) / max(1, read)
            if len(ids) > allowed:
                return None
            found += ids
        if len(found) < size:
            return None
        return newest_showing(SearchEntry.objects.filter(locale=query.language), found, size)

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

    def _hits(self, queryset, query, with_total: bool = True) -> tuple[list[SearchHit], int | None]:
        """One page of hits and the total. With text, the total comes with the page (ranking reads every
        match anyway) unless ``with_total`` is false; without, it is ``None`` and counted apart, so
        that the page is read from the (locale, date) index alone."""
        fields = ["pk", "page_id", "url", "content_type", "date", "locale", "identifier", "score", "total"]
        texts = {name: F(f"text__{name}") for name in ("title", "summary", "body", "language")}
        ordered = self._ordered(queryset, query)
        counted = query.text and with_total
        ordered = ordered.annotate(total=Window(Count("pk")) if counted else Value(None, IntegerField()))
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
        if self.is_postgresql:  # every code counted, the other facets' dropped below (see ``_count``)
            sql = (
                f"SELECT code, COUNT(*) FROM (SELECT jsonb_array_elements_text(e.codes) AS code "  # noqa: S608
                f"FROM ({inner}) e) c GROUP BY code"
            )
        else:
            sql = f"SELECT j.value, COUNT(*) FROM ({inner}) e, json_each(e.codes) j GROUP BY j.value"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for code, number in of_facets(cursor.fetchall(), patterns).items():
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
        by_identifier = (
            entries.filter(identifier__startswith=prefix.upper())
            .order_by("identifier")
            .values("url", "content_type", **fields)[:limit]
        )
        titles = self._suggested_titles(entries, prefix, fields, limit) if self.is_postgresql else None
        if titles is None:
            # Two queries, each on one table's index: titles (trigram index) and identifiers (b-tree).
            starts = Q(text__title__istartswith=prefix)
            by_title = (
                entries.filter(starts | Q(text__title__icontains=f" {prefix}"))
                .annotate(rank=Case(When(starts, then=Value(0)), default=Value(1)))
                .order_by("rank", "text__title", "pk")
                .values("rank", "url", "content_type", **fields)[: limit * 3]
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

    @staticmethod
    def _suggested_titles(entries, prefix: str, fields: dict, limit: int) -> list[dict]:
        """The titles to suggest on PostgreSQL, in bounded work whatever the prefix: those starting with it
        walked in the order of the titles' prefix index (``chm_search_text_title_prefix``) and left after
        ``limit * 3``; when they are fewer than ``limit``, those with a word starting with it, at most
        ``SUGGEST_INSIDE_ROWS`` of them read (in no order) and the first by title kept. Ordering every
        title holding a common prefix read them all with their entries (0.3-2.5 s at 100,000 records)."""
        key = Collate(Upper("text__title"), "C")
        starting = list(
            entries.annotate(title_key=key)
            .filter(title_key__startswith=prefix.upper())
            .order_by("title_key", "text__title", "pk")
            .values("url", "content_type", **fields)[: limit * 3]
        )
        rows = [{**row, "rank": 0} for row in starting]
        if len({row["title"].lower() for row in starting}) >= limit:
            return rows
        inside = (
            entries.filter(text__title__icontains=f" {prefix}")
            .exclude(text__title__istartswith=prefix)
            .order_by()
            .values("url", "content_type", **fields)[:SUGGEST_INSIDE_ROWS]
        )
        found = sorted(inside, key=lambda row: (row["title"], row["url"]))[: limit * 3]
        return rows + [{**row, "rank": 1} for row in found]

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
