"""The Records section: a faceted listing of every record type, with a map of those located."""

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms import content_version, page_fragments
from content_types.base.codes import legacy_redirect, page_type_code
from content_types.base.languages import prime_text_languages
from content_types.base.maps import MapScope, map_caption, markers_response
from content_types.base.models import AccessControlledPage
from interop.feeds.routes import SectionFeedsMixin
from interop.transfer.routes import ListingExportMixin

from ..listing import RecordListing
from .base import RecordPage

MAX_MAP_MARKERS = 500
#: The card of a record in the listing (``record_index_page.html`` shows it with ``{% cached_cards %}``).
RECORD_CARD_TEMPLATE = "records/includes/record_card.html"


def record_types() -> list[type[RecordPage]]:
    """The concrete, creatable record types, in the order editors see them."""
    from . import (
        DecisionPage,
        DocumentRecordPage,
        ExpertProfilePage,
        GoodPracticePage,
        NationalReportPage,
        NeedPage,
        OfferPage,
        OrganisationPage,
        ProjectPage,
    )

    return [
        NationalReportPage,
        DecisionPage,
        DocumentRecordPage,
        OrganisationPage,
        ProjectPage,
        GoodPracticePage,
        NeedPage,
        OfferPage,
        ExpertProfilePage,
    ]


# What a record's map marker is made of: its place, its title and the language it is in, its address.
MARKER_FIELDS = (
    "id",
    "title",
    "url_path",
    "latitude",
    "longitude",
    "locale__language_code",
    "depth",
    "path",
    "translation_key",
    "alias_of",
)


class RecordIndexPage(ListingExportMixin, SectionFeedsMixin, AccessControlledPage, Page):
    """The Records section: filters by type, country, region, GBF target, subject, year, language."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "records.NationalReportPage",
        "records.DecisionPage",
        "records.DocumentRecordPage",
        "records.OrganisationPage",
        "records.ProjectPage",
        "records.GoodPracticePage",
        "records.NeedPage",
        "records.OfferPage",
        "records.ExpertProfilePage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("records index")

    @cached_property
    def record_type_codes(self) -> dict[str, tuple[type[RecordPage], int]]:
        """Type code (``need``) → (model, content-type id); content types are cached by Django."""
        models = record_types()
        content_types = ContentType.objects.get_for_models(*models)
        return {page_type_code(model): (model, content_types[model].pk) for model in models}

    @property
    def type_choices(self) -> dict[str, str]:
        return {code: model._meta.verbose_name.capitalize() for code, (model, _id) in self.record_type_codes.items()}

    @property
    def type_aliases(self) -> dict[str, str]:
        """What older addresses wrote for a type (its content-type id or model label) → its code."""
        aliases = {}
        for code, (model, content_type_id) in self.record_type_codes.items():
            aliases[str(content_type_id)] = code
            aliases[model._meta.label_lower] = code
        return aliases

    def records(self):
        """Live, public records of this section in this index's language tree."""
        return RecordPage.objects.live().public().descendant_of(self)

    def listing(self, request) -> RecordListing:
        return RecordListing(
            request,
            self.records(),
            date_field="publication_date",
            type_choices=self.type_choices,
            type_content_types={code: pk for code, (_model, pk) in self.record_type_codes.items()},
            card_template=RECORD_CARD_TEMPLATE,
        )

    def feed_listing(self, request) -> RecordListing:
        return self.listing(request)

    def feed_queryset(self, request, listing):
        return listing.filtered()

    @staticmethod
    def located(listing):
        """(type, its filtered records that have coordinates) for each record type with a location."""
        from . import OrganisationPage, ProjectPage

        ids = listing.filtered().values("pk")
        for model in (OrganisationPage, ProjectPage):
            yield model, model.objects.filter(pk__in=ids, latitude__isnull=False, longitude__isnull=False)

    def map_markers(self, listing, request) -> tuple[list[dict], int]:
        """Markers for the filtered records that have coordinates (their ids, one query per located
        type, each record's marker kept in the cache with its own version: after an edit to one record
        only its marker is made again), and how many records have coordinates (one more query per type
        only when markers were capped)."""

        markers, located_total = [], 0
        for model, located_pages in self.located(listing):
            ids = list(located_pages.order_by("title", "pk").values_list("pk", flat=True)[:MAX_MAP_MARKERS])
            located_total += located_pages.count() if len(ids) == MAX_MAP_MARKERS else len(ids)
            label = str(model._meta.verbose_name).capitalize()

            def compute(missing, model=model, label=label) -> dict:
                pages = model.objects.filter(pk__in=missing).select_related("locale").only(*MARKER_FIELDS)
                return {
                    page.pk: page.map_marker(url=page.get_url(request), label=label)
                    for page in prime_text_languages(list(pages))
                }

            found = page_fragments.values_per_page(request, "records-marker", ids, compute)
            markers.extend(found[pk] for pk in ids if pk in found)
        return markers, located_total

    @staticmethod
    def map_filters(listing) -> tuple[tuple[str, str], ...]:
        """The applied filters, which alone decide the markers (not the order, page or page size)."""
        return tuple((name, value) for name, value in listing.link_params() if name not in ("sort", "per_page"))

    def map_data(self, listing, request) -> dict:
        """The markers of the filtered records and how many have a location, kept in the shared cache
        until the content changes: a page only needs their number, the map fetches them."""
        parts = (self.pk, get_language(), self.map_filters(listing))

        def compute():
            markers, located = self.map_markers(listing, request)
            return {"markers": markers, "located": located}

        return content_version.cached("records-map", parts, compute, tags=listing.cache_tags)

    def map_counts(self, listing) -> dict:
        """How many markers the map of the filtered records shows and how many records have a location
        (what the page says of the map, which fetches its markers itself): counted, one query per
        located type, and kept until the records' classification may have changed (their locations
        are classifying fields: ``cms.content_version.note_facet_fields``). A new title or text, which
        changes the markers, keeps these: a listing's first render after an edit built every marker
        of its language only to count them."""

        def compute():
            shown = located = 0
            for _model, located_pages in self.located(listing):
                count = located_pages.count()
                shown += min(count, MAX_MAP_MARKERS)
                located += count
            return {"shown": shown, "located": located}

        parts = (self.pk, self.map_filters(listing))
        return content_version.cached("records-map-counts", parts, compute, tags=listing.facet_cache_tags)

    def markers_url(self, listing) -> str:
        query = urlencode(self.map_filters(listing))
        return self.url + self.reverse_subpage("markers").lstrip("/") + (f"?{query}" if query else "")

    @path("markers/", name="markers")
    def markers(self, request):
        """The map's markers for the filters in the query string, as GeoJSON (``serve`` has already
        sent older addresses to the one in codes)."""
        listing = self.listing(request)
        parts = (self.pk, get_language(), self.map_filters(listing))
        etag = content_version.etag("records-map", parts, tags=listing.cache_tags)
        return markers_response(self.map_data(listing, request)["markers"], etag)

    def serve(self, request, *args, **kwargs):
        return legacy_redirect(request, self.type_aliases) or super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listing = self.listing(request)
        context.update(listing.context())
        counts = self.map_counts(listing)
        context["markers_count"] = counts["shown"]
        context["markers_url"] = self.markers_url(listing)
        context["map_caption"] = map_caption(
            shown=counts["shown"], located=counts["located"], results=context["total"], scope=MapScope.ALL_RESULTS
        )
        return context
