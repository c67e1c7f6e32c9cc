"""The database backend's own search tables.

``SearchEntry`` — one row per record and visitor language: what a visitor reading ``locale`` finds
for the record ``translation_key``: the page in that language (a translation, or an alias of the
original), or else the original itself. The unique (locale, translation_key) pair guarantees that a
record is counted once per language. Entries are narrow (codes for facets, date, address), so that
counting facets over many rows reads little.

``SearchText`` — the searchable text of a record in one language, with its weighted ``tsvector``.
An alias shows its original's text, so the entries of the original and of all its aliases share one
text: a record translated into two languages and aliased into four has six entries but two texts.

Rows are written only by ``search.indexing`` from live, public pages, never from drafts.
"""

import json

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func, Lookup, TextField
from django.db.models.functions import Collate, Upper
from django.utils.translation import gettext_lazy as _


class FacetCodesField(models.JSONField):
    """A JSON list of ``facet:code`` strings (``country:FR``, ``target:GBF-T3``) with a ``has_code`` lookup."""


class LocaleCodes(Func):
    """``chm_search_locale_codes(locale, codes)``: the entry's codes prefixed with its language
    (``en|country:FR``), PostgreSQL only (migration 0005 defines the function). Indexed (GIN), so that
    a filter reads the visitor language's entries holding a code, not every language's."""

    function = "chm_search_locale_codes"
    output_field = ArrayField(TextField())


def locale_code(locale: str, code: str) -> str:
    return f"{locale}|{code}"


@FacetCodesField.register_lookup
class HasCode(Lookup):
    """``codes__has_code="country:FR"``: containment that PostgreSQL answers from the GIN index."""

    lookup_name = "has_code"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", [*lhs_params, json.dumps([self.rhs])]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)"  # noqa: S608 - lhs is a column
        return sql, [*lhs_params, self.rhs]


@SearchVectorField.register_lookup
class MatchesTSQuery(Lookup):
    """``search_vector__matches="'restaur' & 'wetland'"``: the vector matches a tsquery given in its
    text form (already parsed), which PostgreSQL answers from the GIN index."""

    lookup_name = "matches"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @@ %s::tsquery", [*lhs_params, self.rhs]


class SearchText(models.Model):
    """The searchable text of one record in one language (an alias and its original share it)."""

    translation_key = models.UUIDField(_("translation key"))
    language = models.CharField(_("language of the text"), max_length=16)
    search_config = models.CharField(_("text search configuration"), max_length=20, default="simple")
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body text"), blank=True)
    tags = models.TextField(_("vocabulary names"), blank=True)
    keywords = models.TextField(_("identifier and codes"), blank=True)
    cjk_terms = models.TextField(_("CJK bigrams"), blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # Where the text is shown and what it is filtered by: for each visitor language with an entry showing
    # it, that entry's codes (``{"fr": ["country:GM", …]}``). The vector holds them as lexemes that no text
    # can produce (the parsers split words at "|"): ``fr|*`` for each language, ``fr|country:GM`` for each
    # code, ``config:french`` for its configuration — so that the texts matching a word in a visitor
    # language under filters are found by one tsquery in the vectors' index, and counted (with the
    # language's codes, read here) without the entries.
    locale_codes = models.JSONField(_("languages and codes"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("search text")
        verbose_name_plural = _("search texts")
        constraints = [
            models.UniqueConstraint(fields=["translation_key", "language"], name="chm_search_one_text_per_language")
        ]
        indexes = [
            # PostgreSQL only (the migration skips them elsewhere): full text and suggestions.
            GinIndex(fields=["search_vector"], name="chm_search_text_vector_gin"),
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="chm_search_text_title_trgm"),
            # Titles starting with a prefix, in order (byte order, whatever the database's collation):
            # suggestions walk it and stop at the few they show.
            models.Index(Collate(Upper("title"), "C"), name="chm_search_text_title_prefix"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class SearchEntry(models.Model):
    """What a visitor reading ``locale`` finds for the record ``translation_key``."""

    locale = models.CharField(_("visitor language"), max_length=16)
    translation_key = models.UUIDField(_("translation key"))
    page_id = models.PositiveIntegerField(_("page"), db_index=True)
    content_type = models.CharField(_("content type"), max_length=100)
    # Indexed with the language (below): a text's entry in one language is read without its others.
    text = models.ForeignKey(
        SearchText, verbose_name=_("text"), on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    identifier = models.CharField(_("identifier"), max_length=100, blank=True, db_index=True)
    url = models.CharField(_("address"), max_length=2000)
    date = models.DateField(_("date"), null=True, blank=True)
    codes = FacetCodesField(_("facet codes"), default=list, blank=True)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["locale", "translation_key"], name="chm_search_one_entry_per_language")
        ]
        indexes = [
            models.Index(fields=["translation_key"], name="chm_search_translation_key"),
            models.Index(fields=["text", "locale"], name="chm_search_text_locale"),
            # PostgreSQL only (the migrations skip them elsewhere): newest first, facet codes per language.
            models.Index(F("locale"), F("date").desc(nulls_last=True), F("id").desc(), name="chm_search_locale_newest"),
            GinIndex(LocaleCodes(F("locale"), F("codes")), name="chm_search_locale_codes_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.translation_key} ({self.locale})"


class SearchFacetCount(models.Model):
    """How many entries of ``locale`` carry ``code`` (``country:FR``), kept up to date by every write of
    the index; the code ``*`` counts the locale's entries. The search page without a query or a filter
    — its most frequent view — reads its total and its nine facets here instead of counting them."""

    TOTAL = "*"

    locale = models.CharField(_("visitor language"), max_length=16)
    code = models.CharField(_("facet code"), max_length=300)
    count = models.IntegerField(_("entries"), default=0)

    class Meta:
        verbose_name = _("search facet count")
        verbose_name_plural = _("search facet counts")
        constraints = [models.UniqueConstraint(fields=["locale", "code"], name="chm_search_one_count_per_code")]

    def __str__(self) -> str:
        return f"{self.code} ({self.locale}): {self.count}"
