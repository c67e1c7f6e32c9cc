"""Template context every page needs: the main navigation and the languages."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info
from wagtail.models import Site

from cms import content_version
from content_types.base.languages import prime_text_languages, text_language


def main_navigation(request):
    """The home page in the active language and its children shown in menus, as plain values kept
    in the shared cache per site and language until the content changes (see ``cms.content_version``)."""
    site = Site.find_for_request(request)
    if site is None:
        return {"home": None, "items": []}
    language = get_language() or settings.LANGUAGE_CODE
    # The items are the home page's children: a change to one of them retires everything (tags=()).
    return content_version.cached("navigation", (site.pk, language), lambda: _navigation(site), tags=())


def _navigation(site) -> dict:
    """Two queries, and one more to find the language of the items shown in another one (aliases)."""
    home = site.root_page.localized
    items = (
        home.get_children()
        .live()
        .public()
        .in_menu()
        .only("id", "title", "url_path", "path", "depth", "locale", "translation_key", "alias_of")
    )
    fields = ("pk", "url", "title", "path", "depth")
    return {
        "home": {"pk": home.pk, "url": home.url},
        "items": [
            {**{name: getattr(item, name) for name in fields}, "text_language": text_language(item)}
            for item in prime_text_languages(items)
        ],
    }


def portal_texts(request):
    """The portal's name, tagline and address in the active language, cached per site and language."""
    from .models import PortalSettings

    site = Site.find_for_request(request)
    if site is None:
        return None
    language = get_language() or settings.LANGUAGE_CODE
    # Read through the request, as the footer's settings are: one query when both are made afresh.
    return content_version.cached(
        "portal-texts", (site.pk, language), lambda: PortalSettings.for_request(request).texts_in(language), tags=()
    )


def portal(request):
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "navigation": SimpleLazyObject(lambda: main_navigation(request)),
        "portal_texts": SimpleLazyObject(lambda: portal_texts(request)),
        "current_language_bidi": get_language_info(language)["bidi"],
    }
