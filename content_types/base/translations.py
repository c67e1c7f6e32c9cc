"""A page in every language: an alias in each locale it is not translated into.

Wagtail keeps aliases in step with their page (publishing a new revision updates and republishes
them, unpublishing unpublishes them) but only creates them where wagtail-localize's tree
synchronisation copies from (English). A record written in any other language, or published
without going through that synchronisation, gets its aliases here, in one place.
"""

from django.db import transaction
from wagtail.models import Locale, Page


def missing_locales(page: Page, locales=None) -> list[Locale]:
    """The locales (of ``locales``, default all) with no page of ``page``'s translation group yet."""
    present = set(Page.objects.filter(translation_key=page.translation_key).values_list("locale_id", flat=True))
    candidates = Locale.objects.all() if locales is None else locales
    return [locale for locale in candidates if locale.pk not in present]


@transaction.atomic
def ensure_aliases(page: Page, locales=None) -> list[Page]:
    """Give ``page`` an alias in every locale (or in ``locales``) where its group has no page yet.

    A translation or an alias already there is left as it is, so a real translation is never
    overwritten and calling this again creates nothing. An alias shows ``page``'s live content and
    is live when ``page`` is; the aliases of a page not yet live stay unpublished until Wagtail
    publishes the page (and so them).
    """
    # Read afresh: an instance held by the caller may predate the publication it follows.
    source = page.specific_class.objects.get(pk=page.alias_of_id or page.pk)
    return [
        source.copy_for_translation(locale, copy_parents=True, alias=True)
        for locale in missing_locales(source, locales)
    ]


class TranslationInTheWay(Exception):
    """The target locale already holds a real translation of the page: moving it there would lose one."""


@transaction.atomic
def move_to_section(page: Page, parent: Page, user=None) -> Page:
    """Move ``page`` under ``parent``, a section of another locale: the page becomes a page of that locale.

    An alias of the page that sat in that locale is deleted first (the page takes its place, under a
    free slug); a real translation there raises ``TranslationInTheWay``.
    """
    from wagtail.actions.move_page import MovePageAction
    from wagtail.coreutils import find_available_slug

    page = Page.objects.get(pk=page.pk)
    if page.locale_id != parent.locale_id:
        in_the_way = Page.objects.filter(translation_key=page.translation_key, locale_id=parent.locale_id)
        if in_the_way.filter(alias_of__isnull=True).exists():
            raise TranslationInTheWay(page.pk)
        for alias in in_the_way:
            alias.delete()
    slug = find_available_slug(parent, page.slug, ignore_page_id=page.pk)
    # The locale and slug first: the move re-reads the page and validates it in its new place.
    Page.objects.filter(pk=page.pk).update(locale_id=parent.locale_id, slug=slug)
    page.refresh_from_db()
    # Who may move pages in the tree is the caller's rule (the review's matrix, a data repair).
    MovePageAction(page, parent, pos="last-child", user=user).execute(skip_permission_checks=True)
    return page.specific_class.objects.get(pk=page.pk)
