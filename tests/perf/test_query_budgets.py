"""Query budgets of the public pages, and proof that they stay flat as content grows.

Each page type is requested with a few items and again with many (the same filters, page sizes of 10
and 100): the number of queries must stay within the page's budget both times and must not grow.
Requests after the first of a listing are answered partly from the cache (facets, map, site frame),
as a running server's are; the first request, with every cache cold, has a budget of its own.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from content_types.news.models import NewsArticlePage
from tests.events.factories import EventFactory, PastConferenceFactory
from tests.networks.factories import MembershipFactory, NetworkFactory
from tests.records.factories import RECORD_FACTORIES, OrganisationFactory, ProjectFactory, country, target

pytestmark = pytest.mark.django_db

DETAIL_BUDGET = 15  # a record, an event, a news article
NETWORK_PAGE_BUDGET = DETAIL_BUDGET  # a network page: its members, join state and events are cached with it
LISTING_BUDGET = 20  # the records, events, networks and news listings, the home page
COLD_LISTING_BUDGET = 40  # the same with every cache empty (facets counted, frame read)
COLD_DETAIL_BUDGET = 30  # a record, event or network page with every cache empty (27-29 today)
FEW, MANY = 5, 40


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def warm_queries(client, url) -> int:
    """Queries of a request whose cacheable parts were computed by the one before it."""
    queries(client, url)
    return queries(client, url)


def add_records(count: int, start: int = 0) -> None:
    factories = list(RECORD_FACTORIES.values())
    for number in range(start, start + count):
        factory = factories[number % len(factories)]
        factory(
            title=f"Record {number:03d}",
            countries=[country(("FR", "KE", "BR", "IN")[number % 4])],
            gbf_targets=[target(1 + number % 23)],
            publication_date=datetime.date(2015 + number % 10, 1 + number % 12, 1),
        )


def add_events(count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        factory = EventFactory if number % 3 else PastConferenceFactory
        factory(title=f"Event {number:03d}", countries=[country(("FR", "KE", "BR")[number % 3])])


def add_networks(count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        network = NetworkFactory(title=f"Network {number:03d}")
        member = OrganisationFactory(title=f"Member {number:03d}")
        MembershipFactory(network=network, organisation=member)


def add_news(index, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        article = NewsArticlePage(
            title=f"News {number:03d}",
            slug=f"news-{number:03d}",
            summary=f"What happened, part {number}.",
            date=datetime.date(2025, 1, 1 + number % 28),
        )
        index.add_child(instance=article)


def assert_flat(client, urls, grow, budget, cold_budget=None):
    """Each url within ``budget`` queries with FEW items and with MANY, and no more with MANY."""
    grow(FEW, 0)
    few = {url: warm_queries(client, url) for url in urls}
    grow(MANY - FEW, FEW)
    if cold_budget is not None:
        for url in urls:
            assert queries(client, url) <= cold_budget, url
    many = {url: warm_queries(client, url) for url in urls}
    for url in urls:
        assert few[url] <= budget, (url, few[url])
        assert many[url] <= few[url], (url, few[url], many[url])


def test_records_listing_is_within_budget_and_flat(client, site_pages):
    index = site_pages["records"].url
    urls = [f"{index}?per_page=10", f"{index}?per_page=100", f"{index}?country=KE&per_page=10"]
    assert_flat(client, urls, add_records, LISTING_BUDGET, COLD_LISTING_BUDGET)


def test_records_map_markers_are_within_budget_and_flat(client, site_pages):
    url = f"{site_pages['records'].url}markers/?country=FR"

    def grow(count, start):
        for number in range(start, start + count):
            factory = OrganisationFactory if number % 2 else ProjectFactory
            factory(title=f"Located {number:03d}", countries=[country("FR")])

    assert_flat(client, [url], grow, LISTING_BUDGET)


def test_events_listing_is_within_budget_and_flat(client, site_pages):
    index = site_pages["events"].url
    urls = [f"{index}?per_page=10", f"{index}?per_page=100", f"{index}past/?per_page=10"]
    assert_flat(client, urls, add_events, LISTING_BUDGET, COLD_LISTING_BUDGET)


def test_networks_listing_is_within_budget_and_flat(client, site_pages):
    index = site_pages["networks"].url
    urls = [f"{index}?per_page=10", f"{index}?per_page=100"]
    assert_flat(client, urls, add_networks, LISTING_BUDGET, COLD_LISTING_BUDGET)


def test_news_listing_and_home_are_within_budget_and_flat(client, site_pages):
    index = site_pages["news"]
    urls = [index.url, f"{index.url}?page=2", site_pages["home"].url]
    assert_flat(client, urls, lambda count, start: add_news(index, count, start), LISTING_BUDGET)


@pytest.mark.parametrize("code", list(RECORD_FACTORIES))
def test_record_page_is_within_budget_whatever_the_content(client, site_pages, code):
    record = RECORD_FACTORIES[code](title="Measured record", countries=[country("FR")], gbf_targets=[target(3)])
    few = warm_queries(client, record.url)
    add_records(MANY)
    many = warm_queries(client, record.url)
    assert few <= DETAIL_BUDGET and many <= few, (few, many)


def test_event_page_is_within_budget_whatever_the_content(client, site_pages):
    event = EventFactory(title="Measured event", countries=[country("KE")])
    few = warm_queries(client, event.url)
    add_events(MANY)
    many = warm_queries(client, event.url)
    assert few <= DETAIL_BUDGET and many <= few, (few, many)


def test_network_and_news_pages_are_within_budget_whatever_the_content(client, site_pages):
    network = NetworkFactory(title="Measured network")
    MembershipFactory(network=network, organisation=OrganisationFactory(title="Measured member"))
    add_news(site_pages["news"], 1)
    article = Page.objects.type(NewsArticlePage).live().first()
    urls = [network.url, article.url]
    few = {url: warm_queries(client, url) for url in urls}
    add_networks(MANY)
    add_news(site_pages["news"], MANY, 1)
    budgets = {network.url: NETWORK_PAGE_BUDGET, article.url: DETAIL_BUDGET}
    for url in urls:
        many = warm_queries(client, url)
        assert few[url] <= budgets[url] and many <= few[url], (url, few[url], many)


def test_detail_pages_with_every_cache_empty_are_within_their_budget(client, site_pages):
    """A record, an event and a network page, each first request after the shared cache was emptied
    (a deploy, a cache restart): route, frame (navigation, footer, portal texts, languages), parts and
    vocabularies all read afresh, within a budget of their own."""
    from django.core.cache import cache

    from cms import content_version

    record = RECORD_FACTORIES["need"](title="Cold need", countries=[country("KE")], gbf_targets=[target(3)])
    event = EventFactory(title="Cold event")
    network = NetworkFactory(title="Cold network")
    MembershipFactory(network=network, organisation=OrganisationFactory(title="Cold member"))
    network.linked_events.set([event])
    network.save()
    for url in (record.url, event.url, network.url):
        queries(client, url)  # what a running process holds (Wagtail's sites, the locales) is held
        cache.clear()
        content_version.forget_local()
        assert queries(client, url) <= COLD_DETAIL_BUDGET, url


def test_a_publication_is_seen_at_once_on_cached_pages(client, site_pages):
    """The cached parts (facets, map, navigation) are retired when content is published."""
    index = site_pages["records"].url
    add_records(3)
    client.get(index)
    OrganisationFactory(title="Freshly published", countries=[country("IN")])
    response = client.get(index)
    facet = next(facet for facet in response.context["facets"] if facet.name == "country")
    assert {option.value: option.count for option in facet.options}["IN"] == 1 + 0  # add_records(3): FR, KE, BR
    assert "Freshly published" in response.content.decode()


def _cards(html: str) -> str:
    """The page from its list of results on (cards, pagination, map), without the request's nonces."""
    return re.sub(r' nonce="[^"]*"', "", html[html.index('<ul class="cards"') :])


