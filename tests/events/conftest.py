"""Fixtures of the events tests: the Events index and translations."""

import pytest
from wagtail.models import Locale

from .factories import events_index


@pytest.fixture
def index(site_pages):
    """The English Events index (the site structure is built once per session)."""
    return events_index("en")


@pytest.fixture
def translate_to(django_capture_on_commit_callbacks):
    """``translate_to(page, "fr", **fields)``: a published translation (an alias when ``alias``)."""

    def translate(page, language: str, alias: bool = False, **fields):
        locale = Locale.objects.get(language_code=language)
        existing = page.get_translation_or_none(locale)
        with django_capture_on_commit_callbacks(execute=True):
            if existing is not None and existing.alias_of_id is not None and not alias:
                translated = existing.specific
                translated.alias_of = None
            elif existing is not None:
                return existing.specific
            else:
                translated = page.copy_for_translation(locale, copy_parents=False, alias=alias).specific
            if alias:
                return translated
            for name, value in fields.items():
                setattr(translated, name, value)
            translated.save()
            translated.save_revision().publish()
        return translated

    return translate
