"""The events listing: upcoming or past, faceted by event type (a field, not a page type) and region."""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content_types.base.listing import Facet, FacetedListing
from content_types.vocabularies.models import Region

from .models import EventType

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


class EventListing(ChoiceFiltersMixin, RegionFacetMixin, FacetedListing):
    """Events that have not ended yet (``upcoming``, soonest first) or have (``past``, latest first)."""

    def __init__(self, request, queryset, *, when: str = "upcoming", **kwargs):
        self.when = when if when in ("upcoming", "past") else "upcoming"
        self.now = timezone.now()
        super().__init__(request, queryset, date_field="start", type_choices=dict(EventType.choices), **kwargs)
        # Events sort by how soon they happen, which the generic "newest/oldest" labels misname.
        self.sort_choices = [
            ("soonest", _("Soonest first")),
            ("latest", _("Latest first")),
            ("title", _("Title (A–Z)")),
        ]
        sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=self.sort_choices)
        self.set_choice_field("sort", sort, default=self.default_sort)

    @property
    def default_sort(self) -> str:
        return "soonest" if self.when == "upcoming" else "latest"

    def when_condition(self, when: str | None = None) -> Q:
        if (when or self.when) == "upcoming":
            return Q(end__gte=self.now)
        return Q(end__lt=self.now)

    def _condition(self, name, value) -> Q:
        if name == "type":
            return Q(event_type=value)
        return super()._condition(name, value)

    def filtered(self, exclude: str | None = None):
        queryset = super().filtered(exclude)
        if exclude != "when":
            queryset = queryset.filter(self.when_condition())
        return queryset

    def ordered(self, queryset):
        sort = self.filters.get("sort") or self.default_sort
        if sort == "title":
            return queryset.order_by("title", "pk")
        if sort == "latest":
            return queryset.order_by("-start", "-pk")
        return queryset.order_by("start", "pk")

    def facets(self):
        # The base counts page types; events are one page type, typed by their ``event_type`` field.
        type_choices, self.type_choices = self.type_choices, {}
        try:
            facets = super().facets()
        finally:
            self.type_choices = type_choices
        counts = dict(self.filtered(exclude="type").values_list("event_type").annotate(n=Count("pk")).order_by())
        options = [
            self._option("type", value, label, counts[value]) for value, label in EventType.choices if counts.get(value)
        ]
        return [Facet("type", _("Type of event"), options), *self.facets_with_region(facets)]

    def tab_counts(self) -> dict:
        """How many upcoming and past events match the other filters (one query)."""
        return self.filtered(exclude="when").aggregate(
            upcoming=Count("pk", filter=self.when_condition("upcoming")),
            past=Count("pk", filter=self.when_condition("past")),
        )

    def feed_query_string(self) -> str:
        """The filters alone (no page, size or order) for the calendar feed's address."""
        skip = {"page", "per_page", "sort"}
        return urlencode({key: item for key, item in self.request.GET.items() if key not in skip and item})
