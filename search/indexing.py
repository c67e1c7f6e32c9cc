"""From pages to search documents: what is indexed, in which language, and under which facets.

Pages are indexed by *translation group* (all pages sharing a ``translation_key``): for every locale,
a visitor finds one document for the record — the page in that locale when it is live and public (a
translation, or an alias that shows the original's text at the locale's address), else the original
page in its own language (the fallback). Drafts, pages in review (not live) and pages under a view
restriction are never read, so they can never reach an index.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page, Site

from . import registry
from .text import base_language, clean_text

logger = logging.getLogger(__name__)

FACETS = ("type", "country", "region", "target", "subject", "year", "language", "status", "source")


@dataclass
class SearchDocument:
    """One record as a visitor reading ``locale`` finds it; the same for both backends."""

    locale: str
    translation_key: str
    page_id: int
    content_type: str
    language: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    tags: str = ""
    identifier: str = ""
    date: datetime.date | None = None
    codes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def code_list(self) -> list[str]:
        """``facet:code`` strings, e.g. ``country:FR``, as the database backend stores them."""
        return [f"{facet}:{code}" for facet in FACETS for code in self.codes.get(facet, [])]

    @property
    def keywords(self) -> str:
        """Identifier and vocabulary codes, searched exactly (``GBF-T3``, ``SUBJ-IAS``)."""
        terms = [self.identifier, *self.codes.get("target", []), *self.codes.get("subject", [])]
        return " ".join(term for term in terms if term)


def site_locales() -> list[str]:
    return list(Locale.objects.order_by("language_code").values_list("language_code", flat=True))


def searchable_content_type_ids() -> list[int]:
    return [ct.pk for ct in ContentType.objects.get_for_models(*registry.searchable_models()).values()]


def indexable_translation_keys() -> list[str]:
    """Every translation group that holds at least one live page of a searchable type."""
    keys = (
        Page.objects.live()
        .filter(content_type_id__in=searchable_content_type_ids())
        .values_list("translation_key", flat=True)
        .distinct()
        .order_by("translation_key")
    )
    return [str(key) for key in keys]


class DocumentBuilder:
    """Builds the documents of many translation groups with a bounded number of queries per batch."""

    def __init__(self):
        from content_types.vocabularies.models import Region

        self.locales = site_locales()
        self.classification: dict[tuple[str, int], list] = {}  # (relation, page id) -> terms
        self.regions = {region.pk: region for region in Region.objects.only("id", "code", "parent_id")}

    def region_codes(self, region_ids: Iterable[int]) -> list[str]:
        """The M49 codes of these regions and of every region containing them (World left out)."""
        codes = []
        for region_id in region_ids:
            node = self.regions.get(region_id)
            while node is not None and node.code != "001":
                if node.code not in codes:
                    codes.append(node.code)
                node = self.regions.get(node.parent_id)
        return codes

    def build(self, keys: Iterable[str]) -> list[SearchDocument]:
        keys = sorted({str(key) for key in keys})
        if not keys:
            return []
        group_pages = list(
            Page.objects.filter(translation_key__in=keys, content_type_id__in=searchable_content_type_ids())
            .select_related("locale")
            .order_by("pk")
        )
        live_ids = [page.pk for page in group_pages if page.live]
        public_ids = set(Page.objects.filter(pk__in=live_ids).public().values_list("pk", flat=True))
        specific = {page.pk: page for page in Page.objects.filter(pk__in=public_ids).specific()}
        # The specific pages come without their locale: give each the one already read (no query per page).
        locales = {page.locale_id: page.locale for page in group_pages}
        for page in specific.values():
            page.locale = locales[page.locale_id]
        self._prefetch(list(specific.values()))
        locale_of = {page.pk: page.locale.language_code for page in group_pages}
        sources = self._source_locales(keys)

        groups: dict[str, list[Page]] = defaultdict(list)
        for page in group_pages:
            if page.pk in specific:
                groups[str(page.translation_key)].append(specific[page.pk])

        documents = []
        for key in keys:
            pages = groups.get(key, [])
            by_locale = {page.locale.language_code: page for page in pages}
            original = self._original(pages, sources.get(key))
            for locale in self.locales:
                page = by_locale.get(locale, original)
                if page is None:
                    continue
                text_language = locale_of.get(page.alias_of_id, page.locale.language_code)
                document = self.document(page, locale, text_language)
                if document is not None:
                    documents.append(document)
        return documents

    def _original(self, pages: list[Page], source_locale: str | None) -> Page | None:
        """The page shown where a record has no page of its own: the source, the default language, the oldest."""
        originals = [page for page in pages if page.alias_of_id is None]
        for wanted in (source_locale, settings.LANGUAGE_CODE):
            for page in originals:
                if page.locale.language_code == wanted:
                    return page
        return originals[0] if originals else None

    def _source_locales(self, keys: list[str]) -> dict[str, str]:
        """The language each group was written in, as wagtail-localize recorded it."""
        try:
            from wagtail_localize.models import TranslationSource
        except ImportError:  # pragma: no cover - wagtail-localize is installed in every setting
            return {}
        rows = TranslationSource.objects.filter(object_id__in=keys).values_list("object_id", "locale__language_code")
        return {str(key): code for key, code in rows}

    def _prefetch(self, pages: list[Page]) -> None:
        """Each page's classification (one query per page type, the terms from the process's copy of
        the vocabularies; kept here, not placed as querysets: making one per page and vocabulary cost
        more than the rest of a document), and the sites' root paths, read once for every page's
        address (Wagtail reads them from the cache for each page otherwise: a round trip a document)."""
        from content_types.base.classification import classification_terms
        from content_types.base.models import ClassifiedPage

        by_model = defaultdict(list)
        root_paths = Site.get_site_root_paths()
        for page in pages:
            page._wagtail_cached_site_root_paths = root_paths  # where ``Page.get_url`` looks first
            if isinstance(page, ClassifiedPage):
                by_model[type(page)].append(page)
        for items in by_model.values():
            self.classification.update(classification_terms(items, registry.CLASSIFICATION_RELATIONS))

    def _classified(self, page, name: str) -> list:
        found = self.classification.get((name, page.pk))
        return list(getattr(page, name).all()) if found is None else found

    def document(self, page, locale: str, text_language: str) -> SearchDocument | None:
        url = page.get_url()
        if not url:
            return None  # outside every site: nobody can open it
        adapter = registry.adapter_for(type(page))
        overrides = page.search_document() if callable(getattr(page, "search_document", None)) else {}
        date = overrides.get("date", adapter.date(page))
        codes: dict[str, list[str]] = {"type": [registry.model_label(type(page))]}
        tags: list[str] = []
        if hasattr(page, "gbf_targets"):
            countries = self._classified(page, "countries")
            regions = self._classified(page, "regions")
            targets = self._classified(page, "gbf_targets")
            subjects = self._classified(page, "subjects")
            languages = self._classified(page, "languages")
            codes["country"] = [country.code for country in countries]
            codes["region"] = self.region_codes(
                [region.pk for region in regions] + [country.region_id for country in countries if country.region_id]
            )
            codes["target"] = [target.code for target in targets]
            codes["subject"] = [subject.code for subject in subjects]
            codes["language"] = [language.code for language in languages]
            for term in [*countries, *regions, *targets, *subjects]:
                for language in dict.fromkeys([text_language, locale]):
                    tags.append(term.name_in(language))
        if date is not None:
            codes["year"] = [str(date.year)]
        status = overrides.get("status", adapter.status(page))
        if status:
            codes["status"] = [status]
        codes["source"] = [overrides.get("source", adapter.source(page))]
        if overrides.get("tags"):
            tags.append(overrides["tags"])
        return SearchDocument(
            locale=locale,
            translation_key=str(page.translation_key),
            page_id=page.pk,
            content_type=codes["type"][0],
            language=base_language(text_language),
            title=clean_text(page.title)[:255],
            url=url,
            summary=clean_text(getattr(page, "summary", "") or getattr(page, "search_description", "")),
            body=clean_text(overrides.get("body", adapter.body(page))),
            tags=clean_text(" · ".join(dict.fromkeys(tag for tag in tags if tag))),
            identifier=clean_text(overrides.get("identifier", adapter.identifier(page)))[:100],
            date=date,
            codes={facet: values for facet, values in codes.items() if values},
        )


def build_documents(keys: Iterable[str]) -> list[SearchDocument]:
    return DocumentBuilder().build(keys)


def translation_keys_of(pages: Iterable[Page]) -> set[str]:
    return {str(page.translation_key) for page in pages}


def subtree_translation_keys(page: Page) -> set[str]:
    """The groups of ``page`` and of every page below it (a move or a restriction changes them all)."""
    keys = (
        Page.objects.descendant_of(page, inclusive=True)
        .filter(content_type_id__in=searchable_content_type_ids())
        .values_list("translation_key", flat=True)
    )
    return {str(key) for key in keys}