@pytest.mark.parametrize(
    ("section", "grow", "relation_table"),
    [
        ("records", add_records, "records_recordpage_countries"),
        ("events", add_events, "events_eventpage_countries"),
        ("networks", add_networks, None),  # its map of members still reads the networks' countries
    ],
)
def test_a_listing_whose_cards_are_cached_loads_no_result(client, site_pages, section, grow, relation_table):
    """Cards found in the cache are output as they were rendered: the results are not loaded, their
    relations not prefetched; the page reads only their ids."""
    grow(12, 0)
    url = f"{site_pages[section].url}?per_page=100"
    cold = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as captured:
        warm = client.get(url).content.decode()
    assert _cards(warm) == _cards(cold)
    assert _cards(warm).count('class="card ') == (8 if section == "events" else 12)  # events: upcoming only
    sql = [query["sql"] for query in captured]
    assert relation_table is None or not [query for query in sql if relation_table in query], sql
    # A change retires every card: the next request renders them again, with the change.
    first = Page.objects.get(title={"records": "Record 000", "events": "Event 001"}.get(section, "Network 000"))
    first = first.specific
    first.title = f"Renamed {section}"
    first.save_revision().publish()
    assert f"Renamed {section}" in _cards(client.get(url).content.decode())


# --- the same number of queries with 2 items and with 12 ------------------------------------------
def same_with_2_and_12(client, urls, grow, budget) -> dict:
    """Each url's warm queries with 2 items and with 12: within ``budget`` and equal."""
    grow(2, 0)
    two = {url: warm_queries(client, url) for url in urls}
    grow(10, 2)
    twelve = {url: warm_queries(client, url) for url in urls}
    for url in urls:
        assert two[url] <= budget and twelve[url] == two[url], (url, two[url], twelve[url])
    return two


