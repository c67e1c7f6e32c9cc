"""Feed routes for a section's index page: ``feed/rss/`` and ``feed/atom/`` below its address.

Wagtail routes every language-prefixed path to a page, so the feeds are routes of the index page
(as the events calendar is), in the index page's language, with the listing's filters applied.
"""

from urllib.parse import urlencode

from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from content_types.base.codes import legacy_redirect

FEED_PARAMS_LEFT_OUT = ("per_page", "sort", "page")


def listing_feed_query(listing) -> str:
    """A listing's applied filters alone, as codes (no page, page size or order)."""
    if listing is None:
        return ""
    return urlencode([(name, value) for name, value in listing.link_params() if name not in FEED_PARAMS_LEFT_OUT])


class SectionFeedsMixin(RoutablePageMixin):
    """RSS and Atom feeds of the pages an index page lists.

    A section says which pages with ``feed_queryset(request, listing)`` and which filters apply with
    ``feed_listing(request)`` (None when it has none)."""

    feed_order = ("-first_published_at", "-pk")

    def feed_listing(self, request):
        return None

    def feed_queryset(self, request, listing):
        raise NotImplementedError

    def feed_source(self, request):
        from .feeds import FEED_LIMIT, FeedSource

        listing = self.feed_listing(request)
        pages = self.feed_queryset(request, listing).order_by(*self.feed_order).specific()[:FEED_LIMIT]
        labels = [chip["label"] for chip in listing.chips()] if listing is not None else []
        return FeedSource(self, list(pages), labels, listing_feed_query(listing))

    def feed_url(self, feed_format: str, query: str = "") -> str:
        url = self.url + self.reverse_subpage(f"feed_{feed_format}").lstrip("/")
        return f"{url}?{query}" if query else url

    def _serve_feed(self, request, feed_format):
        from .feeds import SectionFeed

        redirect = legacy_redirect(request, getattr(self, "type_aliases", None))
        if redirect:
            return redirect
        return SectionFeed(request, feed_format)(request, self.feed_source(request))

    @path("feed/rss/", name="feed_rss")
    def feed_rss(self, request):
        return self._serve_feed(request, "rss")

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request):
        return self._serve_feed(request, "atom")
