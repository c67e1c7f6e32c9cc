"""Template context every page needs: the main navigation and the languages."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info
from wagtail.models import Site


def main_navigation(request):
    """The home page in the active language and its children shown in menus (two queries)."""
    site = Site.find_for_request(request)
    if site is None:
        return {"home": None, "items": []}
    home = site.root_page.localized
    items = home.get_children().live().public().in_menu().only("id", "title", "url_path", "path", "depth", "locale")
    return {"home": home, "items": list(items)}


def portal(request):
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "navigation": SimpleLazyObject(lambda: main_navigation(request)),
        "current_language_bidi": get_language_info(language)["bidi"],
    }
