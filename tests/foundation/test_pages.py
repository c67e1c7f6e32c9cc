"""The site frame: every section in the six languages, the language switcher, the error pages."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

from cms.home.demo import HOME_TITLES, NEWS_TITLES, SECTIONS

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SECTION_PATHS = ["", "records/", "events/", "networks/", "awards/", "news/", "about/"]


def section_title(slug: str, language: str) -> str:
    if slug == "":
        return HOME_TITLES[language]
    if slug == "news/":
        return NEWS_TITLES[language]
    return SECTIONS[slug.rstrip("/")][1][language][0]


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def switcher_links(document: BeautifulSoup) -> dict[str, str]:
    """The language switcher's links, by the language code each one is marked with."""
    nav = document.select_one("nav.language-switcher")
    assert nav is not None, "the page has no language switcher"
    return {link["hreflang"]: link["href"] for link in nav.select("a[hreflang]")}


def test_six_languages_are_configured():
    assert LANGUAGES == ["ar", "en", "es", "fr", "ru", "zh-hans"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("section", SECTION_PATHS)
def test_section_renders_in_each_language(client, language, section):
    response = client.get(f"/{language}/{section}")

    assert response.status_code == 200
    document = soup(response)
    html = document.html
    assert html["lang"] == language
    assert html["dir"] == ("rtl" if language == "ar" else "ltr")
    assert document.select_one("a.skip-link[href='#main']") is not None
    assert document.select_one("main#main") is not None
    # The page served is the translation, not the English page under another prefix.
    assert section_title(section, language) in document.title.get_text()


@pytest.mark.parametrize("section", SECTION_PATHS)
def test_language_switcher_links_to_same_section_in_each_language(client, section):
    response = client.get(f"/en/{section}")

    links = switcher_links(soup(response))
    assert links == {language: f"/{language}/{section}" for language in LANGUAGES}


def test_language_switcher_marks_current_language(client):
    document = soup(client.get("/fr/news/"))

    nav = document.select_one("nav.language-switcher")
    current = nav.select("a[aria-current]")
    assert [link["hreflang"] for link in current] == ["fr"]
    arabic = nav.select_one("a[hreflang='ar']")
    assert arabic["dir"] == "rtl"
    assert arabic.get_text(strip=True) == "العربية"


def test_language_switcher_on_a_view_that_is_not_a_page(client):
    response = client.get("/en/accounts/login/")

    assert response.status_code == 200
    links = switcher_links(soup(response))
    assert links == {language: f"/{language}/accounts/login/" for language in LANGUAGES}


def test_language_switcher_from_an_arabic_page(client):
    links = switcher_links(soup(client.get("/ar/events/")))

    assert links["en"] == "/en/events/"
    assert links["zh-hans"] == "/zh-hans/events/"


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_page_not_found_uses_the_site_template(client, language):
    response = client.get(f"/{language}/no-such-page-here/")

    assert response.status_code == 404
    document = soup(response)
    assert document.html["lang"] == language
    assert document.html["dir"] == ("rtl" if language == "ar" else "ltr")
    assert document.select_one("a.skip-link[href='#main']") is not None
    assert document.select_one("nav.language-switcher") is not None
    assert document.select_one("main h1") is not None


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("fr", "ltr"), ("ar", "rtl")])
def test_server_error_page(language, direction):
    from cms.views import server_error

    request = RequestFactory().get(f"/{language}/")
    with translation.override(language):
        response = server_error(request)

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    document = soup(response)
    assert document.html["lang"] == language
    assert document.html["dir"] == direction
    assert document.select_one("main h1") is not None


def test_server_error_handler_is_wired():
    from django.urls import get_resolver

    from cms.views import server_error

    assert get_resolver().resolve_error_handler(500) is server_error


def menu_marks(response) -> dict[str, str]:
    """The main menu's items marked current, by their address: "page" or "true" (its section)."""
    nav = soup(response).select_one("nav.main-nav")
    return {link["href"]: link["aria-current"] for link in nav.select("a[aria-current]")}


def test_the_menu_marks_the_page_or_its_section_whatever_was_served_before(client):
    from tests.records.factories import NeedFactory, country

    record = NeedFactory(title="Marked need", countries=[country("FR")])
    expected = {
        "/en/records/": {"/en/records/": "page"},
        record.url: {"/en/records/": "true"},
        "/en/events/": {"/en/events/": "page"},
        "/en/": {"/en/": "page"},
        "/en/search/?q=forest": {},
    }
    for _round in range(2):  # the second time from the kept menus
        for url, marks in expected.items():
            assert menu_marks(client.get(url)) == marks, url


def test_a_page_missing_a_language_links_the_address_asked_in_that_language(client):
    from wagtail.models import Locale

    from tests.records.factories import NeedFactory, country

    record = NeedFactory(title="English only", countries=[country("FR")])
    for query in ("?page=2", "?page=3"):
        links = switcher_links(soup(client.get(f"{record.url}{query}")))
        assert links["fr"] == f"/fr/records/{record.slug}/{query}", query
    french = record.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.slug = "besoin-en-francais"
    french.save_revision().publish()
    links = switcher_links(soup(client.get(record.url)))
    assert links["fr"] == "/fr/records/besoin-en-francais/"  # its translation, as soon as it is published
    assert links["en"] == record.url
