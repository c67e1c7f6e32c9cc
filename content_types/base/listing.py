"""Filtered, faceted, paginated listings of classified pages, in a bounded number of queries.

A section's index page builds a :class:`FacetedListing` from its base queryset. Each facet costs
one aggregate query computed with every *other* active filter applied, so the counts say how many
results choosing that value would give; the page of results costs a fixed number of queries
(``specific()`` per page type present, plus one per prefetched relation).

Addresses name every filter value by its stable code (see :mod:`content_types.base.codes`); a value
that names nothing is reported on the page and not applied, and the links the listing emits carry only
the values it applied.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q, prefetch_related_objects
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from cms import content_version, page_fragments
from content_types.base.classification import vocabulary_terms
from content_types.base.languages import prime_text_languages
from content_types.vocabularies.models import Country, GBFTarget, Language, Region, Subject, language_column

from .codes import shown_value, unknown_code_message

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE_DIGITS = 9


def requested_page(request, paginator, messages: list) -> int:
    """The page number asked for in ``?page=``; one that is not a number, or past the end, is
    reported in ``messages`` and the nearest page is shown instead."""
    raw = request.GET.get("page", "").strip()
    if not raw:
        return 1
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= MAX_PAGE_DIGITS else 0
    if number < 1:
        messages.append(
            gettext("“%(page)s” is not a page number; the first page is shown.") % {"page": shown_value(raw)}
        )
        return 1
    if number > paginator.num_pages:
        if paginator.count:
            messages.append(
                gettext("There is no page %(page)d: the results end at page %(last)d, shown here.")
                % {"page": number, "last": paginator.num_pages}
            )
        return paginator.num_pages
    return number


YEAR_RANGE = (1900, 2100)
CODE_PATTERN = re.compile(r"[A-Za-z0-9-]{1,40}")


class CodeChoiceField(forms.ModelChoiceField):
    """A vocabulary term chosen by its code; a value that cannot be a code is refused without a query
    (PostgreSQL would refuse a NUL character with an error rather than find nothing)."""

    def __init__(self, model, **kwargs):
        super().__init__(queryset=model.objects.all(), to_field_name="code", required=False, **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not CODE_PATTERN.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return super().to_python(value)


class ListingFilterForm(forms.Form):
    """The filters a visitor can set in the query string. Unknown values are reported, not applied."""

    type = forms.ChoiceField(label=_("Type"), required=False)
    country = CodeChoiceField(Country, label=_("Country"))
    region = CodeChoiceField(Region, label=_("Region"))
    target = CodeChoiceField(GBFTarget, label=_("GBF target"))
    subject = CodeChoiceField(Subject, label=_("Subject"))
    language = CodeChoiceField(Language, label=_("Language"))
    year = forms.IntegerField(label=_("Year"), required=False, min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1])
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, data, *, type_choices, sort_choices):
        super().__init__(data)
        self.fields["type"].choices = [("", _("All types")), *type_choices]
        self.fields["sort"].choices = sort_choices

    def valid_filters(self) -> dict:
        """The filters whose values are valid; invalid ones stay in ``errors`` for the page to show."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool  # the filters form lists the options: choosing one is choosing its value
    text_language: str | None = None  # set when a term has no name in the page's language


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)


def region_codes_within(region: Region) -> list[str]:
    """The M49 codes of ``region`` and every region inside it (regions are few: one query)."""
    children: dict[int | None, list[Region]] = {}
    for item in Region.objects.only("id", "code", "parent_id"):
        children.setdefault(item.parent_id, []).append(item)
    codes, stack = [], [region]
    while stack:
        node = stack.pop()
        codes.append(node.code)
        stack.extend(children.get(node.pk, []))
    return codes


