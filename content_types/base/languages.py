"""The language of the text an object shows, and how text in another language than the page's is
marked (WCAG 3.1.2, Language of Parts).

A page's text is in its locale's language, except an alias's (its source's, until it is translated)
and, in a page translated with wagtail-localize, the fields it left untranslated (published with the
source's text). Vocabulary names and portal texts fall back to English or the default language.
Templates mark such text with ``lang`` and ``dir`` through ``language_tags``; text in the page's own
language is left unmarked, and language-neutral codes are isolated with ``<bdi>``.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop, override
from wagtail.models import Locale, Page

# ISO 639's code for "no linguistic content": identifiers, codes and numbers read the same in every
# language; they are isolated (<bdi>) rather than given a language.
NEUTRAL = "zxx"

# Translatable fields that no visitor reads as text (a page's address keeps its source slug).
PATHS_NOT_SHOWN = ("slug",)

logger = logging.getLogger(__name__)
_locale_codes: dict[int, str] = {}
# The locales that wagtail-localize translates into (shared by the processes through the cache).
TRANSLATED_LOCALES_CACHE_KEY = "chm:languages:translated-locales"
TRANSLATED_LOCALES_CACHE_SECONDS = 3600


def forget_locale_codes(**kwargs) -> None:
    """Signal receiver: a locale was added, changed or removed."""
    _locale_codes.clear()


def forget_translated_locales(**kwargs) -> None:
    """Signal receiver: a wagtail-localize translation was added, changed or removed. Forgotten now
    and again after the commit, so that no process keeps what it read before the commit."""
    _forget_translated_locales()
    transaction.on_commit(_forget_translated_locales)


def _forget_translated_locales() -> None:
    try:
        cache.delete(TRANSLATED_LOCALES_CACHE_KEY)
    except Exception:  # noqa: BLE001 - a cache that is down must not fail a save; the timeout ends it
        logger.warning("Could not clear the cached list of translated locales", exc_info=True)


def translated_locales() -> set[int]:
    """The locales some wagtail-localize translation targets: only their pages can have fields left
    untranslated, so that the pages of a portal that does not use it cost no query to check. Kept
    in the shared cache; read from the database when the cache is down."""
    from wagtail_localize.models import Translation

    try:
        locales = cache.get(TRANSLATED_LOCALES_CACHE_KEY)
    except Exception:  # noqa: BLE001 - a cache that is down degrades to one query, never to an error
        locales = None
    if locales is None:
        locales = set(Translation.objects.values_list("target_locale_id", flat=True).distinct())
        try:
            cache.set(TRANSLATED_LOCALES_CACHE_KEY, locales, TRANSLATED_LOCALES_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("Could not cache the list of translated locales", exc_info=True)
    return locales


def locale_code(locale_id: int | None) -> str | None:
    """The language code of a locale id; locales are few and rarely change, so they are read once."""
    if locale_id is None:
        return None
    if locale_id not in _locale_codes:
        _locale_codes.update(Locale.objects.values_list("pk", "language_code"))
    return _locale_codes.get(locale_id)


def base_language(code: str | None) -> str:
    """``zh-hans`` → ``zh``: languages are compared without their script or region."""
    return (code or "").split("-")[0].lower()


def same_language(first: str | None, second: str | None) -> bool:
    return base_language(first) == base_language(second)


def direction(code: str | None) -> str:
    return "rtl" if base_language(code) in settings.LANGUAGES_BIDI else "ltr"


def language_name(code: str | None) -> str:
    """The name of a language in the active language ("English" reads "anglais" on a French page)."""
    for known, name in settings.LANGUAGE_NAMES_IN_ENGLISH.items():
        if same_language(known, code):
            return str(name)
    return code or ""


@dataclass(frozen=True)
class InLanguage:
    """A text and the language it is written in (a portal setting, a value that fell back)."""

    text: str
    language: str | None

    def __str__(self) -> str:
        return str(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def text_language(self) -> str | None:
        return self.language


def neutral(text) -> InLanguage:
    """An identifier, code or number: the same in every language, isolated from the text around it."""
    return InLanguage(text, NEUTRAL)


# --- pages ----------------------------------------------------------------------------------------
def _alias_source_language(page: Page) -> str | None:
    if not hasattr(page, "_alias_language"):
        alias_field = Page._meta.get_field("alias_of")
        if alias_field.is_cached(page) and page.alias_of is not None:
            source = page.alias_of
            page._alias_language = (
                _alias_source_language(source) if source.alias_of_id else locale_code(source.locale_id)
            )
        else:
            row = Page.objects.filter(pk=page.alias_of_id).values_list("locale_id", "alias_of__locale_id").first()
            page._alias_language = locale_code((row[1] or row[0]) if row else page.locale_id)
    return page._alias_language


def _load_fallback_fields(pages: list[Page]) -> None:
    """Set ``_fallback_fields`` (path → source language) on each translated page: the fields that
    wagtail-localize published with the source's text because they were not translated.

    No query when no page is in a locale wagtail-localize translates into; else one, plus one per
    target locale when some pages are translations it synchronises.
    """
    from wagtail_localize.models import StringSegment, Translation

    pending = [page for page in pages if not page.alias_of_id and not hasattr(page, "_fallback_fields")]
    for page in pending:
        page._fallback_fields = {}
        page._copied_fields = {}
    if pending:
        locales = translated_locales()
        pending = [page for page in pending if page.locale_id in locales]
    if not pending:
        return
    by_key = {(str(page.translation_key), page.locale_id): page for page in pending}
    translations = Translation.objects.filter(
        source__object_id__in={page.translation_key for page in pending},
        target_locale_id__in={page.locale_id for page in pending},
        enabled=True,
    ).values_list("source_id", "source__object_id", "target_locale_id", "source__locale_id")
    sources: dict[int, dict[int, tuple[Page, int]]] = {}
    for source_id, key, target_locale_id, source_locale_id in translations:
        page = by_key.get((str(key), target_locale_id))
        if page is not None:
            sources.setdefault(target_locale_id, {})[source_id] = (page, source_locale_id)
            # Child objects that are not translatable are copied from the source as they are.
            for name in getattr(type(page), "source_text_fields", ()):
                page._copied_fields[name] = locale_code(source_locale_id)
    for target_locale_id, targets in sources.items():
        untranslated = (
            StringSegment.objects.filter(source_id__in=targets)
            .annotate_translation(target_locale_id)
            .filter(translation__isnull=True)
            .exclude(context__path__in=PATHS_NOT_SHOWN)
            .values_list("source_id", "context__path")
        )
        for source_id, path in untranslated:
            page, source_locale_id = targets[source_id]
            page._fallback_fields[path] = locale_code(source_locale_id)


# What a link to a page shows: its title, its address and the language its title is in.
LINK_FIELDS = ("title", "url_path", "live", "locale_id", "alias_of_id", "translation_key")


def linked_page(page: Page, model, pk, fields=LINK_FIELDS):
    """The page ``pk`` (of ``model``) as a link from ``page`` shows it: its translation in ``page``'s
    language when live, else itself when live, else None — as Wagtail's ``localized`` would for the
    page's language, in one query that reads only ``fields``."""
    from django.db.models import Q

    if not pk:
        return None
    same_record = model._default_manager.filter(pk=pk).values("translation_key")
    found = {
        candidate.pk: candidate
        for candidate in model._default_manager.filter(
            Q(pk=pk) | Q(translation_key__in=same_record, locale_id=page.locale_id)
        ).only(*fields)
    }
    linked = found.pop(pk, None)
    if linked is None:
        return None
    translation = next(iter(found.values()), None)
    chosen = translation if translation is not None and translation.live else linked
    return chosen if chosen.live else None


