"""Export routes of a section's index page: ``export/csv/``, ``export/xlsx/`` and ``export/json/``.

They export what the listing shows for the same query string (filters and order), through the
section's own listing code (``feed_listing`` / ``feed_queryset`` of the feeds mixin).
"""

from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from content_types.base.codes import legacy_redirect
from interop.feeds.routes import listing_feed_query

from .export import FORMATS, export_response


class ListingExportMixin(RoutablePageMixin):
    def export_queryset(self, request):
        listing = self.feed_listing(request)
        if listing is not None:
            return listing.ordered(listing.filtered())
        return self.feed_queryset(request, None).order_by(*self.feed_order)

    def export_urls(self, listing=None) -> list[tuple[str, str]]:
        query = listing_feed_query(listing)
        urls = []
        for name in FORMATS:
            url = self.url + self.reverse_subpage("export", kwargs={"export_format": name}).lstrip("/")
            urls.append((name.upper(), f"{url}?{query}" if query else url))
        return urls

    @path("export/<str:export_format>/", name="export")
    def export(self, request, export_format):
        if export_format not in FORMATS:
            raise Http404
        redirect = legacy_redirect(request, getattr(self, "type_aliases", None))
        if redirect:
            return redirect
        tags = [f"listing-{self._meta.app_label}"]
        return export_response(request, self.export_queryset(request), export_format, self.slug, tags)
