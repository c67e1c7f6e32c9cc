from django import template
from django.template.loader import render_to_string

from ..routes import ListingExportMixin

register = template.Library()


@register.simple_tag
def export_links(page, listing=None):
    """ "Download: CSV · XLSX · JSON" for the listing's current filters."""
    if not isinstance(page, ListingExportMixin):
        return ""
    return render_to_string("transfer/export_links.html", {"links": page.export_urls(listing)})
