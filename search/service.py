"""The search service: one interface, two backends.

``SearchService().search(SearchQuery(...))`` returns a :class:`SearchResults` whatever answers it:
Elasticsearch when ``ELASTICSEARCH_URL`` is set, the database otherwise (PostgreSQL full-text search,
or plain substring matching on SQLite). Backends return raw hits and facet counts; the service adds
the labels (in the visitor's language), the applied filters and the pagination.
"""

import datetime
import logging
import math
from dataclasses import dataclass, field, replace
from functools import cache

from django.conf import settings
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from cms.resilience.breaker import breaker

from . import registry
from .indexing import FACETS, DocumentBuilder, build_documents

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_FILTER_VALUES = 20
FACET_SIZE = 300

FACET_LABELS = {
    "type": _("Type"),
    "country": _("Country"),
    "region": _("Region"),
    "target": _("GBF target"),
    "subject": _("Subject"),
    "year": _("Year"),
    "language": _("Language"),
    "status": _("Event status"),
    "source": _("Source"),
}
SORTS = ("relevance", "date")
FALLBACK_NOTICE = _(
    "The search server is unavailable right now: these results come from a simpler search, "
    "so their order may differ and the spelling suggestions are missing."
)
SEARCH_SERVER_RESET_AFTER = 30.0  # seconds the search server is left alone after it failed


@dataclass
class SearchQuery:
    """What a visitor asks: text, filters (facet → codes, OR within a facet, AND across), sort, page."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    facets: tuple[str, ...] = FACETS
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    language: str = settings.LANGUAGE_CODE

    def __post_init__(self):
        self.text = (self.text or "").strip()
        self.filters = {name: list(dict.fromkeys(values)) for name, values in self.filters.items() if values}
        self.sort = self.sort if self.sort in SORTS else "relevance"
        self.page = max(1, int(self.page))
        self.page_size = min(max(1, int(self.page_size)), MAX_PAGE_SIZE)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def without(self, facet: str) -> dict[str, list[str]]:
        return {name: values for name, values in self.filters.items() if name != facet}


@dataclass
class SearchHit:
    page_id: int
    url: str
    title: SafeString
    plain_title: str
    content_type: str
    type_label: str
    date: datetime.date | None
    snippet: SafeString
    language: str
    locale: str
    identifier: str = ""
    score: float = 0.0

    @property
    def is_fallback(self) -> bool:
        """Shown in its original language because it has no version in the visitor's."""
        return self.language != self.locale.split("-")[0]


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False
    text_language: str | None = None  # set when the label fell back to another language
    estimated: bool = False  # the count is an estimate, shown as "about 120"

    @property
    def count_shown(self) -> str:
        """The count in the active language's number format (``12,400``, ``12 400``)."""
        return number_format(self.count, force_grouping=True)


@dataclass
class FacetResult:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)


@dataclass
class AppliedFilter:
    facet: str
    facet_label: str
    value: str
    label: str
    text_language: str | None = None


@dataclass
class BackendResults:
    """What a backend answers before labelling."""

    hits: list[SearchHit]
    total: int
    facet_counts: dict[str, dict[str, int]]
    estimated: bool = False  # the total is an estimate (more matches than the backend counts exactly)
    estimated_facets: frozenset[str] = frozenset()  # facets whose counts are estimates


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[SearchHit]
    total: int
    facets: list[FacetResult]
    applied_filters: list[AppliedFilter]
    page: int
    page_size: int
    num_pages: int
    spelling_suggestion: str = ""
    notice: str = ""  # why the results may be less good than usual (the search server is down)
    estimated: bool = False  # ``total`` is an estimate, shown as "about 12,400"

    @property
    def total_shown(self) -> str:
        """The total in the active language's number format (``12,400``, ``12 400``)."""
        return number_format(self.total, force_grouping=True)

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


