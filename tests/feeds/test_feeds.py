"""RSS and Atom feeds per section and per saved filter, advertised on the listings and the home page."""

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content_types.news.models import NewsArticlePage
from content_types.records.models import NeedPage
from tests.listings.conftest import FULL_QUERIES, listed  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

SECTIONS = {"records": "/en/records/", "events": "/en/events/", "networks": "/en/networks/"}


def parse(response):
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_section_feed_parses_and_lists_its_pages(client, listed, section, kind):  # noqa: F811
    response = client.get(f"{SECTIONS[section]}feed/{kind}/")
    feed = parse(response)

    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    titles = {entry.title for entry in feed.entries}
    assert {item.title for item in listed[section]} <= titles
    assert response.headers["xkey"].split() and "feeds" in response.headers["xkey"].split()
    assert feed.feed.get("language", "en") == "en"
    for entry in feed.entries:
        assert entry.link.startswith("http")


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("section", list(SECTIONS))
def test_a_saved_filter_is_a_feed_of_what_it_matches(client, listed, section, kind):  # noqa: F811
    query = FULL_QUERIES[section]
    if section == "events":  # the feed shows past and upcoming events alike: no year filter needed
        query = query.split("&year=")[0]
    feed = parse(client.get(f"{SECTIONS[section]}feed/{kind}/?{query}"))

    assert [entry.title for entry in feed.entries] == [listed[section][0].title]
    assert "?" in feed.feed.link and "country=FR" in feed.feed.link


def test_an_unknown_code_is_not_applied_and_not_an_error(client, listed):  # noqa: F811
    feed = parse(client.get("/en/records/feed/rss/?country=ZZ&type=nonsense"))
    assert {entry.title for entry in feed.entries} >= {"French need", "Kenyan institute"}


def test_news_feed_in_another_language_carries_each_items_language(client, site_pages, translate_to):
    news = site_pages["news"]
    article = NewsArticlePage(title="Launch of the portal", slug="launch", summary="The portal opens.")
    news.add_child(instance=article)
    article.save_revision().publish()
    french_news = translate_to(news, "fr")
    translate_to(article, "fr", title="Lancement du portail", summary="Le portail ouvre.")
    original = NewsArticlePage(title="Only in English", slug="only-english", summary="Untranslated.")
    news.add_child(instance=original)
    original.save_revision().publish()
    translate_to(original, "fr", alias=True)

    rss = parse(client.get(french_news.url + "feed/rss/"))
    atom = parse(client.get(french_news.url + "feed/atom/"))

    assert rss.feed.language == "fr"
    by_title = {entry.title: entry for entry in rss.entries}
    assert by_title["Lancement du portail"].language == "fr"
    assert by_title["Only in English"].language == "en"  # an alias is marked with its original's language
    languages = {entry.title: entry.title_detail.language for entry in atom.entries}
    assert languages == {"Lancement du portail": "fr", "Only in English": "en"}
    assert all("/fr/" in entry.link for entry in atom.entries)


def test_listings_advertise_their_feeds_with_the_active_filter(client, listed):  # noqa: F811
    page = BeautifulSoup(client.get("/en/records/?type=need&country=FR&per_page=5").content, "html.parser")
    links = {link["type"]: link["href"] for link in page.select('link[rel="alternate"]')}

    assert links["application/rss+xml"] == "/en/records/feed/rss/?type=need&country=FR"
    assert links["application/atom+xml"] == "/en/records/feed/atom/?type=need&country=FR"
    for href in links.values():
        assert client.get(href).status_code == 200


def test_the_events_listing_advertises_its_calendar_too(client, listed):  # noqa: F811
    page = BeautifulSoup(client.get("/en/events/?country=FR").content, "html.parser")
    types = {link["type"]: link["href"] for link in page.select('link[rel="alternate"]')}

    assert types["text/calendar"] == "/en/events/calendar/?country=FR"
    assert types["application/rss+xml"] == "/en/events/feed/rss/?country=FR"
    assert client.get(types["text/calendar"]).status_code == 200


def test_the_home_page_advertises_every_sections_feeds(client, listed):  # noqa: F811
    page = BeautifulSoup(client.get("/fr/").content, "html.parser")
    hrefs = {link["href"] for link in page.select('link[rel="alternate"][type="application/rss+xml"]')}

    assert hrefs == {f"/fr/{section}/feed/rss/" for section in ("records", "events", "networks", "news")}
    for href in hrefs:
        parse(client.get(href))


def test_feed_queries_do_not_grow_with_the_number_of_items(client, listed, django_assert_max_num_queries):  # noqa: F811
    for number in range(10):
        NeedPage.objects.get(pk=listed["records"][0].pk).copy(
            update_attrs={"title": f"Need {number}", "slug": f"feed-copy-{number}", "identifier": ""}
        )
    with django_assert_max_num_queries(25):
        feed = parse(client.get("/en/records/feed/atom/"))
    assert len(feed.entries) >= 2


def _queries(client, url) -> int:
    """The queries of ``url`` with no fragment cached (new records and events leave the route cached).
    A first request fills what a running server holds already (Wagtail's sites, the locales, the
    translated locales): otherwise only the first count pays for it."""
    from cms import content_version

    assert client.get(url).status_code == 200
    content_version.start_afresh()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/en/records/feed/rss/", "/en/records/feed/atom/", "/en/events/calendar/"])
def test_feeds_cost_the_same_queries_for_3_and_12_items(client, listed, url):  # noqa: F811
    from tests.events.factories import EventFactory

    def add(first, last):
        for number in range(first, last):
            NeedPage.objects.get(pk=listed["records"][0].pk).copy(
                update_attrs={"title": f"Need {number}", "slug": f"feed-copy-{number}", "identifier": ""}
            )
            EventFactory(title=f"Event {number}")

    add(0, 3)
    with_three = _queries(client, url)
    add(3, 12)
    with_twelve = _queries(client, url)

    assert with_twelve == with_three
