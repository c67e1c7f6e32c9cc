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


def hold_relations_in_memory(page: Page) -> None:
    """Read ``page``'s child objects and many-to-many links once and keep them on the instance.

    Copying a page (as an alias or a translation) reads each of its relations; a page copied into
    five locales would read them five times. Held in memory (modelcluster's in-memory state, the one
    a revision preview uses), they are read here once and every copy takes them from there. The
    instance must then only be read from, not saved: it no longer sees later changes in the database.
    """
    from django.db.models import prefetch_related_objects
    from modelcluster.fields import ParentalKey, ParentalManyToManyField
    from modelcluster.models import get_all_child_relations

    for relation in get_all_child_relations(page):
        getattr(page, relation.get_accessor_name()).get_object_list()
    plain = []
    for field in page._meta.get_fields():
        if not field.many_to_many or field.auto_created:
            continue
        if isinstance(field, ParentalManyToManyField):
            getattr(page, field.name).get_object_list()
        elif not any(
            isinstance(link, ParentalKey) and isinstance(page, link.related_model)
            for link in field.remote_field.through._meta.get_fields()
        ):  # links through a child object are copied with the child objects
            plain.append(field.name)
    if plain:
        prefetch_related_objects([page], *plain)


def ensure_aliases_in_bulk(pages, locales=None, progress=None) -> int:
    """:func:`ensure_aliases` for many pages at once (a demo or an import), returning how many were made.

    The same aliases, made the same way, but each target section is read once: its free tree
    positions and slugs are reserved here instead of being looked up again for every alias. Pages
    are taken in tree order so that a section is aliased before what it holds; a page whose parent
    has no version in a locale yet goes through :func:`ensure_aliases`, which makes the parent too.
    ``locales``: all locales (None), a list, or a dict of lists by page id. ``progress(n)`` is
    called after each page with the number of aliases it gained.
    """
    from django.db.models import F
    from wagtail.actions.create_alias import CreatePageAliasAction
    from wagtail.coreutils import find_available_slug

    every_locale = list(Locale.objects.all())
    if locales is None:
        locales = every_locale
    pages = sorted(pages, key=lambda page: page.path)

    def versions() -> dict:
        found: dict = {}
        keys = {page.translation_key for page in pages}
        for key, locale_id in Page.objects.filter(translation_key__in=keys).values_list("translation_key", "locale_id"):
            found.setdefault(key, set()).add(locale_id)
        return found

    present = versions()
    by_path: dict = {}  # tree path -> page, for the sources' parents
    targets: dict = {}  # (translation key of a source's parent, locale id) -> that parent's version there
    slots: dict = {}  # target parent id -> [last tree step used, slugs taken]
    made = 0
    for page in pages:
        wanted = locales.get(page.pk, []) if isinstance(locales, dict) else locales
        source = page.specific_class.objects.get(pk=page.alias_of_id or page.pk)
        hold_relations_in_memory(source)
        parent_path = Page._get_parent_path_from_path(source.path)
        if parent_path not in by_path:
            by_path[parent_path] = Page.objects.get(path=parent_path)
        parent = by_path[parent_path]
        added = 0
        for locale in wanted:
            if locale.pk in present.setdefault(source.translation_key, set()):
                continue
            target = targets.get((parent.translation_key, locale.pk))
            if target is None and not parent.is_root():
                target = Page.objects.filter(translation_key=parent.translation_key, locale=locale).first()
            if target is None:
                added += len(ensure_aliases(source, [locale]))  # makes the missing parents as well
                present, targets, slots = versions(), {}, {}
                continue
            targets[(parent.translation_key, locale.pk)] = target
            slot = slots.get(target.pk)
            if slot is None:
                children = target.get_children()
                last = children.order_by("-path").values_list("path", flat=True).first()
                step = Page._str2int(last[-Page.steplen :]) if last else 0
                slot = slots[target.pk] = [step, set(children.values_list("slug", flat=True))]
            slot[0] += 1
            slug = source.slug if source.slug not in slot[1] else find_available_slug(target, source.slug)
            slot[1].add(slug)
            depth = target.depth + 1
            with transaction.atomic():
                # A reserved tree position: Wagtail's own quick save for aliases made in a row.
                CreatePageAliasAction(
                    source,
                    parent=target,
                    update_slug=slug,
                    update_locale=locale,
                    reset_translation_key=False,
                    _mpnode_attrs=(Page._get_path(target.path, depth, slot[0]), depth),
                ).execute(skip_permission_checks=True)
                Page.objects.filter(pk=target.pk).update(numchild=F("numchild") + 1)
            present[source.translation_key].add(locale.pk)
            added += 1
        made += added
        if progress is not None:
            progress(added)
    return made


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
