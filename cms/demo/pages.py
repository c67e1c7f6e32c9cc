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