def test_home_and_news_listing_cost_the_same_with_2_and_12_articles(client, site_pages):
    index = site_pages["news"]
    urls = [site_pages["home"].url, index.url, f"{index.url}?page=2"]
    same_with_2_and_12(client, urls, lambda count, start: add_news(index, count, start), LISTING_BUDGET)


def test_networks_listing_costs_the_same_with_2_and_12_networks(client, site_pages):
    """Cards and the number of members on the map come from the cache; the markers and the list of
    members are at their own addresses: nothing grows with them."""
    index = site_pages["networks"].url
    urls = [
        f"{index}?per_page=10",
        f"{index}?per_page=100",
        f"{index}?type=network&per_page=100",
        f"{index}markers/?type=network",
        f"{index}members/",
    ]
    same_with_2_and_12(client, urls, add_networks, LISTING_BUDGET)


def test_expert_profile_costs_the_same_with_2_and_12_experts(client, site_pages, submitter):
    """Cached once for members and once for everybody else; both stay within the detail budget."""
    from tests.records.factories import ExpertProfileFactory

    expert = ExpertProfileFactory(title="Measured expert", countries=[country("SN")])

    def grow(count, start):
        for number in range(start, start + count):
            ExpertProfileFactory(title=f"Expert {number:03d}", organisation=OrganisationFactory())

    grow(2, 0)
    anonymous = warm_queries(client, expert.url)
    client.force_login(submitter)
    member = warm_queries(client, expert.url)
    grow(10, 2)
    assert warm_queries(client, expert.url) == member
    client.logout()
    assert warm_queries(client, expert.url) == anonymous <= DETAIL_BUDGET


def test_news_cards_found_in_the_cache_load_no_article(client, site_pages):
    index = site_pages["news"]
    add_news(index, 12)
    cold = client.get(index.url).content.decode()
    with CaptureQueriesContext(connection) as captured:
        warm = client.get(index.url).content.decode()
    assert _cards(warm) == _cards(cold) and _cards(warm).count('class="card"') == 12
    assert not [query for query in captured if '"news_newsarticlepage"."summary"' in query["sql"]]  # ids only
    article = NewsArticlePage.objects.get(slug="news-000")
    article.title = "Renamed news"
    article.save_revision().publish()
    assert "Renamed news" in _cards(client.get(index.url).content.decode())
