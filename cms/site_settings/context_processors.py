"""Template context every page needs: the main navigation and the languages."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info
from wagtail.models import Site

from content_types.base.languages import prime_text_languages


def main_navigation(request):
    """The home page in the active language and its children shown in menus (two queries, and one
    more to find the language of those shown in another one, when some are aliases)."""
    site = Site.find_for_request(request)
    if site is None:
        return {"home": None, "items": []}
    home = site.root_page.localized
    items = (
        home.get_children()
        .live()
        .public()
        .in_menu()
        .only("id", "title", "url_path", "path", "depth", "locale", "translation_key", "alias_of")
    )
    return {"home": home, "items": prime_text_languages(items)}


def portal(request):
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "navigation": SimpleLazyObject(lambda: main_navigation(request)),
        "current_language_bidi": get_language_info(language)["bidi"],
    }
