"""Helpers to create pages and their translations idempotently from code."""

from django.db import transaction
from wagtail.models import Locale, Page

LANGUAGES = ["en", "fr", "es", "ar", "ru", "zh-hans"]


def locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


def get_or_create_child(parent: Page, model, slug: str, **fields) -> tuple[Page, bool]:
    """The live child of ``parent`` with ``slug``, created and published when missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = model(slug=slug, **fields)
    with transaction.atomic():
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page, True


def translate(page: Page, language_code: str, **fields) -> Page:
    """A published translation of ``page`` into ``language_code`` with ``fields`` set.

    An alias made by tree synchronisation is turned into a real translation.
    """
    target = locale(language_code)
    translation = page.get_translation_or_none(target)
    if translation is not None and translation.alias_of_id is None:
        return translation.specific
    with transaction.atomic():
        if translation is not None:  # an alias: detach it so that it can hold its own text
            translation = translation.specific
            translation.alias_of = None
        else:
            translation = page.copy_for_translation(target, copy_parents=False)
        for name, value in fields.items():
            setattr(translation, name, value)
        translation.save()
        translation.save_revision().publish()
    return translation


class PageBatch:
    """New pages of one type under ``parent``, created and published a batch at a time (rows written
    together, an alias in every other locale made with them): what :func:`get_or_create_child` and
    :func:`translate` make one page at a time, with a few statements per batch instead of tens per page.

    Use it as those two: ``get_or_create(slug, **fields)`` returns the page (already there, or new and
    written at the next :meth:`flush`, at the latest when the batch is left), ``translate(page, code,
    **fields)`` adds its translation. A page already written goes the one-page way. Pages with child
    objects (inline panels) are not for a batch. Where ``parent`` has no version in some locale (the
    aliases would have nowhere to go), every page goes the one-page way.
    """

    def __init__(self, parent: Page, model, size: int = 100):
        self.parent, self.model, self.size = parent, model, size
        versions = {page.locale_id: page for page in Page.objects.filter(translation_key=parent.translation_key)}
        versions[parent.locale_id] = parent
        locales = {locale.pk: locale for locale in Locale.objects.all()}
        self.sections = versions if set(versions) == set(locales) else None
        self.locales = {locale.language_code: locale for locale in locales.values()}
        self.existing = dict(model.objects.child_of(parent).values_list("slug", "pk"))
        self.pages: dict = {}  # slug -> page, written or not
        self.pending: dict = {}  # slug -> (page, {language code: fields of its translation})

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.flush()

    def get_or_create(self, slug: str, **fields) -> tuple[Page, bool]:
        if slug in self.pages:
            return self.pages[slug], False
        if slug in self.existing:
            page = self.pages[slug] = self.model.objects.get(pk=self.existing[slug])
            return page, False
        if self.sections is None:
            page, created = get_or_create_child(self.parent, self.model, slug, **fields)
            self.pages[slug] = page
            return page, created
        page = self.model(slug=slug, locale_id=self.parent.locale_id, **fields)
        self.pages[slug] = page
        self.pending[slug] = (page, {})
        if len(self.pending) >= self.size:
            self.flush()
        return page, True

    def translate(self, page: Page, language_code: str, **fields) -> Page | None:
        """The page's translation: made now for a page already written, else with the page."""
        waiting = self.pending.get(page.slug)
        if waiting is None or waiting[0] is not page:
            return translate(page, language_code, **fields)
        waiting[1].setdefault(language_code, fields)
        return None

    def flush(self) -> None:
        """Write and publish the pages waiting, with their translations and aliases."""
        from django.utils import timezone

        from cms.demo.indexing import index_held_back
        from content_types.base.bulk_pages import NewPage, copy_of, publish_new_pages

        if not self.pending:
            return
        waiting = list(self.pending.values())
        self.pending = {}
        pages = [page for page, _translations in waiting]
        for page in pages:
            if hasattr(page, "fill_derived_fields"):
                page.fill_derived_fields()
        if hasattr(self.model, "assign_identifiers"):
            self.model.assign_identifiers(pages)
        new_pages = []
        for page, translations in waiting:
            copies = []
            for code, fields in translations.items():
                copy = copy_of(page)
                for name, value in fields.items():
                    setattr(copy, name, value)
                copy.locale_id = self.locales[code].pk
                copies.append(copy)
            new_pages.append(NewPage(page, _relations_in_memory(page), copies))
        publish_new_pages(new_pages, self.sections, timezone.now(), index=not index_held_back())


def _relations_in_memory(page: Page) -> dict:
    """The many-to-many values set on an unsaved page (modelcluster keeps them in memory), by field."""
    from modelcluster.fields import ParentalManyToManyField
    from modelcluster.models import get_all_child_relations

    held = getattr(page, "_cluster_related_objects", {})
    if any(relation.get_accessor_name() in held for relation in get_all_child_relations(page)):
        raise ValueError(f"{page.slug}: pages with child objects are created one by one, not in a batch.")
    return {
        field.name: list(held[field.name])
        for field in type(page)._meta.get_fields()
        if isinstance(field, ParentalManyToManyField) and field.name in held
    }
