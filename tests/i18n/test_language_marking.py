"""Where text in another language than the page's is marked, and where it is not: footer links,
listing cards, the tagline and other portal texts, fields left untranslated, codes in RTL text."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.translation import override
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from cms.site_settings.models import FooterLink, PortalSettings, PortalText
from content_types.base.languages import isolate_latin_runs, lang_attrs, language_name, translated_locales
from tests.records.factories import NeedFactory, attach_document, country, target

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def portal() -> PortalSettings:
    return PortalSettings.for_site(Site.objects.get(is_default_site=True))


def footer_links(document) -> dict[str, dict]:
    links = document.select("footer nav[aria-labelledby=footer-links] a")
    return {link.get_text(strip=True): link.attrs for link in links}


# --- the helper ------------------------------------------------------------------------------------
def test_lang_attrs_only_when_the_languages_differ():
    with override("ar"):
        assert lang_attrs("en") == ' lang="en" dir="ltr"'
        assert lang_attrs("ar") == ""
    with override("en"):
        assert lang_attrs("ar") == ' lang="ar" dir="rtl"'
        assert lang_attrs("en") == ""
    with override("zh-hans"):
        assert lang_attrs("zh") == ""  # the same language, written without its script
        assert lang_attrs(None) == ""


def test_codes_in_right_to_left_text_are_isolated_and_escaped():
    with override("ar"):
        assert isolate_latin_runs("نسب المصنف 4.0 (CC BY 4.0)") == "نسب المصنف 4.0 (<bdi>CC BY 4.0</bdi>)"
        assert isolate_latin_runs("توقيت Europe/Paris، UTC+01:00") == (
            "توقيت <bdi>Europe/Paris</bdi>، <bdi>UTC+01:00</bdi>"
        )
        escaped = isolate_latin_runs("<script>R&D")
        assert "<script" not in escaped and escaped.startswith("&lt;") and "&amp;" in escaped
    with override("en"):
        assert isolate_latin_runs("Attribution (CC BY 4.0) & more") == "Attribution (CC BY 4.0) &amp; more"


# --- footer and navigation -------------------------------------------------------------------------
def test_footer_link_to_an_untranslated_page_is_marked(client, site_pages):
    arabic = footer_links(soup(client.get("/ar/")))
    french = footer_links(soup(client.get("/fr/")))
    english = footer_links(soup(client.get("/en/")))

    # The About pages are translated into French only: Arabic shows the English aliases, marked.
    assert arabic["Terms of use"]["lang"] == "en" and arabic["Terms of use"]["dir"] == "ltr"
    assert arabic["Terms of use"]["href"].startswith("/ar/")
    assert "lang" not in french["Conditions d'utilisation"]
    assert all("lang" not in attributes for attributes in english.values())


def test_footer_link_without_any_page_in_the_language_shows_its_text_marked(client, site_pages):
    russian_alias = site_pages["about/accessibility"].get_translation(Locale.objects.get(language_code="ru"))
    russian_alias.unpublish()

    links = footer_links(soup(client.get("/ru/")))

    text, link = next((text, attributes) for text, attributes in links.items() if attributes["href"].startswith("/en/"))
    assert text == FooterLink.objects.get(page=site_pages["about/accessibility"]).text
    assert (link["lang"], link["dir"]) == ("en", "ltr")


def test_navigation_marks_a_section_not_translated_yet(client, site_pages, translate_to):
    from cms.home.models import StandardPage

    page = StandardPage(title="Partners and donors", slug="partners", show_in_menus=True)
    site_pages["home"].add_child(instance=page)
    page.save_revision().publish()
    translate_to(page, "ar", alias=True)

    arabic = soup(client.get("/ar/"))
    english = soup(client.get("/en/"))

    item = arabic.select_one('nav.main-nav a[href="/ar/partners/"]')
    assert item.get_text() == "Partners and donors" and item["lang"] == "en" and item["dir"] == "ltr"
    assert not english.select("nav.main-nav [lang]")


# --- portal texts ----------------------------------------------------------------------------------
def test_tagline_in_each_language_with_fallback_marked(client, site_pages):
    settings = portal()
    PortalText.objects.filter(settings=settings, language="ru").delete()
    PortalText.objects.update_or_create(settings=settings, language="es", defaults={"tagline": ""})

    arabic = soup(client.get("/ar/")).select_one(".brand-tagline")
    russian = soup(client.get("/ru/")).select_one(".brand-tagline")
    spanish = soup(client.get("/es/")).select_one(".brand-tagline")
    english = soup(client.get("/en/")).select_one(".brand-tagline")

    assert arabic.get_text() == "آلية تبادل المعلومات لاتفاقية التنوع البيولوجي" and not arabic.has_attr("lang")
    for fallback in (russian, spanish):
        assert fallback.get_text() == settings.tagline
        assert (fallback["lang"], fallback["dir"]) == ("en", "ltr")
    assert english.get_text() == settings.tagline and not english.has_attr("lang")


def test_portal_name_and_address_per_language(client, site_pages):
    settings = portal()
    PortalText.objects.update_or_create(
        settings=settings,
        language="fr",
        defaults={"portal_name": "Portail du CHM", "contact_address": "413, rue Saint-Jacques\nMontréal"},
    )

    french = soup(client.get("/fr/"))
    arabic = soup(client.get("/ar/"))

    assert french.select_one(".brand-name").get_text() == "Portail du CHM"
    assert not french.select_one(".brand-name").has_attr("lang")
    assert list(french.select_one("footer address").stripped_strings) == ["413, rue Saint-Jacques", "Montréal"]
    assert "Portail du CHM" in french.select_one("title").get_text()
    assert arabic.select_one(".brand-name")["lang"] == "en"
    assert arabic.select_one("footer address")["lang"] == "en"
    assert arabic.select_one(".credit span[lang=en]").get_text() == settings.portal_name


# --- listings ---------------------------------------------------------------------------------------
def test_listing_card_of_an_alias_is_marked_and_a_translation_is_not(client, translate_to):
    aliased = NeedFactory(title="Mangrove mapping", countries=[country("FR")], gbf_targets=[target(3)])
    translated = NeedFactory(title="Seed banks", countries=[country("KE")])
    translate_to(aliased, "ar", alias=True)
    translate_to(translated, "ar", title="بنوك البذور", draft_title="بنوك البذور", summary="بنوك بذور وطنية.")

    cards = {
        card.select_one(".card-title a").get_text(strip=True): card
        for card in soup(client.get("/ar/records/")).select(".record-card")
    }

    alias_card = cards["Mangrove mapping"]
    assert alias_card.select_one(".card-title a")["lang"] == "en"
    assert alias_card.select_one(".card-title a")["dir"] == "ltr"
    assert alias_card.select_one(".badge-language").get_text() == "باللغة الإنكليزية"
    assert alias_card.select_one("code bdi").get_text() == aliased.identifier
    translated_card = cards["بنوك البذور"]
    assert not translated_card.select("[lang]") and not translated_card.select(".badge-language")


def test_arabic_listing_of_aliases_costs_the_same_queries_for_10_and_100(client, translate_to):
    for number in range(30):
        record = NeedFactory(publication_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=number))
        translate_to(record, "ar", alias=True)
    # Steady state for both sizes: the listing caches each result's card, so a first visit loads the
    # cards it has not seen yet (in one go, whatever their number).
    for warm in ("/ar/records/?per_page=5", "/ar/records/?per_page=30"):
        client.get(warm)

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    assert queries("/ar/records/?per_page=5") == queries("/ar/records/?per_page=30")


def test_related_record_shown_from_another_language_is_marked(client, translate_to):
    from content_types.records.models import RelatedRecord

    record = NeedFactory(title="Coastal survey")
    related = NeedFactory(title="Ranger training")
    RelatedRecord.objects.create(page=record, record=related, sort_order=0)
    french = translate_to(record, "fr", title="Inventaire côtier", draft_title="Inventaire côtier")

    link = soup(client.get(french.url)).select_one("#record-related ~ ul a")

    assert link.get_text() == "Ranger training" and link["lang"] == "en" and link["href"].startswith("/en/")


# --- no redundant marks ------------------------------------------------------------------------------
def test_no_lang_where_the_languages_match(client, translate_to):
    record = NeedFactory(title="Wetland inventory", summary="An inventory of the wetlands.", body=[])
    arabic = translate_to(
        record, "ar", title="جرد الأراضي الرطبة", draft_title="جرد الأراضي الرطبة", summary="جرد للأراضي الرطبة."
    )

    english = soup(client.get(record.url))
    marked = [
        element for element in english.select("body [lang]") if not element.find_parent(class_="language-switcher")
    ]
    assert marked == []
    # On the Arabic page, only the frame's texts that have no Arabic version are marked.
    main = soup(client.get(arabic.url)).select_one("main")
    assert main.select("[lang]") == [] and main.select(".message-language") == []


# --- fields left untranslated by wagtail-localize -------------------------------------------------------
def translate_with_wagtail_localize(record, translated: dict, capture) -> Page:
    """Publish the Arabic translation of ``record`` as wagtail-localize's editor does, with the
    strings of ``translated`` (by field path or source text) translated and the others not."""
    arabic_locale = Locale.objects.get(language_code="ar")
    source, _created = TranslationSource.get_or_create_from_instance(record)
    translation = Translation.objects.create(source=source, target_locale=arabic_locale)
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        text = translated.get(segment.context.path) or translated.get(segment.string.data)
        if text:
            StringTranslation.objects.create(
                translation_of=segment.string, locale=arabic_locale, context=segment.context, data=text
            )
    with capture(execute=True):
        translation.save_target(publish=True)
    return Page.objects.get(translation_key=record.translation_key, locale=arabic_locale).specific


def test_untranslated_fields_and_blocks_keep_their_source_language(client, django_capture_on_commit_callbacks):
    record = NeedFactory(
        title="Coral reef monitoring",
        summary="Monitoring of the reefs of the lagoon.",
        body=[("paragraph", "<p>Translated paragraph.</p>"), ("paragraph", "<p>Paragraph left in English.</p>")],
    )
    attach_document(record, title="Reef map")
    translated = {"title": "رصد الشعاب المرجانية", "Translated paragraph.": "فقرة مترجمة."}
    page = translate_with_wagtail_localize(record, translated, django_capture_on_commit_callbacks)

    document = soup(client.get(page.url))

    title = document.select_one("h1")
    assert title.get_text() == "رصد الشعاب المرجانية" and not title.has_attr("lang")
    assert document.select_one("p.lead")["lang"] == "en"
    body = document.select_one("#record-body").parent
    marked = body.select("[lang=en]")
    assert [element.get_text(strip=True) for element in marked] == ["Paragraph left in English."]
    assert "فقرة مترجمة." in body.get_text()
    # Attachments are not translatable: their titles stay in the source's language.
    assert document.select_one(".attachments a")["lang"] == "en"
    notice = document.select_one(".message-language")
    notice_language = notice.get("lang", "ar")
    with override(notice_language):
        assert language_name("en") in notice.get_text()
        assert language_name("ar") in notice.get_text()


def test_a_fully_translated_page_has_no_notice_and_no_marks(client, django_capture_on_commit_callbacks):
    record = NeedFactory(title="Dune restoration", summary="Dunes.", body=[("paragraph", "<p>Sand.</p>")])
    translated = {
        "title": "استعادة الكثبان",
        "summary": "الكثبان.",
        "Sand.": "الرمل.",
        "needed": "تدريب على نمذجة توزيع الأنواع.",
    }
    page = translate_with_wagtail_localize(record, translated, django_capture_on_commit_callbacks)

    main = soup(client.get(page.url)).select_one("main")

    assert main.select_one("h1").get_text() == "استعادة الكثبان"
    assert main.select("[lang]") == [] and main.select(".message-language") == []


def test_alias_page_says_it_is_shown_in_its_original_language(client, translate_to):
    """Passes before and after the catalogues translate the notice: in English it is marked."""
    record = NeedFactory(title="Soil carbon survey")
    arabic = translate_to(record, "ar", alias=True)

    notice = soup(client.get(arabic.url)).select_one("main .message-language")

    assert notice["role"] == "note"
    language = notice.get("lang", "ar")
    with override(language):
        assert language_name("ar") in notice.get_text() and language_name("en") in notice.get_text()
    assert soup(client.get(record.url)).select_one(".message-language") is None


def test_search_suggestions_say_the_language_of_their_title(client, translate_to):
    """The suggestions list marks a title in another language (search.js reads ``language``)."""
    record = NeedFactory(title="Mangrove nursery")
    translate_to(record, "ar", alias=True)
    translate_to(record, "fr", title="Pépinière de mangroves", draft_title="Pépinière de mangroves")

    arabic = client.get("/ar/search/suggest/", {"q": "Mangrove"}).json()["suggestions"]
    french = client.get("/fr/search/suggest/", {"q": "Pépinière"}).json()["suggestions"]

    assert [(item["title"], item["language"]) for item in arabic] == [("Mangrove nursery", "en")]
    assert [(item["title"], item["language"]) for item in french] == [("Pépinière de mangroves", "fr")]


def test_an_unreachable_shared_cache_costs_a_query_not_an_error(django_capture_on_commit_callbacks):
    """The cache only spares the query for the locales wagtail-localize translates into: with
    Redis unreachable, the list is read from the database and a translation still saves."""
    record = NeedFactory(title="Peatland survey")
    source, _created = TranslationSource.get_or_create_from_instance(record)
    unreachable = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=unreachable):
        with django_capture_on_commit_callbacks(execute=True):
            Translation.objects.create(source=source, target_locale=Locale.objects.get(language_code="ru"))
        locales = translated_locales()

    assert Locale.objects.get(language_code="ru").pk in locales
