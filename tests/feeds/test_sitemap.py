"""``/sitemap.xml`` lists every language's pages with hreflang alternates; ``/robots.txt`` points at it."""

from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree as ET
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content_types.base.translations import ensure_aliases
from tests.records.factories import NeedFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
LANGUAGES = {"ar", "en", "es", "fr", "ru", "zh-hans"}


@pytest.fixture
def record_in_six_languages(site_pages, translate_to):
    """A record written in English, translated into French and shown as an alias in the four others."""
    need = NeedFactory(title="Seagrass restoration need")
    translate_to(need, "fr", title="Besoin de restauration des herbiers")
    ensure_aliases(need)
    return need


def sitemap_entries(client) -> dict[str, dict[str, str]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "sitemap" in response.headers["xkey"].split()
    root = ET.fromstring(response.content)
    entries = {}
    for url in root.findall("sm:url", NS):
        location = url.find("sm:loc", NS).text
        entries[location] = {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", NS)
            if link.get("rel") == "alternate"
        }
    return entries


def test_the_sitemap_covers_every_language_with_alternates(client, record_in_six_languages):
    entries = sitemap_entries(client)
    record_urls = [location for location in entries if "/records/" in location and location.rstrip("/").count("/") > 4]

    assert {urlsplit(location).path.split("/")[1] for location in record_urls} == LANGUAGES
    for location in record_urls:
        alternates = entries[location]
        assert set(alternates) == LANGUAGES | {"x-default"}
        assert alternates["x-default"] == alternates["en"]
        assert location in alternates.values()
    homes = [location for location in entries if urlsplit(location).path.count("/") == 2]
    assert {urlsplit(location).path for location in homes} == {f"/{code}/" for code in LANGUAGES}


def test_every_hreflang_link_of_the_sitemap_answers(client, record_in_six_languages):
    entries = sitemap_entries(client)
    links = {href for alternates in entries.values() for href in alternates.values()} | set(entries)

    assert len(links) > 6 * 5
    failures = {}
    for link in sorted(links):
        response = client.get(urlsplit(link).path)
        if response.status_code != 200:
            failures[link] = response.status_code
    assert failures == {}


def test_an_unpublished_record_leaves_the_sitemap(client, record_in_six_languages):
    record_in_six_languages.unpublish()
    entries = sitemap_entries(client)
    assert not [location for location in entries if "seagrass" in location.lower()]


def test_the_sitemap_costs_a_bounded_number_of_queries(client, record_in_six_languages, django_assert_max_num_queries):
    for number in range(5):
        ensure_aliases(NeedFactory(title=f"Need {number}"))
    with django_assert_max_num_queries(15):
        assert client.get("/sitemap.xml").status_code == 200


def _sitemap_queries(client) -> int:
    from cms import content_version

    # A first request fills what a running server holds already (Wagtail's sites, the locales):
    # otherwise only the first count pays for it. The body is cached until the content changes:
    # built again under new versions.
    assert client.get("/sitemap.xml").status_code == 200
    content_version.start_afresh()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
    return len(queries)


def test_the_sitemap_costs_the_same_queries_for_3_and_12_records(client, site_pages):
    for number in range(3):
        ensure_aliases(NeedFactory(title=f"Need {number}"))
    with_three = _sitemap_queries(client)
    for number in range(3, 12):
        ensure_aliases(NeedFactory(title=f"Need {number}"))
    with_twelve = _sitemap_queries(client)

    assert with_twelve == with_three
    assert with_three <= 8


def test_the_sitemap_is_served_from_the_cache_until_the_content_changes(client, record_in_six_languages):
    first = client.get("/sitemap.xml").content
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").content == first
    assert not [query for query in queries if 'FROM "wagtailcore_page"' in query["sql"]]

    newer = NeedFactory(title="A newer need")  # saving a page retires the cached body
    assert newer.live and newer.get_full_url().encode() in client.get("/sitemap.xml").content


def test_sitemap_addresses_are_wagtails_own(client, record_in_six_languages):
    from wagtail.models import Page

    entries = sitemap_entries(client)
    expected = {page.get_full_url() for page in Page.objects.live().public().filter(depth__gt=1)}
    assert set(entries) == expected


def test_a_sitemap_page_past_the_last_is_not_found(client, record_in_six_languages):
    assert client.get("/sitemap.xml?p=2").status_code == 404
    assert client.get("/sitemap.xml?p=x").status_code == 404
    assert client.get("/sitemap.xml?p=1").status_code == 200


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_private_paths(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    disallowed = {line.split(": ", 1)[1] for line in lines if line.startswith("Disallow: ")}
    assert {"/admin/", "/api/v1/submissions/"} <= disallowed
    for code in LANGUAGES:
        assert {f"/{code}/workspace/", f"/{code}/search/?"} <= disallowed
    assert "/" not in disallowed and "/en/records/" not in disallowed


def test_robots_txt_refuses_other_methods(client):
    assert client.post("/robots.txt").status_code == 405


def test_each_address_says_the_day_of_its_last_change_in_the_site_s_time_zone(client, site_pages, settings):
    """``<lastmod>`` is the day of the page's last publication where the site is (its time zone), and the
    sitemap's ``Last-Modified`` the newest publication it lists, to the second."""
    import datetime

    from django.utils.http import http_date
    from wagtail.models import Page

    need = NeedFactory(title="Late-night publication", slug="late-night-publication")
    published = datetime.datetime(2026, 3, 9, 23, 30, 15, tzinfo=datetime.UTC)  # 10 March in Nairobi
    Page.objects.filter(pk=need.pk).update(last_published_at=published)
    Page.objects.exclude(pk=need.pk).update(last_published_at=published - datetime.timedelta(days=30))
    settings.TIME_ZONE = "Africa/Nairobi"

    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    days = {url.find("sm:loc", NS).text: url.find("sm:lastmod", NS).text for url in root.findall("sm:url", NS)}
    (location,) = [location for location in days if location.endswith("/late-night-publication/")]
    assert days[location] == "2026-03-10"
    assert set(days.values()) == {"2026-03-10", "2026-02-08"}
    assert response["Last-Modified"] == http_date(published.timestamp())
