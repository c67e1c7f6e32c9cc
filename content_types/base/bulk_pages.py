"""Many new pages published at once, each in every locale (a harvest's page of records, a bench's seed).

Wagtail creates a page row by row: ``add_child`` locks and updates the parent for every page, the
copy machinery makes each alias with its own queries, and each save runs the per-row signals. Here a
batch of new pages is written with a few statements per table, whatever its size: the sections'
rows are locked once, tree positions and slugs reserved in memory, the rows of each table of the
page types inserted together, then the batch's aliases (one in every locale the page has no version
in) the same way. What publishing tells the rest of the portal (``page_published``: search, the
changes feed's tombstones, suggestions, caches) is still sent, once per page that is not an alias,
as Wagtail sends it; the admin search index is given the batch in one call per page type.

The caller validates the pages first (:meth:`clean_fields`): nothing here refuses a page. Not
written: revisions and history entries (Wagtail shows a page without a revision as it is; the first
edit or update writes one) and Wagtail's reference index (the pages link to nothing of this portal).
"""

import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page
from wagtail.signals import page_published

#: Rows per INSERT: keeps the statement under PostgreSQL's 65,535 parameters for any page type.
CHUNK = 500
#: Fields an alias does not take from its page: its own place in the tree and its locale.
TREE_FIELDS = {"id", "path", "depth", "numchild", "url_path", "alias_of_id", "locale_id", "translation_key"}


@dataclass
class NewPage:
    """One page to create: an unsaved specific instance (title, slug and fields set), its
    many-to-many values by field name, and its translations (unsaved instances, locale set)."""

    page: Page
    relations: dict = field(default_factory=dict)
    translations: list = field(default_factory=list)


def _concrete_chain(model) -> list:
    """The page type's concrete tables below ``Page``, parents first (``RecordPage``, ``NeedPage``)."""
    chain = [parent for parent in reversed(model._meta.get_parent_list()) if parent is not Page]
    return [*chain, model] if model is not Page else chain


def _insert(pages: list[Page]) -> None:
    """Insert ``pages`` (specific instances, tree fields set) into every table of their types."""
    page_fields = [f for f in Page._meta.local_concrete_fields if f.attname != "id"]
    for start in range(0, len(pages), CHUNK):
        chunk = pages[start : start + CHUNK]
        rows = Page._base_manager._insert(chunk, fields=page_fields, returning_fields=[Page._meta.pk])
        for page, (pk,) in zip(chunk, rows, strict=True):
            page.id = pk
            for model in _concrete_chain(type(page)):
                for link in model._meta.parents.values():
                    setattr(page, link.attname, pk)
            page._state.adding = False
    by_model: dict = {}
    for page in pages:
        for model in _concrete_chain(type(page)):
            by_model.setdefault(model, []).append(page)
    for model, rows in by_model.items():  # parents first: dicts keep the order they were filled in
        fields = model._meta.local_concrete_fields
        for start in range(0, len(rows), CHUNK):
            model._base_manager._insert(rows[start : start + CHUNK], fields=fields)


def _link_relations(pages_and_relations: list[tuple[Page, dict]]) -> None:
    through_rows: dict = {}
    for page, relations in pages_and_relations:
        for name, values in relations.items():
            relation = type(page)._meta.get_field(name)
            through = relation.remote_field.through
            source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
            for value in values:
                through_rows.setdefault(through, []).append(
                    through(**{f"{source}_id": page.pk, f"{target}_id": getattr(value, "pk", value)})
                )
    for through, rows in through_rows.items():
        through.objects.bulk_create(rows, batch_size=CHUNK)


