"""RSS 2.0 and Atom feeds of a section's pages, with the listing's filters applied.

Each entry says the language of its text: an alias shows its original's text, so it is marked with
the original's language (``dc:language`` in RSS, ``xml:lang`` on the Atom entry).
"""

from dataclasses import dataclass, field

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext

from cms.caching import add_cache_tags
from cms.frontend_purge import FEEDS
from content_types.base.languages import page_text_language, prime_text_languages

FEED_LIMIT = 50  # the newest entries a feed carries
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class RssWithLanguages(Rss201rev2Feed):
    """RSS 2.0 whose items carry the language of their text (Dublin Core)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("text_language"):
            handler.addQuickElement("dc:language", item["text_language"])


class AtomWithLanguages(Atom1Feed):
    """Atom whose entries carry the language of their text (``xml:lang``)."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("text_language"):
            attributes["xml:lang"] = item["text_language"]
        return attributes


FORMATS = {"rss": RssWithLanguages, "atom": AtomWithLanguages}


@dataclass
class FeedSource:
    """What one feed shows: a section's index page, its filtered pages and the filters' labels."""

    index: object
    pages: list
    filter_labels: list[str] = field(default_factory=list)
    query: str = ""


class SectionFeed(Feed):
    """A section's feed; one instance per request (it keeps the request to build absolute links)."""

    def __init__(self, request, feed_format: str):
        from interop.api.selectors import PageAddresses

        self.request = request
        self.feed_type = FORMATS[feed_format]
        self.address = PageAddresses(request)  # one reverse per language, not per entry

    def __call__(self, request, source: FeedSource):
        add_cache_tags(request, FEEDS)
        return super().__call__(request, source=source)

    def get_object(self, request, source):
        prime_text_languages(source.pages)
        self.language = source.index.locale.language_code
        return source

    def title(self, source):
        if source.filter_labels:
            return gettext("%(section)s: %(filters)s") % {
                "section": source.index.title,
                "filters": ", ".join(str(label) for label in source.filter_labels),
            }
        return source.index.title

    def link(self, source):
        url = source.index.get_full_url(self.request)
        return f"{url}?{source.query}" if source.query else url

    def feed_url(self, source):
        return self.request.build_absolute_uri()

    def description(self, source):
        return gettext("The newest pages of %(section)s.") % {"section": source.index.title}

    def items(self, source):
        return source.pages

    def item_title(self, page):
        return page.title

    def item_description(self, page):
        return getattr(page, "summary", "") or page.search_description

    def item_link(self, page):
        return self.address(page)

    def item_guid(self, page):
        return self.address(page)

    def item_pubdate(self, page):
        return page.first_published_at

    def item_updateddate(self, page):
        return page.last_published_at or page.first_published_at

    def item_categories(self, page):
        return [str(page._meta.verbose_name.capitalize())]

    def item_extra_kwargs(self, page):
        return {"text_language": page_text_language(page)}