def prime_text_languages(pages) -> list:
    """Find the text language of many pages at once (at most two queries in the usual case), so
    that a listing marks its cards in a number of queries that does not grow with its size."""
    items = list(pages)
    pages = [page for page in items if isinstance(page, Page)]
    alias_field = Page._meta.get_field("alias_of")
    aliases = [
        page
        for page in pages
        if page.alias_of_id and not hasattr(page, "_alias_language") and not alias_field.is_cached(page)
    ]
    if aliases:
        rows = Page.objects.filter(pk__in={page.alias_of_id for page in aliases}).values_list(
            "pk", "locale_id", "alias_of__locale_id"
        )
        sources = {pk: locale_code(nested or own) for pk, own, nested in rows}
        for page in aliases:
            page._alias_language = sources.get(page.alias_of_id) or locale_code(page.locale_id)
    _load_fallback_fields(pages)
    return items


def fallback_fields(page: Page) -> dict[str, str]:
    """Paths of the translatable fields a translated page shows in its source's language (left
    untranslated), with that language. Fields never translated (``source_text_fields``, such as
    attachments' titles) are marked too, but do not count as parts waiting for a translation."""
    if page.alias_of_id:
        return {}
    _load_fallback_fields([page])
    return page._fallback_fields


def page_text_language(page: Page, field: str | None = None) -> str | None:
    """The language of ``page``'s text, or of one of its fields (``"summary"``, ``"body.<block id>"``)."""
    if page.alias_of_id:
        return _alias_source_language(page)
    own = locale_code(page.locale_id)
    if field is None:
        return own
    for path, language in [*fallback_fields(page).items(), *page._copied_fields.items()]:
        if path == field or path.startswith(field + "."):
            return language
    return own


