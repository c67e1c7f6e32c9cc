"""A sitemap of every language: each page with ``hreflang`` alternates for its translations and aliases.

The site's root page is one language's home; its translations are the roots of the other languages'
trees, so the sitemap walks all of them. ``x-default`` points at the English version.

It is built from a few rows per page (no page objects): the pages' addresses come from their
``url_path`` and the address of their language's root, as Wagtail's own ``get_url_parts`` builds
them, so that the number of queries does not grow with the number of pages. The body is kept in the
shared cache until the content changes (``cms/content_version.py``).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from django.db.models import CharField, FloatField, Func, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.timezone import get_current_timezone
from wagtail.models import Page, Site

from cms import content_version

X_DEFAULT_LANGUAGE = "en"
PLAIN_PATH = re.compile(r"[A-Za-z0-9_.~/-]*")  # what quote() leaves as it is, whatever its safe characters
UNSAFE_XML = re.compile(r"[&<>\"'\n\r\t]")  # what escaping text or quoting an attribute would change
LIMIT = 10000  # addresses per sitemap page (the sitemaps protocol allows 50,000)


@dataclass(frozen=True)
class SitemapPage:
    """One page of the sitemap: its XML and the newest change it shows (None when unknown)."""

    body: str
    last_modified: datetime | None


class InvalidSitemapPage(ValueError):
    """The ``p`` asked for is not a number or lies past the last page."""


class RootAddresses:
    """The address of each language's root of ``site``, from Wagtail's cached site root paths: a page's
    address is its root's followed by the rest of its ``url_path``."""

    def __init__(self, site: Site, request):
        roots = Site.get_site_root_paths()
        # Wagtail serves a page from the request's site when more than one site could.
        self.roots = [root for root in roots if root.site_id == site.pk] + [
            root for root in roots if root.site_id != site.pk
        ]
        self.prefixes: dict = {}

    def _prefix(self, root) -> str:
        key = (root.site_id, root.root_path, root.language_code)
        if key not in self.prefixes:
            with translation.override(root.language_code):
                self.prefixes[key] = root.root_url + reverse("wagtail_serve", args=("",))
        return self.prefixes[key]

    def __call__(self, url_path: str) -> str | None:
        for root in self.roots:
            if url_path.startswith(root.root_path):
                suffix = url_path[len(root.root_path) :]
                if not PLAIN_PATH.fullmatch(suffix):  # slugs are nearly always plain: quote only the others
                    suffix = quote(suffix, safe=RFC3986_SUBDELIMS + "/~:@")
                return self._prefix(root) + suffix
        return None


def _site(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        site = Site.objects.select_related("root_page").get(is_default_site=True)
    return site


class Epoch(Func):
    """A timestamp as seconds since 1970 (a float read without parsing a date: thousands per sitemap)."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::float8")

    def as_sqlite(self, compiler, connection, **extra_context):
        # Days since 1970 (Julian day 2440587.5) in seconds; no "%" that the driver would take for a parameter.
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)")


class IsoDay(Func):
    """A date as ``YYYY-MM-DD`` text, whatever the database's date style."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')")

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="%(expressions)s")  # SQLite's dates are that text


def sitemap_rows(site: Site) -> list[tuple]:
    """(url_path, language, translation key, day of the last change as ``YYYY-MM-DD`` in the site's time
    zone, its time in seconds since 1970) of every live public page of every language's tree of
    ``site``, in tree order: two queries (and one for the view restrictions). The day and the time come
    as a string and a number: parsing a timestamp per page was a fifth of a sitemap's build."""
    root = site.root_page
    roots = Page.objects.filter(translation_key=root.translation_key).values_list("path", flat=True)
    within = Q()
    for path in roots:
        within |= Q(path__startswith=path)
    rows = (
        Page.objects.live()
        .public()
        .filter(within)
        .order_by("path")
        .annotate(
            day=IsoDay(TruncDate("last_published_at", tzinfo=get_current_timezone())),
            epoch=Epoch("last_published_at"),
        )
        .values_list("url_path", "locale__language_code", "translation_key", "day", "epoch")
    )
    return list(rows)


def build_sitemap(request, page_number) -> SitemapPage:
    """The XML of page ``page_number`` (1 when None) of the sitemap; raises InvalidSitemapPage."""
    try:
        number = int(page_number or 1)
    except (TypeError, ValueError):
        raise InvalidSitemapPage(page_number) from None
    site = _site(request)
    parts = (site.pk, request.scheme, request.get_host(), number)
    built = content_version.cached("sitemap", parts, lambda: _build(request, site, number))
    if built is None:
        raise InvalidSitemapPage(number)
    return built


def _build(request, site: Site, number: int) -> SitemapPage | None:
    addresses = RootAddresses(site, request)
    rows = [
        (location, language, translation_key, day, epoch)
        for url_path, language, translation_key, day, epoch in sitemap_rows(site)
        if (location := addresses(url_path))
    ]
    if number < 1 or (number > 1 and (number - 1) * LIMIT >= len(rows)):
        return None
    versions: dict = {}
    for location, language, translation_key, _day, _epoch in sorted(rows, key=lambda row: row[1]):
        versions.setdefault(translation_key, []).append((language, location))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    epochs, links = set(), {}
    for location, _language, translation_key, day, epoch in rows[(number - 1) * LIMIT : number * LIMIT]:
        lines.append(f"<url><loc>{_text(location)}</loc>")
        if day:
            lines.append(f"<lastmod>{day}</lastmod>")
        if translation_key not in links:  # the same alternates for every language of a page
            links[translation_key] = _alternate_links(versions.get(translation_key, []))
        if links[translation_key]:
            lines.append(links[translation_key])
        lines.append("</url>")
        epochs.add(epoch)
    lines.append("</urlset>\n")
    latest = None
    if epochs and None not in epochs:
        latest = datetime.fromtimestamp(max(epochs), tz=UTC)
    return SitemapPage("\n".join(lines), latest)


def _text(value: str) -> str:
    """``value`` as XML text: addresses seldom hold a character to escape, so most are kept as they are."""
    return escape(value) if UNSAFE_XML.search(value) else value


def _attribute(value: str) -> str:
    return f'"{value}"' if not UNSAFE_XML.search(value) else quoteattr(value)


def _alternate_links(alternates: list[tuple[str, str]]) -> str:
    default = next((url for code, url in alternates if code == X_DEFAULT_LANGUAGE), None)
    if default:
        alternates = [*alternates, ("x-default", default)]
    return "\n".join(
        f'<xhtml:link rel="alternate" hreflang={_attribute(code)} href={_attribute(url)}/>' for code, url in alternates
    )
