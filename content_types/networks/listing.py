"""The networks directory: faceted by kind (as the listing's type), scope, region and the vocabularies."""

from django import forms
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cms.page_fragments import CachedCard
from content_types.base.listing import ChoiceFiltersMixin, Facet, FacetedListing, RegionFacetMixin

from .models import MAX_MAP_MARKERS, MembershipStatus, NetworkKind, NetworkMembership, NetworkScope


class NetworkListing(ChoiceFiltersMixin, RegionFacetMixin, FacetedListing):
    """Networks by name (default) or by the year they were established."""

    def __init__(self, request, queryset, **kwargs):
        super().__init__(request, queryset, date_field="established", type_choices=dict(NetworkKind.choices), **kwargs)
        self.sort_choices = [
            ("title", _("Name (A–Z)")),
            ("newest", _("Most recently established")),
            ("oldest", _("Longest established")),
        ]
        sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=self.sort_choices)
        self.set_choice_field("sort", sort, default="title")
        scope = forms.ChoiceField(
            label=_("Scope"), required=False, choices=[("", _("Any scope")), *NetworkScope.choices]
        )
        self.set_choice_field("scope", scope)

    def _condition(self, name, value) -> Q:
        if name == "type":
            return Q(kind=value)
        if name == "scope":
            return Q(scope=value)
        return super()._condition(name, value)

    def ordered(self, queryset):
        sort = self.filters.get("sort") or "title"
        if sort == "newest":
            return queryset.order_by(F("established").desc(nulls_last=True), "title", "pk")
        if sort == "oldest":
            return queryset.order_by(F("established").asc(nulls_last=True), "title", "pk")
        return queryset.order_by("title", "pk")

    def _choice_facet(self, name, label, field, choices) -> Facet:
        counts = dict(self.filtered(exclude=name).values_list(field).annotate(n=Count("pk")).order_by())
        return Facet(
            name,
            label,
            [self._option(name, value, text, counts[value]) for value, text in choices if counts.get(value)],
        )

    def facets(self):
        # Networks are one page type, typed by their ``kind`` field (the base counts page types).
        facets = super().facets()
        return [
            self._choice_facet("type", _("Kind"), "kind", NetworkKind.choices),
            self._choice_facet("scope", _("Scope"), "scope", NetworkScope.choices),
            *self.facets_with_region(facets),
        ]

    def chips(self):
        labels = {"type": dict(NetworkKind.choices), "scope": dict(NetworkScope.choices)}
        chips = super().chips()
        for chip in chips:
            if chip["name"] in labels:
                chip["label"] = labels[chip["name"]].get(str(self.filters[chip["name"]]), chip["label"])
        return chips

    def page(self):
        """The page of networks, each with ``member_count`` (one more query, unless every card came
        from the cache: a membership is content, its change retires the cards)."""
        page = super().page()
        loaded = [network for network in page.object_list if not isinstance(network, CachedCard)]
        if not loaded:
            return page
        keys = [network.translation_key for network in loaded]
        counts = dict(
            NetworkMembership.objects.filter(status=MembershipStatus.ACTIVE, network__translation_key__in=keys)
            .values_list("network__translation_key")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for network in loaded:
            network.member_count = counts.get(network.translation_key, 0)
        return page

    def _located_members(self):
        from content_types.records.models import OrganisationPage

        networks = self.filtered().values("translation_key")
        return (
            OrganisationPage.objects.live()
            .public()
            .filter(
                network_memberships__status=MembershipStatus.ACTIVE,
                network_memberships__network__translation_key__in=networks,
                latitude__isnull=False,
                longitude__isnull=False,
            )
        )

    def member_organisation_ids(self, locale_id) -> list[int]:
        """The ids of the located organisations that are active members of the listed networks, by
        name, in the listing's language where translated (two queries of ids: the organisations
        themselves are read by whoever shows them, their markers being kept one by one)."""
        from content_types.records.models import OrganisationPage

        members = list(
            self._located_members()
            .order_by("title", "pk")
            .values_list("pk", "translation_key", "locale_id", "title")
            .distinct()[:MAX_MAP_MARKERS]
        )
        elsewhere = {key for _pk, key, locale, _title in members if locale != locale_id}
        translated = (
            dict(
                OrganisationPage.objects.live()
                .public()
                .filter(translation_key__in=elsewhere, locale_id=locale_id)
                .values_list("translation_key", "pk")
            )
            if elsewhere
            else {}
        )
        return [translated.get(key, pk) for pk, key, _locale, _title in members]

    def located_member_count(self, shown: int) -> int:
        """How many member organisations have a location, given that ``shown`` are on the map: a
        query only past the cap."""
        return self._located_members().distinct().count() if shown >= MAX_MAP_MARKERS else shown

    def map_caption(self, shown: int, located: int, results: int) -> str:
        """What the members map shows: ``shown`` of the ``located`` members of ``results`` networks."""
        values = {"shown": shown, "located": located, "results": results}
        if located > shown:
            return (
                ngettext(
                    "On the map: the first %(shown)s, by name, of the %(located)s member organisations that have "
                    "a location, from the networks found on every page of results (%(results)s network).",
                    "On the map: the first %(shown)s, by name, of the %(located)s member organisations that have "
                    "a location, from the networks found on every page of results (%(results)s networks).",
                    results,
                )
                % values
            )
        return (
            ngettext(
                "On the map: %(shown)s member organisation that has a location, from the networks found on "
                "every page of results (%(results)s).",
                "On the map: %(shown)s member organisations that have a location, from the networks found on "
                "every page of results (%(results)s).",
                shown,
            )
            % values
        )