class _Section:
    """A parent page with its next free tree position and the slugs taken under it (for this batch)."""

    def __init__(self, page: Page, locale: Locale):
        self.page, self.locale = page, locale
        last = (
            Page.objects.filter(path__startswith=page.path, depth=page.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        self.step = Page._str2int(last[-Page.steplen :]) if last else 0
        self.taken: set[str] = set()
        self.added = 0

    def reserve_slugs(self, wanted: set[str]) -> None:
        children = Page.objects.filter(path__startswith=self.page.path, depth=self.page.depth + 1)
        self.taken |= set(children.filter(slug__in=wanted).values_list("slug", flat=True))

    def place(self, page: Page) -> None:
        if page.slug in self.taken:
            page.slug = find_available_slug(self.page, page.slug)
            while page.slug in self.taken:  # taken by this batch, not yet in the database
                page.slug = find_available_slug(self.page, f"{page.slug}-{uuid.uuid4().hex[:4]}")
        self.taken.add(page.slug)
        self.step += 1
        self.added += 1
        page.depth = self.page.depth + 1
        page.path = Page._get_path(self.page.path, page.depth, self.step)
        page.url_path = f"{self.page.url_path}{page.slug}/"
        page.numchild = 0
        page.locale = self.locale


def _published(page: Page, now) -> None:
    page.draft_title = page.title
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = page.first_published_at or now
    page.last_published_at = now
    page.latest_revision_created_at = now
    page.content_type = ContentType.objects.get_for_model(type(page))


def copy_of(page: Page) -> Page:
    """A new, unsaved instance with ``page``'s field values, but none of its place in the tree (a
    translation starts as a copy of its original, an alias is one)."""
    model = type(page)
    values = {
        f.attname: getattr(page, f.attname)
        for f in model._meta.concrete_fields
        if f.attname not in TREE_FIELDS and not (f.remote_field and f.remote_field.parent_link)
    }
    return model(**values)


def _alias(source: Page, locale_id: int) -> Page:
    """An alias of ``source``: its field values (the copy Wagtail makes), in another locale."""
    alias = copy_of(source)
    alias.translation_key = source.translation_key
    alias.alias_of_id = source.pk
    alias.locale_id = locale_id
    return alias


@transaction.atomic
def publish_new_pages(new_pages: list[NewPage], sections: dict, now, index: bool = True) -> list[Page]:
    """Create and publish ``new_pages`` under ``sections`` (locale id → parent page, one per locale
    of the portal): each page (and each of its translations) under its locale's section, and an
    alias in every other locale. Returns the pages (originals), saved, in the order given.
    ``index=False``: the caller updates the admin search index itself (a demo load, in one pass)."""
    if not new_pages:
        return []
    locked = {
        page.pk: page for page in Page.objects.select_for_update().filter(pk__in=[p.pk for p in sections.values()])
    }
    locales = Locale.objects.in_bulk(list(sections))
    places = {locale_id: _Section(locked[parent.pk], locales[locale_id]) for locale_id, parent in sections.items()}
    originals: list[tuple[Page, dict]] = []
    translations: list[tuple[Page, dict]] = []
    for new in new_pages:
        key = new.page.translation_key or uuid.uuid4()
        new.page.translation_key = key
        originals.append((new.page, new.relations))
        for translated in new.translations:
            translated.translation_key = key
            translations.append((translated, new.relations))
    written = originals + translations
    wanted: dict = {}
    for page, _relations in written:
        wanted.setdefault(page.locale_id, set()).add(page.slug)
    for page, _relations in written:  # alias slugs are the original's
        for locale_id in places:
            wanted.setdefault(locale_id, set()).add(page.slug)
    for locale_id, slugs in wanted.items():
        places[locale_id].reserve_slugs(slugs)
    for page, _relations in written:
        places[page.locale_id].place(page)
        _published(page, now)
    _insert([page for page, _relations in written])

    aliases: list[tuple[Page, dict]] = []
    for new in new_pages:
        present = {new.page.locale_id, *(translated.locale_id for translated in new.translations)}
        for locale_id, place in places.items():
            if locale_id in present:
                continue
            alias = _alias(new.page, locale_id)
            place.place(alias)
            aliases.append((alias, new.relations))
    _insert([alias for alias, _relations in aliases])
    _link_relations(written + aliases)
    for place in places.values():
        if place.added:
            Page.objects.filter(pk=place.page.pk).update(numchild=F("numchild") + place.added)
    if index:
        _index_for_admin([page for page, _relations in written + aliases])
    for page, _relations in written:
        page_published.send(sender=type(page), instance=page, revision=None)
    return [new.page for new in new_pages]


def _index_for_admin(pages: list[Page]) -> None:
    """The admin's search index (Wagtail's, one call per page type), which a save would update row by row."""
    from modelsearch.backends import get_search_backends

    by_model: dict = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for backend in get_search_backends(with_auto_update=True):
        for model, rows in by_model.items():
            backend.add_bulk(model, rows)
