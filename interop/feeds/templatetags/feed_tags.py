"""``<link rel="alternate">`` elements that advertise a section's feeds (with a listing's filters)."""

from django import template
from django.template.loader import render_to_string
from wagtail.models import Page

from ..routes import SectionFeedsMixin, listing_feed_query

register = template.Library()


def feed_links_of(page, query: str = "") -> list[dict]:
    links = [
        {"type": "application/rss+xml", "href": page.feed_url("rss", query), "format": "RSS", "section": page.title},
        {"type": "application/atom+xml", "href": page.feed_url("atom", query), "format": "Atom", "section": page.title},
    ]
    if hasattr(page, "calendar_url"):
        href = page.calendar_url() + (f"?{query}" if query else "")
        links.append({"type": "text/calendar", "href": href, "format": "iCalendar", "section": page.title})
    return links


@register.simple_tag
def feed_links(page, listing=None):
    """The feeds of ``page`` (a section's index page) for the listing's current filters."""
    if not isinstance(page, SectionFeedsMixin):
        return ""
    return render_to_string("feeds/feed_links.html", {"links": feed_links_of(page, listing_feed_query(listing))})


@register.simple_tag
def section_feed_links(home):
    """The feeds of every section below ``home`` (one query per section type present)."""
    links = []
    for page in Page.objects.child_of(home).live().public().specific().order_by("path"):
        if isinstance(page, SectionFeedsMixin):
            links.extend(feed_links_of(page))
    return render_to_string("feeds/feed_links.html", {"links": links})