class SearchService:
    """The one entry point for searching and indexing, whichever backend is configured.

    With Elasticsearch configured, the database index is kept too, as the fallback: when the search
    server cannot be reached, reads are answered from the database (with a notice) instead of failing,
    and the server is left alone for a while (a circuit breaker) so that each search does not wait.
    """

    def __init__(self, backend=None):
        self.backend = backend or get_backend()
        self.fallback = fallback_backend(self.backend) if backend is None else None
        self.degraded = False

    @property
    def notice(self) -> str:
        return str(FALLBACK_NOTICE) if self.degraded else ""

    def _read(self, operation: str, *args):
        """``operation`` on the backend, or on the fallback when the backend is unreachable."""
        if self.fallback is None:
            return getattr(self.backend, operation)(*args)
        gate = breaker(f"Search server ({self.backend.name})", SEARCH_SERVER_RESET_AFTER)
        if not self.degraded and gate.allow():
            try:
                result = getattr(self.backend, operation)(*args)
            except self.backend.unavailable_errors as error:
                gate.failed(error)
            else:
                gate.succeeded()
                return result
        self.degraded = True
        return getattr(self.fallback, operation)(*args)

    # --- reading ----------------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResults:
        raw = self._read("search", index_query(query))
        if raw.estimated:
            raw.total = rounded(raw.total, 3)
        for name in raw.estimated_facets:
            raw.facet_counts[name] = {code: rounded(n, 2) for code, n in raw.facet_counts.get(name, {}).items()}
        if "type" in raw.facet_counts:
            aliases = registry.type_aliases()
            raw.facet_counts["type"] = {aliases.get(key, key): n for key, n in raw.facet_counts["type"].items()}
        num_pages = max(1, math.ceil(raw.total / query.page_size))
        labels = FacetLabels(query.language)
        facets = []
        for name in query.facets:
            counts = raw.facet_counts.get(name, {})
            selected = set(query.filters.get(name, []))
            estimated = name in raw.estimated_facets
            options = [
                FacetOption(
                    code,
                    labels.label(name, code),
                    count,
                    code in selected,
                    labels.text_language(name, code),
                    estimated and bool(count),
                )
                for code, count in counts.items()
                if count or code in selected
            ]
            for code in selected - set(counts):
                options.append(FacetOption(code, labels.label(name, code), 0, True, labels.text_language(name, code)))
            facets.append(FacetResult(name, str(FACET_LABELS[name]), sort_options(name, options)))
        applied = [
            AppliedFilter(
                name, str(FACET_LABELS[name]), code, labels.label(name, code), labels.text_language(name, code)
            )
            for name in FACETS
            for code in query.filters.get(name, [])
        ]
        suggestion = ""
        if raw.total == 0 and query.text and not self.degraded:
            suggestion = self._read("spelling_suggestion", query.text, query.language) or ""
        return SearchResults(
            query=query,
            hits=raw.hits,
            total=raw.total,
            facets=facets,
            applied_filters=applied,
            page=query.page,
            page_size=query.page_size,
            num_pages=num_pages,
            spelling_suggestion=suggestion if not self.degraded else "",
            notice=self.notice,
            estimated=raw.estimated,
        )

    def count(self, query: SearchQuery) -> int:
        return self._read("count", index_query(query))

    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[dict]:
        return self._read("suggest", prefix.strip(), language, limit)

    # --- writing ----------------------------------------------------------------------------------
    def writers(self) -> list:
        """The backends an index change goes to: the fallback first, so that it is current even when
        the search server refuses the change."""
        return [backend for backend in (self.fallback, self.backend) if backend is not None]

    def index_translation_keys(self, keys) -> int:
        """Bring the index up to date for these translation groups (adds, updates and removes)."""
        keys = sorted({str(key) for key in keys})
        if not keys:
            return 0
        documents = build_documents(keys)
        for backend in self.writers():
            backend.replace(keys, documents)
        return len(documents)

    def rebuild(self, keys: list[str], batch_size: int = 200, progress=None) -> int:
        """Index every group in ``keys`` anew, in batches, in every writer; each backend drops what is
        no longer there. Returns the number of documents written to the configured backend."""
        builder = DocumentBuilder()

        def batches():
            for start in range(0, len(keys), batch_size):
                chunk = keys[start : start + batch_size]
                yield chunk, builder.build(chunk)
                if progress is not None:
                    progress(len(chunk))

        written = 0
        for backend in self.writers():
            written = backend.rebuild(batches())
        return written


