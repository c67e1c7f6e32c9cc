"""The events listing: upcoming or past, faceted by event type (a field, not a page type) and region."""

from urllib.parse import urlencode

from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content_types.base.listing import ChoiceFiltersMixin, Facet, FacetedListing, RegionFacetMixin

from .models import EventType


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
        # Events are one page type, typed by their ``event_type`` field (the base counts page types).
        facets = super().facets()
        counts = dict(self.filtered(exclude="type").values_list("event_type").annotate(n=Count("pk")).order_by())
        options = [
            self._option("type", value, label, counts[value]) for value, label in EventType.choices if counts.get(value)
        ]
        return [Facet("type", _("Type of event"), options), *self.facets_with_region(facets)]

    def cache_parts(self, params=None) -> tuple:
        # Which events are upcoming changes with the time: cached counts last a minute at most.
        return (*super().cache_parts(params), self.when, self.now.strftime("%Y-%m-%dT%H:%M"))

    def tab_counts(self) -> dict:
        """How many upcoming and past events match the other filters (one query)."""
        return self.filtered(exclude="when").aggregate(
            upcoming=Count("pk", filter=self.when_condition("upcoming")),
            past=Count("pk", filter=self.when_condition("past")),
        )

    def feed_query_string(self) -> str:
        """The applied filters alone (no page size or order), as codes, for the calendar feed's address."""
        return urlencode([(name, value) for name, value in self.link_params() if name not in ("per_page", "sort")])
