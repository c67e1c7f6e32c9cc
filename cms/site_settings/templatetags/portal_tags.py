"""Tags for the site frame: the language switcher, and parts of the frame kept in the cache."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page

from cms import content_version, page_fragments
from cms.frontend_purge import translation_tag
from content_types.base.languages import locale_code

register = template.Library()


class FrameFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list, tags=None):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        self.tags = tags

    def render(self, context):
        parts = (get_language(), *(str(value.resolve(context)) for value in self.vary_on))
        tags = None if self.tags is None else tuple(self.tags.resolve(context) or ())
        rendered = content_version.cached(
            f"frame:{self.name}", parts, lambda: str(self.nodelist.render(context)), tags=tags
        )
        return mark_safe(rendered)  # noqa: S308 - rendered (and escaped) by the template itself


@register.tag
def frame_fragment(parser, token):
    """``{% frame_fragment "footer" [vary_on…] [tags=…] %}…{% endframe_fragment %}``: a part of the
    site frame that is the same for every visitor, rendered once per language (and ``vary_on``
    values) and kept in the shared cache until the content changes (``cms.content_version``) — any
    change, or with ``tags`` (a list; ``""`` for none) only a change to what they name and to the
    base. Never put anything personal (the user, a CSRF token, messages) inside."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("frame_fragment needs a name")
    tags = None
    if bits[-1].startswith("tags="):
        tags = parser.compile_filter(bits.pop()[len("tags=") :])
    nodelist = parser.parse(("endframe_fragment",))
    parser.delete_first_token()
    vary_on = [parser.compile_filter(bit) for bit in bits[2:]]
    return FrameFragmentNode(nodelist, bits[1].strip("\"'"), vary_on, tags)


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
    # Only what an address is made of, from Wagtail's own table (no page type of ours makes its addresses
    # otherwise): a page type's joined tables and hundred columns cost more to read than the query.
    translations = (
        Page.objects.filter(translation_key=page.translation_key, live=True)
        .order_by()  # in no order: compiling Wagtail's ordering by path costs more than the query
        .values_list("url_path", "locale_id")
    )
    urls = {}
    for url_path, locale_id in translations:
        url = _page_url(url_path, request)
        if url is not None:
            urls[locale_code(locale_id)] = url
    return urls


# A page's address follows from its ``url_path`` alone (the site root paths, the current site and
# language aside): kept per process for the base version, which a new site, a moved page or a new slug
# replaces, so that an edit to a page (which retires its switcher) does not make every address again.
_page_urls = {"version": None, "urls": {}}
PAGE_URLS_KEPT = 20_000


def _page_url(url_path: str, request) -> str | None:
    version = content_version.versions()
    if version is None:
        return Page(url_path=url_path).get_url(request)
    urls = _page_urls["urls"]
    if _page_urls["version"] != version or len(urls) >= PAGE_URLS_KEPT:
        urls = _page_urls["urls"] = {}
        _page_urls["version"] = version
    key = (request.get_host(), get_language(), url_path)
    if key not in urls:
        urls[key] = Page(url_path=url_path).get_url(request)
    return urls[key]


@register.simple_tag(takes_context=True)
def language_switcher(context):
    """Links to the current page in each language: its translation or alias when it is a Wagtail
    page, the same view under the other language prefix otherwise.

    For a page that exists in every language the links do not depend on the address asked (its query
    string): they are kept rendered with the page's translations, until one of them changes."""
    request = context["request"]
    page = context.get("page")
    if not (isinstance(page, Page) and page.pk):
        return _render_switcher(context, request, {})
    tags = (translation_tag(page.translation_key),)
    parts = (page.pk, request.get_host(), get_language())
    kept = content_version.cached("language-switcher", parts, lambda: _page_switcher(context, request, page), tags=tags)
    html = kept["html"] if kept["complete"] else _render_switcher(context, request, kept["translations"])
    return mark_safe(html)  # noqa: S308 - rendered (and escaped) by the switcher's template


def _page_switcher(context, request, page) -> dict:
    translations = _page_translation_urls(page, request)
    complete = all(code in translations for code, _name in settings.LANGUAGES)
    html = _render_switcher(context, request, translations) if complete else None
    return {"complete": complete, "html": html, "translations": translations}


def _render_switcher(context, request, translations: dict) -> str:
    current = get_language()
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
    switcher = context.template.engine.get_template("site_settings/language_switcher.html")
    return switcher.render(
        template.Context({"languages": languages, "current": current}, autoescape=context.autoescape)
    )


@register.filter
def menu_position(page) -> str:
    """What the main menu's marks depend on for ``page`` (base.html): its section (the first three steps
    of its path) and its depth, and its id when it may be the home page or one of the menu's items (a
    section); a page below the sections is marked by its section alone."""
    path, depth, pk = getattr(page, "path", ""), getattr(page, "depth", None), getattr(page, "pk", None)
    section = str(path)[:12] if path else ""
    if isinstance(depth, int) and depth > content_version.SECTION_DEPTH:
        return f"{section}|{depth}"
    return f"{section}|{depth}|{pk}"


@register.simple_tag(takes_context=True)
def cached_cards(context, items, template_name: str, name: str):
    """The cards of a listing, ``template_name`` rendered with each item as ``name``, each kept in
    the cache per page, language and host until the content changes (``cms.content_version``): one
    cache read for the whole page of results, one write for the cards that were missing. A card is
    the same for every visitor: never anything personal in one. Items the listing already found in
    the cache (``page_fragments.CachedCard``) are output as they are."""
    items = list(items)
    request = context.get("request")
    to_read = [item.pk for item in items if not isinstance(item, page_fragments.CachedCard)]
    keys = page_fragments.card_keys(request, template_name, to_read)
    found = page_fragments.read_cards(list(keys.values()))
    card_template = context.template.engine.get_template(template_name)
    rendered, missing = [], {}
    for item in items:
        if isinstance(item, page_fragments.CachedCard):
            rendered.append(item.card_html)
            continue
        key = keys.get(item.pk)
        html = found.get(key) if key else None
        if html is None:
            with context.push({name: item}):
                html = str(card_template.render(context))
            if key:
                missing[key] = html
        rendered.append(html)
    if missing:
        _cache_write_many(missing)
    return mark_safe("".join(rendered))  # noqa: S308 - rendered (and escaped) by the card's template


def _cache_write_many(values: dict) -> None:
    if content_version.writable():
        content_version.keep_shared(values)
