from django import template
from wagtail.models import Locale, Site

from content_types.base.languages import prime_text_languages
from content_types.records.models import RecordPage

from ..models import CentralPortalFeed, HarvestedRecord

register = template.Library()


def latest_harvested(source, count: int, locale: Locale) -> list[RecordPage]:
    """The source's latest harvested records, as visitors of ``locale`` read them (translation or alias)."""
    keys = HarvestedRecord.objects.filter(source=source).values("page__translation_key")
    pages = (
        RecordPage.objects.live()
        .public()
        .filter(locale=locale, translation_key__in=keys)
        .select_related("locale")
        .order_by("-harvested_at", "-pk")[:count]
    )
    return prime_text_languages(list(pages))


@register.inclusion_tag("harvest/latest_from_central_portal.html", takes_context=True)
def latest_from_central_portal(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    feed = CentralPortalFeed.for_site(site) if site else None
    if feed is None or feed.source_id is None:
        return {"records": [], "source": None}
    return {"records": latest_harvested(feed.source, feed.count, Locale.get_active()), "source": feed.source}
