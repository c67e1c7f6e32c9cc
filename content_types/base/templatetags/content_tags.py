"""Tags for detail pages and listings: JSON-LD, Open Graph, maps."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..languages import text_language

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def jsonld(context, page):
    """``<script type="application/ld+json">`` for ``page.get_jsonld()``, safe to embed."""
    data = page.get_jsonld(context.get("request"))
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.inclusion_tag("content_base/opengraph.html", takes_context=True)
def opengraph(context, page):
    request = context.get("request")
    return {
        "title": page.seo_title or page.title,
        "description": page.get_og_description() if hasattr(page, "get_og_description") else page.search_description,
        "url": page.get_full_url(request),
        "type": getattr(page, "og_type", "website"),
        "locale": (text_language(page) or page.locale.language_code).replace("-", "_"),
    }


@register.inclusion_tag("content_base/map.html")
def map_of(markers, map_id="map", label="", caption="", url="", count=None):
    """A map of ``markers`` (dicts with lat, lon, title, url, label) drawn by the bundled Leaflet.

    ``caption`` says what the map shows (see ``content_types.base.maps``); without one it counts places.
    With ``url``, the markers are not in the page: the map fetches them from that address (GeoJSON),
    and ``count`` says how many there are.
    """
    markers = [marker for marker in markers or [] if marker]
    return {
        "markers": markers,
        "markers_url": url,
        "map_id": map_id,
        "markers_id": f"{map_id}-markers",
        "label": label,
        "caption": caption,
        "count": len(markers) if count is None else count,
    }