def source_language(page: Page) -> str | None:
    """The language of the text a page shows in place of its own, if any (the notice names it)."""
    if page.alias_of_id:
        language = _alias_source_language(page)
        return None if same_language(language, locale_code(page.locale_id)) else language
    languages = set(fallback_fields(page).values())
    return languages.pop() if len(languages) == 1 else (min(languages) if languages else None)


# --- any object -----------------------------------------------------------------------------------
def text_language(obj, field: str | None = None) -> str | None:
    """The language of the text ``obj`` shows: a page (or one of its fields), anything with a
    ``text_language`` attribute (vocabulary terms, portal texts, search hits), or a language code."""
    if obj is None or obj == "":
        return None
    if isinstance(obj, Page):
        return page_text_language(obj, field)
    if isinstance(obj, str):
        return obj
    if isinstance(obj, dict):
        return obj.get("text_language")
    return getattr(obj, "text_language", None)


def is_foreign(obj, field: str | None = None, page_language: str | None = None) -> bool:
    language = text_language(obj, field)
    return bool(language) and language != NEUTRAL and not same_language(language, page_language or get_language())


def lang_attrs(obj, field: str | None = None, page_language: str | None = None) -> SafeString:
    """`` lang="en" dir="ltr"`` when ``obj``'s text is in another language than the page, else nothing."""
    language = text_language(obj, field)
    current = page_language or get_language()
    if language == NEUTRAL:
        return mark_safe(' dir="ltr"') if direction(current) == "rtl" else mark_safe("")
    if not language or same_language(language, current):
        return mark_safe("")
    return format_html(' lang="{}" dir="{}"', language, direction(language))


def foreign(rendered, language: str | None, page_language: str | None = None) -> SafeString:
    """``rendered`` (escaped here unless already safe) in a ``<span lang dir>`` when its language is
    not the page's, in a ``<bdi>`` when it is language-neutral, as it is otherwise."""
    rendered = conditional_escape(rendered)
    if language == NEUTRAL:
        return format_html("<bdi>{}</bdi>", rendered)
    if not language or same_language(language, page_language or get_language()):
        return rendered
    return format_html('<span lang="{}" dir="{}">{}</span>', language, direction(language), rendered)


# Runs of Latin letters, digits and the punctuation of codes ("CC BY-SA 4.0", "UTC+01:00",
# "Europe/Paris") inside text in a right-to-left language.
_LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+/:_-]*(?:[ \u00a0][A-Za-z0-9][A-Za-z0-9.+/:_-]*)*")


def isolate_latin_runs(text) -> SafeString:
    """``text`` escaped, with its runs of Latin codes in ``<bdi>`` on a right-to-left page, so that
    the punctuation and numbers of a code keep their order ("CC BY 4.0" in an Arabic sentence)."""
    escaped = str(conditional_escape(text))
    if direction(get_language()) != "rtl":
        return mark_safe(escaped)  # noqa: S308 - escaped above

    def wrap(match):
        run = match.group(0)
        core = run.rstrip(".:")
        if not re.search(r"[A-Za-z]", core):
            return run
        return f"<bdi>{core}</bdi>{run[len(core) :]}"

    # Entities such as &amp; or &#x27; are left alone: they never start a run because of the "&".
    return mark_safe(re.sub(r"(?<![&#\w])" + _LATIN_RUN.pattern, wrap, escaped))  # noqa: S308


def shown_in_original_message(page_language: str, original: str, partly: bool) -> InLanguage:
    """The notice of a page (or part of it) shown in its original language. Until the catalogue
    of the page's language translates it, the notice is in English, and says so."""
    if partly:
        message = gettext_noop(
            "Parts of this page are not yet translated into %(language)s; they are shown in their "
            "original language, %(original)s."
        )
    else:
        message = gettext_noop(
            "This page is not yet available in %(language)s; it is shown in its original language, %(original)s."
        )
    language = get_language()
    if gettext(message) == message and not same_language(language, "en"):
        language = "en"
    with override(language):
        names = {"language": language_name(page_language), "original": language_name(original)}
        return InLanguage(gettext(message) % names, language)
