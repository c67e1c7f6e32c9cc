"""Filtered, faceted, paginated listings of classified pages, in a bounded number of queries.

A section's index page builds a :class:`FacetedListing` from its base queryset. Each facet costs
one aggregate query computed with every *other* active filter applied, so the counts say how many
results choosing that value would give; the page of results costs a fixed number of queries
(``specific()`` per page type present, plus one per prefetched relation).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from content_types.base.languages import prime_text_languages
from content_types.vocabularies.models import Country, GBFTarget, Language, Region, Subject, language_column

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class ListingFilterForm(forms.Form):
    """The filters a visitor can set in the query string. Unknown values are reported, not applied."""

    type = forms.ChoiceField(label=_("Type"), required=False)
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), to_field_name="code", required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="code", required=False
    )
    target = forms.ModelChoiceField(
        label=_("GBF target"), queryset=GBFTarget.objects.all(), to_field_name="code", required=False
    )
    subject = forms.ModelChoiceField(
        label=_("Subject"), queryset=Subject.objects.all(), to_field_name="code", required=False
    )
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.all(), to_field_name="code", required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, data, *, type_choices, sort_choices):
        super().__init__(data)
        self.fields["type"].choices = [("", _("All types")), *type_choices]
        self.fields["sort"].choices = sort_choices
        for name in ("country", "region", "target", "subject", "language"):
            self.fields[name].error_messages["invalid_choice"] = _("“%(value)s” is not a known code.")

    def valid_filters(self) -> dict:
        """The filters whose values are valid; invalid ones stay in ``errors`` for the page to show."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str
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

    ``type_choices`` maps a content-type id to its label (for the Type facet); ``date_field`` is
    the field that Year and date sorting use.
    """

    vocabulary_facets = {
        "country": ("countries", _("Country")),
        "target": ("gbf_targets", _("GBF target")),
        "subject": ("subjects", _("Subject")),
        "language": ("languages", _("Language")),
    }

    def __init__(self, request, queryset, *, date_field: str, type_choices: dict | None = None, page_size=PAGE_SIZE):
        self.request = request
        self.base = queryset
        self.date_field = date_field
        self.type_choices = {str(key): label for key, label in (type_choices or {}).items()}
        self.sort_choices = [
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("title", _("Title (A–Z)")),
        ]
        self.form = ListingFilterForm(
            request.GET, type_choices=list(self.type_choices.items()), sort_choices=self.sort_choices
        )
        self.filters = self.form.valid_filters()
        self.page_size = page_size
        self._column = language_column(get_language())
        self._region_codes: dict[str, list[str]] = {}  # one region query per listing, not per facet

    # --- filtering ---------------------------------------------------------------------------
    def _condition(self, name, value) -> Q:
        if name == "type":
            return Q(content_type_id=value)
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
    def page(self):
        """The current page of specific pages, with the card relations prefetched."""
        from django.db.models import prefetch_related_objects

        results = self.ordered(self.filtered())
        try:
            size = min(int(self.request.GET.get("per_page", self.page_size)), MAX_PAGE_SIZE)
        except ValueError:
            size = self.page_size
        paginator = Paginator(results, max(size, 1))
        try:
            page = paginator.page(self.request.GET.get("page", 1))
        except PageNotAnInteger:
            page = paginator.page(1)
        except EmptyPage:
            page = paginator.page(paginator.num_pages)
        items = list(page.object_list.specific().select_related("locale"))
        prefetch = getattr(self.base.model, "listing_prefetch", [])
        if items and prefetch:
            prefetch_related_objects(items, *prefetch)
        page.object_list = prime_text_languages(items)
        return page

    # --- facets ---------------------------------------------------------------------------------
    def facets(self) -> list[Facet]:
        facets = []
        if self.type_choices:
            counts = dict(
                self.filtered(exclude="type").values_list("content_type_id").annotate(n=Count("pk")).order_by()
            )
            options = [
                self._option("type", key, label, counts.get(int(key), 0))
                for key, label in self.type_choices.items()
                if counts.get(int(key))
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
        current = self.filters.get(name)
        current_value = getattr(current, "code", current)
        selected = str(current_value) == str(value) if current is not None else False
        url = self.url_with(name, None if selected else value)
        return FacetOption(str(value), label, count, selected, url, text_language)

    # --- links ----------------------------------------------------------------------------------
    def url_with(self, name, value) -> str:
        """The query string with ``name`` set to ``value`` (or removed), back on page 1."""
        params = {key: item for key, item in self.request.GET.items() if key not in (name, "page") and item}
        if value not in (None, ""):
            params[name] = value
        return "?" + urlencode(params) if params else "?"

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

    def query_string(self) -> str:
        """The current filters for pagination links (without ``page``)."""
        return urlencode({key: item for key, item in self.request.GET.items() if key != "page" and item})

    def context(self) -> dict:
        page = self.page()
        return {
            "listing": self,
            "filter_form": self.form,
            "results": page,
            "facets": self.facets(),
            "chips": self.chips(),
            "query_string": self.query_string(),
            "total": page.paginator.count,
        }


WORLD = "001"


class RegionFacetMixin:
    """A Region facet for a :class:`FacetedListing` of classified pages: a page counts for a region
    when one of its regions or one of its countries' regions lies within it (three queries)."""

    def region_facet(self) -> Facet:
        queryset = self.filtered(exclude="region")
        pages_by_code: dict[str, set[int]] = {}
        for relation in ("regions__code", "countries__region__code"):
            rows = queryset.filter(**{f"{relation}__isnull": False}).values_list("pk", relation).order_by().distinct()
            for pk, code in rows:
                pages_by_code.setdefault(code, set()).add(pk)
        regions = list(Region.objects.all())
        by_id = {region.pk: region for region in regions}
        by_code = {region.code: region for region in regions}
        totals: dict[str, set[int]] = {}
        for code, pks in pages_by_code.items():
            node = by_code.get(code)
            while node is not None and node.code != WORLD:
                totals.setdefault(node.code, set()).update(pks)
                node = by_id.get(node.parent_id)
        children: dict[str | None, list[Region]] = {}
        for region in regions:
            if region.code in totals:
                parent = by_id.get(region.parent_id)
                children.setdefault(parent.code if parent else None, []).append(region)
        options = []

        def walk(parent_code, depth):
            for region in sorted(children.get(parent_code, []), key=lambda item: item.name):
                label = "– " * depth + region.name
                options.append(self._option("region", region.code, label, len(totals[region.code])))
                walk(region.code, depth + 1)

        walk(WORLD, 0)
        walk(None, 0)
        return Facet("region", _("Region"), options)

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
