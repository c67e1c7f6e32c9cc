"""Translating events and networks with wagtail-localize: what is translated, what is synchronised."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, TranslationSource

from tests.networks.factories import NetworkFactory, networks_index

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def translate_with_localize(page, language, translations, django_capture_on_commit_callbacks):
    """Submit ``page`` for translation, translate its strings from ``translations``, publish."""
    locale = Locale.objects.get(language_code=language)
    source, _created = TranslationSource.get_or_create_from_instance(page)
    for segment in source.stringsegment_set.select_related("string"):
        text = segment.string.data
        if text in translations:
            StringTranslation.objects.create(
                translation_of=segment.string, locale=locale, context=segment.context, data=translations[text]
            )
    with django_capture_on_commit_callbacks(execute=True):
        translated, _created = source.create_or_update_translation(locale, fallback=True)
    translated.save_revision().publish()
    return translated.specific


def extracted_strings(page) -> set[str]:
    source, _created = TranslationSource.get_or_create_from_instance(page)
    return {segment.string.data for segment in source.stringsegment_set.select_related("string")}


def test_an_event_is_translated_and_keeps_its_dates_and_place(client, index, django_capture_on_commit_callbacks):
    event = EventFactory(title="Restoration workshop", city="Nairobi", venue_name="UN Office")
    strings = extracted_strings(event)
    assert {"Restoration workshop", "Nairobi", "UN Office"} <= strings
    assert "Africa/Nairobi" not in strings and "https://meet.example.org/restoration" not in strings

    french = translate_with_localize(
        event, "fr", {"Restoration workshop": "Atelier de restauration"}, django_capture_on_commit_callbacks
    )

    assert french.title == "Atelier de restauration"
    assert (french.start, french.end, french.time_zone) == (event.start, event.end, event.time_zone)
    assert (french.latitude, french.online_url) == (event.latitude, event.online_url)
    assert client.get(french.url).status_code == 200
    assert "Atelier de restauration" in client.get(french.get_parent().url).content.decode()


def test_a_network_is_translated_and_keeps_its_coordinator(
    client, site_pages, editor, django_capture_on_commit_callbacks
):
    networks_index()
    network = NetworkFactory(title="Seagrass network", coordinator=editor)

    french = translate_with_localize(
        network, "fr", {"Seagrass network": "Réseau des herbiers marins"}, django_capture_on_commit_callbacks
    )

    assert french.title == "Réseau des herbiers marins"
    assert (french.coordinator, french.kind, french.scope) == (editor, network.kind, network.scope)
    assert client.get(french.url).status_code == 200
