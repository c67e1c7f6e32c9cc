"""Tags for the site frame: the language switcher."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page

register = template.Library()


@register.inclusion_tag("site_settings/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the current page in each language: its translation or alias when it is a Wagtail
    page, the same view under the other language prefix otherwise."""
    request = context["request"]
    page = context.get("page")
    current = get_language()
    translations = {}
    if isinstance(page, Page) and page.pk:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation.get_url(request)
    languages = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code) or translate_url(request.get_full_path(), code)
        languages.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": code == current,
                "bidi": get_language_info(code)["bidi"],
            }
        )
    return {"languages": languages, "current": current}
