"""The interface is translated into the five other UN languages, and the catalogues compile."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["ar", "es", "fr", "ru", "zh_Hans"]
PLURAL_FORMS = {"ar": 6, "es": 3, "fr": 2, "ru": 4, "zh_Hans": 1}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 500
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    for entry in catalogue:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == PLURAL_FORMS[language], entry.msgid


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Aller au contenu principal"), ("ar", "المحتوى الرئيسي"), ("zh-hans", "跳")],
)
def test_compiled_catalogue_translates_the_site_frame(language, expected):
    with translation.override(language):
        rendered = Template('{% load i18n %}{% translate "Skip to main content" %}').render(Context())
    assert rendered != "Skip to main content"
    assert expected in rendered