def rounded(number: int, digits: int) -> int:
    """An estimate to ``digits`` significant digits (12,437 → 12,400): no more precise than it is."""
    if number <= 0:
        return 0
    return int(round(number, digits - len(str(number)))) or number


def index_query(query: SearchQuery) -> SearchQuery:
    """``query`` as the index reads it: the index knows types by model label, visitors by code."""
    types = query.filters.get("type")
    if not types:
        return query
    codes = registry.type_codes()
    return replace(query, filters={**query.filters, "type": [codes.get(value, value) for value in types]})


def sort_options(name: str, options: list[FacetOption]) -> list[FacetOption]:
    if name == "year":
        return sorted(options, key=lambda option: option.value, reverse=True)
    if name == "target":
        return sorted(options, key=lambda option: int(option.value.rsplit("T", 1)[-1] or 0))
    return sorted(options, key=lambda option: (-option.count, option.label.lower()))


class FacetLabels:
    """Labels of facet codes in one language; vocabulary names cost one query per vocabulary."""

    vocabularies = {
        "country": "Country",
        "region": "Region",
        "target": "GBFTarget",
        "subject": "Subject",
        "language": "Language",
    }

    def __init__(self, language: str):
        self.language = language
        self._names: dict[str, dict[str, str]] = {}
        self._in_english: dict[str, set[str]] = {}

    def _vocabulary(self, facet: str) -> dict[str, str]:
        if facet not in self._names:
            from cms import content_version
            from content_types.vocabularies.models import language_column

            column = f"name_{language_column(self.language)}"
            vocabularies = content_version.cached(
                "search-facet-labels",
                (column,),
                lambda: {name: self._read_vocabulary(name, column) for name in self.vocabularies},
            )
            for name, (names, in_english) in vocabularies.items():
                self._names[name] = names
                self._in_english[name] = in_english
        return self._names[facet]

    def _read_vocabulary(self, facet: str, column: str) -> tuple[dict[str, str], set[str]]:
        """Code → name in ``column`` (the English name when it has none), and the codes shown in English;
        cached with the content version, which every change of a vocabulary replaces."""
        from django.apps import apps

        model = apps.get_model("vocabularies", self.vocabularies[facet])
        numbered = facet == "target"
        names, in_english = {}, set()
        for code, name, english, *number in model.objects.values_list(
            "code", column, "name_en", *(["number"] if numbered else [])
        ):
            names[code] = f"{number[0]}. {name or english}" if numbered else (name or english)
            if not name:
                in_english.add(code)
        return names, in_english

    def label(self, facet: str, code: str) -> str:
        if facet in self.vocabularies:  # names read per language: no translation to activate
            return self._vocabulary(facet).get(code, code)
        with override(self.language):
            if facet == "type":
                return registry.type_label(code)
            if facet == "status":
                return str(status_labels().get(code, code))
            if facet == "source":
                return registry.source_label(code)
        return code

    def text_language(self, facet: str, code: str) -> str | None:
        """ "en" when a vocabulary term has no name in this language and shows its English one."""
        if facet in self.vocabularies:
            self._vocabulary(facet)
            return "en" if code in self._in_english[facet] else None
        return None

    def is_known(self, facet: str, code: str) -> bool:
        if facet in self.vocabularies:
            return code in self._vocabulary(facet)
        if facet == "type":
            return code in registry.type_codes()
        if facet == "status":
            return code in status_labels()
        if facet == "year":
            # ASCII digits only: "²" and "١٢" are digits to str.isdigit() but not years to int().
            return code.isascii() and code.isdigit() and 1000 <= int(code) <= 2999
        return bool(code) and len(code) <= 200


@cache
def status_labels() -> dict[str, str]:
    return registry.status_labels()


def get_backend():
    """Elasticsearch when ``ELASTICSEARCH_URL`` is set, else the database."""
    if getattr(settings, "ELASTICSEARCH_URL", ""):
        from .backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_INDEX_PREFIX)
    from .backends.database import DatabaseBackend

    return DatabaseBackend()


def fallback_backend(backend):
    """The database backend behind a search server; none when the database already answers."""
    from .backends.database import DatabaseBackend

    return None if isinstance(backend, DatabaseBackend) else DatabaseBackend()
