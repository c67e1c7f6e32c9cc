"""Tags for the site frame: the language switcher, and parts of the frame kept in the cache."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page

from cms import content_version

register = template.Library()


class FrameFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        parts = (get_language(), *(str(value.resolve(context)) for value in self.vary_on))
        rendered = content_version.cached(f"frame:{self.name}", parts, lambda: str(self.nodelist.render(context)))
        return mark_safe(rendered)  # noqa: S308 - rendered (and escaped) by the template itself


@register.tag
def frame_fragment(parser, token):
    """``{% frame_fragment "footer" [vary_on…] %}…{% endframe_fragment %}``: a part of the site frame
    that is the same for every visitor, rendered once per language (and ``vary_on`` values) and kept
    in the shared cache until the content changes (``cms.content_version``). Never put anything
    personal (the user, a CSRF token, messages) inside."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("frame_fragment needs a name")
    nodelist = parser.parse(("endframe_fragment",))
    parser.delete_first_token()
    return FrameFragmentNode(nodelist, bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]])


class PageFragmentNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        fragments = context.get("page_fragments")
        if fragments is None:
            return self.nodelist.render(context)
        html = fragments.get(self.name)
        if html is None:
            html = str(self.nodelist.render(context))
            fragments.store(self.name, html)
        return mark_safe(html)  # noqa: S308 - rendered (and escaped) by the template itself


@register.tag
def page_fragment(parser, token):
    """``{% page_fragment "content" %}…{% endpage_fragment %}``: a part of a page's own content,
    the same for every visitor, kept rendered until the content changes (``cms.page_fragments``;
    the page type lists the name in ``cached_fragments``). Never put anything personal inside."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("page_fragment needs a name, and only a name")
    nodelist = parser.parse(("endpage_fragment",))
    parser.delete_first_token()
    return PageFragmentNode(nodelist, bits[1].strip("\"'"))


def _page_translation_urls(page, request) -> dict[str, str]:
    return {
        translation.locale.language_code: translation.get_url(request)
        for translation in page.get_translations(inclusive=True).live().select_related("locale")
    }


@register.inclusion_tag("site_settings/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the current page in each language: its translation or alias when it is a Wagtail
    page, the same view under the other language prefix otherwise."""
    request = context["request"]
    page = context.get("page")
    current = get_language()
    translations = {}
    if isinstance(page, Page) and page.pk:
        translations = content_version.cached(
            "page-translations", (page.pk, request.get_host()), lambda: _page_translation_urls(page, request)
        )
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