class FacetedListing:
    """Apply the query string's filters to ``queryset`` and compute facets, chips and a page.

    ``type_choices`` maps a type code to its label (for the Type facet); when the types are page
    types, ``type_content_types`` maps each code to its content-type id. ``date_field`` is the field
    that Year and date sorting use.
    """

    vocabulary_facets = {
        "country": ("countries", _("Country")),
        "target": ("gbf_targets", _("GBF target")),
        "subject": ("subjects", _("Subject")),
        "language": ("languages", _("Language")),
    }

    def __init__(
        self,
        request,
        queryset,
        *,
        date_field: str,
        type_choices: dict | None = None,
        type_content_types: dict[str, int] | None = None,
        page_size=PAGE_SIZE,
        card_template: str | None = None,
    ):
        self.request = request
        self.card_template = card_template
        self.base = queryset
        self.date_field = date_field
        self.type_choices = {str(key): label for key, label in (type_choices or {}).items()}
        self.type_content_types = dict(type_content_types or {})
        self.sort_choices = [
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("title", _("Title (A–Z)")),
        ]
        self.form = ListingFilterForm(
            request.GET, type_choices=list(self.type_choices.items()), sort_choices=self.sort_choices
        )
        self.filters = self.form.valid_filters()
        self.page_size, self.per_page = self._page_size(request.GET.get("per_page", ""), page_size)
        self.page_messages: list[str] = []
        self._column = language_column(get_language())
        self._region_codes: dict[str, list[str]] = {}  # one region query per listing, not per facet

    @staticmethod
    def _page_size(raw: str, default: int) -> tuple[int, str]:
        """The page size and the ``per_page`` value links repeat ("" when the default applies)."""
        if raw.isascii() and raw.isdigit() and len(raw) <= MAX_PAGE_DIGITS and int(raw) >= 1:
            size = min(int(raw), MAX_PAGE_SIZE)
            return size, str(size)
        return default, ""

    # --- filtering ---------------------------------------------------------------------------
    def _condition(self, name, value) -> Q:
        if name == "type":
            return Q(content_type_id=self.type_content_types[value])
        if name == "region":
            codes = self._region_codes.get(value.code)
            if codes is None:
                codes = self._region_codes[value.code] = region_codes_within(value)
            return Q(regions__code__in=codes) | Q(countries__region__code__in=codes)
        if name == "year":
            return Q(**{f"{self.date_field}__year": value})
        relation = self.vocabulary_facets[name][0]
        return Q(**{f"{relation}__code": value.code})

    def filtered(self, exclude: str | None = None):
        """The base queryset with every active filter but ``exclude``; one row per page."""
        queryset = self.base
        for name, value in self.filters.items():
            if name == "sort" or name == exclude:
                continue
            condition = self._condition(name, value)
            ids = self.base.filter(condition).values("pk")
            queryset = queryset.filter(pk__in=ids)
        return queryset

    def ordered(self, queryset):
        sort = self.filters.get("sort") or "newest"
        if sort == "title":
            return queryset.order_by("title", "pk")
        if sort == "oldest":
            return queryset.order_by(self.date_field, "pk")
        return queryset.order_by(f"-{self.date_field}", "-pk")

    # --- results ---------------------------------------------------------------------------------
    def _page_number(self, paginator) -> int:
        return requested_page(self.request, paginator, self.page_messages)

    def page(self):
        """The current page of results, with the card relations prefetched.

        With a ``card_template`` (cards shown by ``{% cached_cards %}``), the page first reads only
        its results' ids and their cards in the cache: a result whose card is there stays a
        ``CachedCard`` and is neither loaded nor rendered; only the others are loaded."""
        ordered = self.ordered(self.filtered())
        if self.card_template is None:
            paginator = Paginator(ordered, self.page_size)
            page = paginator.page(self._page_number(paginator))
            page.object_list = self._loaded(page.object_list)
            return page
        paginator = Paginator(ordered.values_list("pk", flat=True), self.page_size)
        page = paginator.page(self._page_number(paginator))
        ids = list(page.object_list)
        found = page_fragments.cached_cards_for(self.request, self.card_template, ids)
        missing = [pk for pk in ids if pk not in found]
        loaded = {item.pk: item for item in self._loaded(self.base.filter(pk__in=missing))} if missing else {}
        page.object_list = [
            page_fragments.CachedCard(pk, found[pk]) if pk in found else loaded[pk]
            for pk in ids
            if pk in found or pk in loaded
        ]
        return page

    def _loaded(self, items) -> list:
        """``items`` (a queryset) as the cards need them: specific, locales joined, relations prefetched."""
        model = self.base.model
        # One query per page type present; not needed when every result is of the same type, or
        # when the cards show only what the base type holds (``listing_specific = False``).
        if model.__subclasses__() and getattr(model, "listing_specific", True):
            items = items.specific()
        items = list(items.select_related("locale"))
        prefetch = getattr(model, "listing_prefetch", [])
        if items and prefetch:
            prefetch_related_objects(items, *prefetch)
        return prime_text_languages(items)

    # --- facets ---------------------------------------------------------------------------------
    def cache_parts(self, params=None) -> tuple:
        """What this listing's rendered facets depend on besides the content: the listing (its
        address), the language and the applied filters, order and page size (``params``: only
        some of them, for what the others do not change)."""
        params = self.link_params() if params is None else params
        return (type(self).__name__, self.request.path, get_language(), tuple(params))

    @property
    def cache_tags(self) -> tuple[str, ...]:
        """What the listing's facets, map and ids show: the pages of its kind (``cms.content_version``:
        a change to one of them retires them; the cards are kept per page)."""
        return (content_version.listing_tag(self.base.model._meta.app_label),)

    @property
    def facet_cache_tags(self) -> tuple[str, ...]:
        """What the listing's facet counts show: the classification of the pages of its kind (a
        change to a page's title or text keeps them; ``cms.content_version.facets_tag``)."""
        return (content_version.facets_tag(self.base.model._meta.app_label),)

    @property
    def facets_cache_token(self) -> str:
        """What the rendered facets depend on besides the language and the content: the template keeps
        them rendered per value (``{% frame_fragment %}``)."""
        return repr(self.cache_parts())

    def cached_facets(self) -> list[Facet]:
        """:meth:`facets`, kept until a page of the listing's kind changes (``cms.content_version``):
        counting costs one query per facet over every result, which grows with the content."""
        parts = self.cache_parts(self.filter_params())
        return content_version.cached(
            "listing-facets", parts, lambda: self._plain(self.facets()), tags=self.facet_cache_tags
        )

    def filter_params(self) -> list[tuple[str, str]]:
        """The applied filters alone, which alone decide the counts (not the order or page size)."""
        return [(name, value) for name, value in self.link_params() if name not in ("sort", "per_page")]

    @staticmethod
    def _plain(facets: list[Facet]) -> list[Facet]:
        """Facets with their labels as plain strings (lazy translations are resolved before caching)."""
        for facet in facets:
            facet.label = str(facet.label)
            for option in facet.options:
                option.label = str(option.label)
        return facets

    def facets(self) -> list[Facet]:
        facets = []
        if self.type_content_types:
            counts = dict(
                self.filtered(exclude="type").values_list("content_type_id").annotate(n=Count("pk")).order_by()
            )
            options = [
                self._option("type", code, label, counts[self.type_content_types[code]])
                for code, label in self.type_choices.items()
                if counts.get(self.type_content_types.get(code))
            ]
            facets.append(Facet("type", _("Type"), options))
        for name, (relation, label) in self.vocabulary_facets.items():
            rows = (
                self.filtered(exclude=name)
                .filter(**{f"{relation}__isnull": False})
                .values(f"{relation}__code", f"{relation}__name_en", f"{relation}__name_{self._column}")
                .annotate(n=Count("pk", distinct=True))
                .order_by("-n", f"{relation}__code")
            )
            options = [
                self._option(
                    name,
                    row[f"{relation}__code"],
                    row[f"{relation}__name_{self._column}"] or row[f"{relation}__name_en"],
                    row["n"],
                    text_language=None if row[f"{relation}__name_{self._column}"] else "en",
                )
                for row in rows
            ]
            if name == "target":
                options.sort(key=lambda option: int(option.value.rsplit("T", 1)[1]))
            facets.append(Facet(name, label, options))
        years = (
            self.filtered(exclude="year")
            .annotate(listing_year=ExtractYear(self.date_field))
            .values("listing_year")
            .annotate(n=Count("pk"))
            .order_by("-listing_year")
        )
        facets.append(
            Facet(
                "year",
                _("Year"),
                [
                    self._option("year", row["listing_year"], str(row["listing_year"]), row["n"])
                    for row in years
                    if row["listing_year"]
                ],
            )
        )
        return facets

    def _option(self, name, value, label, count, text_language=None) -> FacetOption:
        return FacetOption(str(value), label, count, self.code(name) == str(value), text_language)

    # --- links ----------------------------------------------------------------------------------
    def code(self, name) -> str:
        """The applied value of filter ``name`` as the address writes it (a term's code), or ""."""
        value = self.filters.get(name)
        return "" if value in (None, "") else str(getattr(value, "code", value))

    def link_params(self) -> list[tuple[str, str]]:
        """The parameters every link of this listing repeats: the applied filters as codes, in the
        form's order, and the page size; values that were not applied are left out."""
        pairs = [(name, self.code(name)) for name in self.form.fields if self.code(name)]
        if self.per_page:
            pairs.append(("per_page", self.per_page))
        return pairs

    def url_with(self, name, value) -> str:
        """The query string with ``name`` set to ``value`` (or removed), back on page 1."""
        order = [*self.form.fields, "per_page"]
        params = dict(self.link_params())
        params.pop(name, None)
        if value not in (None, ""):
            params[name] = str(value)
        pairs = sorted(params.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
        return "?" + urlencode(pairs) if pairs else "?"

    def chips(self) -> list[dict]:
        """The active filters, each with the link that removes it."""
        chips = []
        for name, value in self.filters.items():
            if name == "sort":
                continue
            if name == "type":
                label = self.type_choices.get(str(value), value)
            elif name == "year":
                label = str(value)
            else:
                label = getattr(value, "name", str(value))
            chips.append(
                {
                    "name": name,
                    "field": self.form.fields[name].label,
                    "label": label,
                    "text_language": getattr(value, "text_language", None),
                    "remove_url": self.url_with(name, None),
                }
            )
        return chips

    def clear_url(self) -> str:
        """The listing without any filter (the order and page size kept)."""
        pairs = [(name, value) for name, value in self.link_params() if name in ("sort", "per_page")]
        return "?" + urlencode(pairs) if pairs else "?"

    def query_string(self) -> str:
        """The current filters for pagination links (without ``page``)."""
        return urlencode(self.link_params())

    def filter_messages(self) -> list[str]:
        """The filters asked in the address but not applied, and why, in the visitor's language."""
        messages = []
        for name in self.form.errors:
            raw = self.request.GET.get(name, "")
            field = self.form.fields[name]
            if name == "year":
                message = gettext("“%(value)s” is not a year from %(first)d to %(last)d; that filter was not applied.")
                messages.append(message % {"value": shown_value(raw), "first": YEAR_RANGE[0], "last": YEAR_RANGE[1]})
            elif name == "sort":
                messages.append(
                    gettext("“%(value)s” is not a way to sort this list; the usual order is used.")
                    % {"value": shown_value(raw)}
                )
            else:
                messages.append(unknown_code_message(field.label, raw))
        return messages

    def context(self) -> dict:
        page = self.page()
        chips = self.chips()
        return {
            "listing": self,
            "filter_form": self.form,
            "results": page,
            "facets": self.cached_facets(),
            "chips": chips,
            "filter_messages": self.filter_messages(),
            "page_messages": self.page_messages,
            "clear_url": self.clear_url(),
            "query_string": self.query_string(),
            "total": page.paginator.count,
        }


WORLD = "001"


class RegionFacetMixin:
    """A Region facet for a :class:`FacetedListing` of classified pages: a page counts for a region
    when one of its regions or one of its countries' regions lies within it (three queries)."""

    def region_facet(self) -> Facet:
        regions = list(vocabulary_terms(Region).values())
        by_id = {region.pk: region for region in regions}
        totals = self._region_totals(regions, by_id)
        children: dict[str | None, list[Region]] = {}
        for region in regions:
            if region.code in totals:
                parent = by_id.get(region.parent_id)
                children.setdefault(parent.code if parent else None, []).append(region)
        options = []

        def walk(parent_code, depth):
            for region in sorted(children.get(parent_code, []), key=lambda item: item.name):
                label = "– " * depth + region.name
                options.append(self._option("region", region.code, label, totals[region.code]))
                walk(region.code, depth + 1)

        walk(WORLD, 0)
        walk(None, 0)
        return Facet("region", _("Region"), options)

    def _region_totals(self, regions, by_id) -> dict[str, int]:
        """Region code → how many results lie within it (by their regions or their countries'), in one
        query that returns a row per region: each code the pages hold is joined to itself and the
        regions above it (below the world) and the pages are counted once per region they lie in."""
        within = []
        for region in regions:
            node = region
            while node is not None and node.code != WORLD:
                within.append((region.code, node.code))
                node = by_id.get(node.parent_id)
        if not within:
            return {}
        queryset = self.filtered(exclude="region")
        branches, params = [], []
        for relation in ("regions__code", "countries__region__code"):
            links = queryset.filter(**{f"{relation}__isnull": False}).values_list("pk", relation).order_by()
            try:
                sql, branch_params = links.query.sql_with_params()
            except EmptyResultSet:  # a filter that nothing can match: no links
                continue
            branches.append(sql)
            params.extend(branch_params)
        if not branches:
            return {}
        pairs = ", ".join(["(%s, %s)"] * len(within))
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH links(pk, code) AS ({' UNION ALL '.join(branches)}), "  # noqa: S608 - built by the ORM
                f"within(code, counted) AS (VALUES {pairs}) "
                "SELECT within.counted, COUNT(DISTINCT links.pk) FROM links "
                "JOIN within ON within.code = links.code GROUP BY within.counted",
                [*params, *(value for pair in within for value in pair)],
            )
            return dict(cursor.fetchall())

    def facets_with_region(self, facets: list[Facet]) -> list[Facet]:
        position = next((index + 1 for index, facet in enumerate(facets) if facet.name == "country"), len(facets))
        return [*facets[:position], self.region_facet(), *facets[position:]]


class ChoiceFiltersMixin:
    """Lets a listing replace or add choice fields of the base's filter form after it was validated,
    re-checking only those values (the vocabulary filters would cost their queries again)."""

    def set_choice_field(self, name: str, field: forms.ChoiceField, default: str = "") -> None:
        self.form.fields[name] = field
        self.form.errors.pop(name, None)
        self.filters.pop(name, None)
        try:
            value = field.clean(self.request.GET.get(name, ""))
        except ValidationError as error:
            self.form.add_error(name, error)
            value = ""
        if value:
            self.filters[name] = value
        self.form.cleaned_data[name] = value or default
