"""The Networks directory and network pages as visitors see them: filters, the map of member
organisations, members with roles, linked events and records, languages and query budgets."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.events.factories import EventFactory, PastConferenceFactory
from tests.records.factories import DocumentRecordFactory

from .factories import (
    ExpertProfileFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    country,
    region,
    subject,
    target,
)

pytestmark = pytest.mark.django_db

LISTING_BUDGET = 45  # 43 measured: about 20 for the site frame
DETAIL_BUDGET = 50  # 46 measured for a signed-in visitor (session, user, permissions, join state)


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def titles(response) -> list[str]:
    return [node.get_text(strip=True) for node in soup(response).select(".network-card .card-title")]


@pytest.fixture
def sample(index):
    """A global network, a regional African community of practice, a national Kenyan partnership."""
    return {
        "global": NetworkFactory(title="Global IAS network"),
        "african": NetworkFactory(
            title="African restoration community",
            kind="community-of-practice",
            scope="regional",
            regions=[region("002")],
            gbf_targets=[target(2)],
            subjects=[subject("SUBJ-RESTO")],
            established=None,
        ),
        "kenyan": NetworkFactory(
            title="Kenyan data partnership",
            kind="partnership",
            scope="national",
            countries=[country("KE")],
            gbf_targets=[target(21)],
            subjects=[subject("SUBJ-MONITOR")],
            established=datetime.date(2021, 3, 1),
        ),
    }


def test_directory_lists_networks_by_name_with_member_counts(client, index, sample):
    MembershipFactory(network=sample["kenyan"])
    MembershipFactory(network=sample["kenyan"])
    MembershipFactory(network=sample["kenyan"], status="pending")

    response = client.get(index.url)

    assert titles(response) == ["African restoration community", "Global IAS network", "Kenyan data partnership"]
    cards = {card.select_one(".card-title").get_text(strip=True): card for card in soup(response).select(".card")}
    assert "2 members" in cards["Kenyan data partnership"].get_text()
    assert "0 members" in cards["Global IAS network"].get_text()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"type": "community-of-practice"}, ["african"]),
        ({"type": "partnership"}, ["kenyan"]),
        ({"scope": "global"}, ["global"]),
        ({"scope": "national"}, ["kenyan"]),
        ({"region": "002"}, ["african", "kenyan"]),  # directly, and through Kenya
        ({"region": "014"}, ["kenyan"]),  # Eastern Africa: only through Kenya
        ({"target": "GBF-T2"}, ["african"]),
        ({"subject": "SUBJ-MONITOR"}, ["kenyan"]),
        ({"country": "KE"}, ["kenyan"]),
        ({"year": "2021"}, ["kenyan"]),
    ],
)
def test_each_filter(client, index, sample, query, expected):
    assert titles(client.get(index.url, query)) == sorted(sample[name].title for name in expected)


def test_facets_offer_kinds_scopes_and_regions_with_counts(client, index, sample):
    document = soup(client.get(index.url))

    def options(name):
        return {o["value"]: o.get_text() for o in document.select(f"#filter-{name} option") if o["value"]}

    assert options("type") == {
        "network": "Network (1)",
        "community-of-practice": "Community of practice (1)",
        "partnership": "Partnership (1)",
    }
    assert options("scope")["regional"] == "Regional (1)"
    assert options("region")["002"] == "Africa (2)"


def test_scope_chip_shows_its_label_and_bad_scope_is_reported(client, index, sample):
    chips = soup(client.get(index.url, {"scope": "regional"})).select(".chips .chip")
    errors = soup(client.get(index.url, {"scope": "galactic"})).select_one(".form-errors")

    assert "Scope: Regional" in chips[0].get_text()
    assert "galactic" in errors.get_text()


def test_sort_by_establishment(client, index, sample):
    newest = titles(client.get(index.url, {"sort": "newest"}))

    assert newest == ["Kenyan data partnership", "Global IAS network", "African restoration community"]


def test_map_shows_located_member_organisations_of_the_listed_networks(client, index, sample):
    located = OrganisationFactory(title="Nairobi Institute")
    elsewhere = OrganisationFactory(title="Unlocated", latitude=None, longitude=None)
    MembershipFactory(network=sample["kenyan"], organisation=located)
    MembershipFactory(network=sample["kenyan"], organisation=elsewhere)
    MembershipFactory(network=sample["global"], organisation=OrganisationFactory(title="Pending org"), status="pending")

    document = soup(client.get(index.url))
    filtered = soup(client.get(index.url, {"scope": "global"}))

    markers = json.loads(document.select_one("#networks-map-markers").string)
    assert [marker["title"] for marker in markers] == ["Nairobi Institute"]
    assert markers[0]["url"] == located.url
    assert "Nairobi Institute" in document.select_one("details.map-list").get_text()
    assert filtered.select_one("#networks-map") is None


def test_network_page_shows_members_roles_events_and_records(client, index):
    network = NetworkFactory(title="Pollinator network", regions=[region("150")], countries=[country("FR")])
    MembershipFactory(network=network, role="coordinator", organisation=OrganisationFactory(title="Bee Institute"))
    MembershipFactory(network=network, organisation=None, expert=ExpertProfileFactory(title="Dr Apis"), role="observer")
    MembershipFactory(network=network, status="pending", organisation=OrganisationFactory(title="Hopeful"))
    upcoming, past = EventFactory(title="Pollinator week"), PastConferenceFactory(title="Bee summit")
    document_record = DocumentRecordFactory(title="Pollinator guidelines")
    network.linked_events.set([upcoming, past])
    network.linked_records.set([document_record])
    network.save()

    document = soup(client.get(network.url))

    members = [item.get_text(" ", strip=True) for item in document.select("ul.members li")]
    assert members[0].startswith("Bee Institute Coordinator")
    assert members[1].startswith("Dr Apis Observer")
    assert "Hopeful" not in document.select_one("ul.members").get_text()
    assert [node.get_text(strip=True) for node in document.select(".event-card .card-title")] == [
        "Bee summit",
        "Pollinator week",
    ]
    assert "Pollinator guidelines" in document.select_one("#records-title").find_parent("section").get_text()
    metadata = document.select_one("dl.metadata").get_text(" ", strip=True)
    assert "Focal areas" in metadata and "Invasive alien species" in metadata
    assert "Europe" in metadata and "France" in metadata
    markers = json.loads(document.select_one("#network-map-markers").string)
    assert [marker["title"] for marker in markers] == ["Bee Institute"]
    data = json.loads(document.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Organization" and len(data["member"]) == 2
    assert document.select_one('meta[property="og:title"]')["content"] == "Pollinator network"


def test_network_pages_in_french_and_arabic(client, index, translate_to):
    network = NetworkFactory(title="Pollinator network")
    MembershipFactory(network=network, organisation=OrganisationFactory(title="Bee Institute"))
    french = translate_to(network, "fr", title="Réseau des pollinisateurs", draft_title="Réseau des pollinisateurs")
    arabic = translate_to(network, "ar", alias=True)

    french_page = soup(client.get(french.url))
    arabic_page = soup(client.get(arabic.url))
    french_index = soup(client.get(french.get_parent().url))

    assert french_page.select_one("html")["lang"] == "fr"
    assert french_page.select_one("h1").get_text(strip=True) == "Réseau des pollinisateurs"
    assert "Bee Institute" in french_page.select_one("ul.members").get_text()
    assert arabic_page.select_one("html")["dir"] == "rtl"
    assert "Bee Institute" in arabic_page.select_one("ul.members").get_text()
    assert "Réseau des pollinisateurs" in [n.get_text(strip=True) for n in french_index.select(".card-title")]


def test_user_text_is_escaped(client, index):
    network = NetworkFactory(title="<img src=x onerror=alert(1)>", summary="<script>alert(2)</script>")

    body = client.get(network.url).content.decode()

    assert "<script>alert(2)</script>" not in body and "<img src=x" not in body


# --- query budgets ------------------------------------------------------------------------------------
def count_queries(client, url, params=None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), response


def add_networks(count: int, prefix: str) -> None:
    for number in range(count):
        network = NetworkFactory(slug=f"{prefix}-{number}", countries=[country("KE")], regions=[region("002")])
        MembershipFactory(network=network)


def test_directory_costs_the_same_queries_for_10_and_100_networks(client, index):
    add_networks(10, "few")
    few, response = count_queries(client, index.url, {"per_page": 100})
    assert len(soup(response).select(".network-card")) == 10
    add_networks(90, "many")

    many, response = count_queries(client, index.url, {"per_page": 100})

    assert len(soup(response).select(".network-card")) == 100
    assert len(json.loads(soup(response).select_one("#networks-map-markers").string)) == 100
    assert many == few <= LISTING_BUDGET


def test_network_page_costs_the_same_queries_for_2_and_20_members_and_1_and_5_events(client, index, make_user):
    small, large = NetworkFactory(), NetworkFactory()
    MembershipFactory(network=small)
    MembershipFactory(network=small, organisation=None, expert=ExpertProfileFactory())
    for number in range(20):
        if number % 4:
            MembershipFactory(network=large)
        else:
            MembershipFactory(network=large, organisation=None, expert=ExpertProfileFactory())
    events = [EventFactory() for _ in range(5)]
    large.linked_events.set(events)
    large.save()
    small.linked_events.set(events[:1])
    small.save()
    client.force_login(make_user("someone"))

    client.get(small.url)  # the site frame is read once, then cached until the content changes
    client.get(large.url)
    small_count, _ = count_queries(client, small.url)
    large_count, _ = count_queries(client, large.url)

    assert small_count == large_count <= DETAIL_BUDGET
