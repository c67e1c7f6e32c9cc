"""The Networks directory and network pages as visitors see them: filters, the map of member
organisations, members with roles, linked events and records, languages and query budgets."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.events.factories import EventFactory, PastConferenceFactory
from tests.listings.test_maps import map_markers, markers_made
from tests.records.factories import DocumentRecordFactory

from .factories import (
    ExpertProfileFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    country,
    networks_index,
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

    assert document.select_one("#networks-map-markers") is None  # fetched by the map, not in the page
    assert document.select_one("#networks-map")["data-markers-url"] == f"{index.url}markers/"
    markers = map_markers(client, document, "networks-map")
    assert [marker["title"] for marker in markers] == ["Nairobi Institute"]
    assert markers[0]["url"] == located.url
    assert (markers[0]["lat"], markers[0]["lon"]) == (pytest.approx(-1.2921), pytest.approx(36.8219))
    assert "Nairobi Institute" not in document.get_text()  # neither on the map nor as a list in the page
    members = soup(client.get(document.select_one("p.map-list a")["href"]))
    assert [link.get_text() for link in members.select(".member-list a")] == ["Nairobi Institute"]
    assert filtered.select_one("#networks-map") is None


def member_titles(response) -> list[str]:
    return [link.get_text(strip=True) for link in soup(response).select(".member-list a")]


def test_markers_and_members_list_follow_the_filters(client, index, sample):
    MembershipFactory(network=sample["kenyan"], organisation=OrganisationFactory(title="Nairobi Institute"))
    MembershipFactory(network=sample["african"], organisation=OrganisationFactory(title="Dakar Institute"))

    document = soup(client.get(index.url, {"scope": "national", "sort": "newest", "per_page": 10}))

    assert document.select_one("#networks-map")["data-markers-url"] == f"{index.url}markers/?scope=national"
    assert [marker["title"] for marker in map_markers(client, document, "networks-map")] == ["Nairobi Institute"]
    members_url = document.select_one("p.map-list a")["href"]
    assert members_url == f"{index.url}members/?scope=national"
    members = client.get(members_url)
    assert member_titles(members) == ["Nairobi Institute"]
    assert soup(members).select_one(f'a[href="{index.url}?scope=national"]') is not None  # back to the networks
    assert member_titles(client.get(f"{index.url}members/")) == ["Dakar Institute", "Nairobi Institute"]


def test_markers_refuse_nothing_public_and_show_nothing_unpublished_or_private(client, index, sample):
    from wagtail.models import PageViewRestriction

    shown = OrganisationFactory(title="Public institute", latitude=Decimal("48.8566"), longitude=Decimal("2.3522"))
    draft = OrganisationFactory(title="Draft institute", live=False)
    private = OrganisationFactory(title="Private institute")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    hidden_network = NetworkFactory(title="Private network")
    PageViewRestriction.objects.create(page=hidden_network, restriction_type=PageViewRestriction.LOGIN)
    draft_network = NetworkFactory(title="Draft network", live=False)
    for organisation in (shown, draft, private):
        MembershipFactory(network=sample["global"], organisation=organisation)
    MembershipFactory(network=sample["global"], organisation=OrganisationFactory(title="Declined"), status="declined")
    MembershipFactory(network=hidden_network, organisation=OrganisationFactory(title="Behind a login"))
    MembershipFactory(network=draft_network, organisation=OrganisationFactory(title="In a draft network"))

    for query in ("", "?scope=global", "?scope=galactic", "?country=ZZ&page=x"):  # bad filters are not applied
        response = client.get(f"{index.url}markers/{query}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        assert response.json() == {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [2.3522, 48.8566]},
                    "properties": {"title": "Public institute", "url": shown.url, "label": "BI"},
                }
            ],
        }
        assert member_titles(client.get(f"{index.url}members/{query}")) == ["Public institute"]


def test_markers_answer_not_modified_until_the_content_changes(client, index, sample):
    MembershipFactory(network=sample["global"], organisation=OrganisationFactory(title="First"))
    first = client.get(f"{index.url}markers/")
    assert first["ETag"]
    assert client.get(f"{index.url}markers/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(f"{index.url}markers/?scope=global")["ETag"] != first["ETag"]

    MembershipFactory(network=sample["global"], organisation=OrganisationFactory(title="Second"))

    second = client.get(f"{index.url}markers/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert [feature["properties"]["title"] for feature in second.json()["features"]] == ["First", "Second"]


def test_members_list_is_paginated_and_reports_a_bad_page(client, index, sample, monkeypatch):
    monkeypatch.setattr("content_types.networks.models.MEMBERS_PAGE_SIZE", 2)
    for letter in "ABCDE":
        MembershipFactory(network=sample["kenyan"], organisation=OrganisationFactory(title=f"{letter} institute"))
    url = f"{index.url}members/"

    first = client.get(url, {"scope": "national"})
    next_link = soup(first).select_one('a[rel="next"]')["href"]
    last = client.get(url, {"scope": "national", "page": "3"})
    beyond = client.get(url, {"scope": "national", "page": "9"})
    not_a_number = client.get(url, {"page": "<b>x</b>"})

    assert member_titles(first) == ["A institute", "B institute"]
    assert next_link == "?scope=national&page=2"
    assert member_titles(last) == ["E institute"]
    assert member_titles(beyond) == ["E institute"]
    assert "There is no page 9" in soup(beyond).select_one(".results-summary").get_text()
    assert member_titles(not_a_number) == ["A institute", "B institute"]
    assert "is not a page number" in soup(not_a_number).select_one(".results-summary").get_text()
    assert "<b>x</b>" not in not_a_number.content.decode()


def test_members_list_in_french_marks_untranslated_titles(client, index, sample, translate_to):
    organisation = OrganisationFactory(title="Bee Institute")
    MembershipFactory(network=sample["global"], organisation=organisation)
    translate_to(sample["global"], "fr", title="Réseau mondial", draft_title="Réseau mondial")
    french_index = networks_index("fr")

    document = soup(client.get(f"{french_index.url}members/"))
    markers = client.get(f"{french_index.url}markers/").json()["features"]

    assert document.select_one("html")["lang"] == "fr"
    link = document.select_one(".member-list a")
    assert (link.get_text(), link["lang"], link["dir"]) == ("Bee Institute", "en", "ltr")
    assert markers[0]["properties"]["lang"] == "en"


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
    cards = document.select(".event-card")
    # Each card's targets and place, read with the events (not one query per card).
    assert [[tag.get_text(strip=True) for tag in card.select("ul.tags li")] for card in cards] == [
        [target.short_label for target in past.gbf_targets.all()],
        [target.short_label for target in upcoming.gbf_targets.all()],
    ]
    assert all(card.select("ul.tags li") for card in cards)
    assert "Kenya" in cards[1].select_one(".event-where").get_text()
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
    wasps = OrganisationFactory(title="Wasp Institute")
    MembershipFactory(network=network, organisation=wasps)
    translate_to(wasps, "fr", title="Institut des guêpes", draft_title="Institut des guêpes")
    week = EventFactory(title="Pollinator week")
    network.linked_events.set([week])
    network.save()
    translate_to(week, "fr", title="Semaine des pollinisateurs", draft_title="Semaine des pollinisateurs")
    french = translate_to(network, "fr", title="Réseau des pollinisateurs", draft_title="Réseau des pollinisateurs")
    arabic = translate_to(network, "ar", alias=True)

    french_page = soup(client.get(french.url))
    arabic_page = soup(client.get(arabic.url))
    french_index = soup(client.get(french.get_parent().url))

    assert french_page.select_one("html")["lang"] == "fr"
    assert french_page.select_one("h1").get_text(strip=True) == "Réseau des pollinisateurs"
    assert "Bee Institute" in french_page.select_one("ul.members").get_text()
    # A member translated into the page's language is shown in it; the English page keeps its own.
    assert "Institut des guêpes" in french_page.select_one("ul.members").get_text()
    assert "Wasp Institute" not in french_page.select_one("ul.members").get_text()
    assert "Wasp Institute" in soup(client.get(network.url)).select_one("ul.members").get_text()
    # A linked event translated into the page's language shows in it, with its place and targets.
    (card,) = french_page.select(".event-card")
    assert card.select_one(".card-title").get_text(strip=True) == "Semaine des pollinisateurs"
    assert "Kenya" in card.select_one(".event-where").get_text()
    with translation.override("fr"):
        labels = [target.short_label for target in week.gbf_targets.all()]
    assert [tag.get_text(strip=True) for tag in card.select("ul.tags li")] == labels
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
    assert len(map_markers(client, soup(response), "networks-map")) == 100
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


def test_listing_html_and_queries_stay_the_same_with_2_and_12_member_organisations(client, index, sample):
    """The markers and the list of members are not in the page: only their number changes in it."""
    urls = [index.url, f"{index.url}?scope=global", f"{index.url}markers/", f"{index.url}members/"]

    def grow(count, start):
        for number in range(start, start + count):
            organisation = OrganisationFactory(title=f"Member institute {number:03d}", acronym=f"MI{number:03d}")
            MembershipFactory(network=sample["global"], organisation=organisation)

    def measure():
        measured = {}
        for url in urls:
            cold, _response = count_queries(client, url)
            warm, response = count_queries(client, url)
            measured[url] = (cold, warm, response)
        return measured

    grow(2, 0)
    two = measure()
    grow(10, 2)
    twelve = measure()

    def html(response) -> str:
        """The page with its numbers blanked (\"2 members\" and \"12 members\" are as long)."""
        return re.sub(r"\d+", "#", response.content.decode())

    for url in urls[:2]:
        assert len(html(twelve[url][2])) == len(html(two[url][2])), url
        assert "Member institute" not in twelve[url][2].content.decode()
        assert soup(twelve[url][2]).select_one("#networks-map-caption")["data-marker-count"] == "12"
    assert len(twelve[urls[2]][2].json()["features"]) == 12
    assert len(soup(twelve[urls[3]][2]).select(".member-list li")) == 12
    for url in urls:
        assert twelve[url][:2] == two[url][:2], (url, two[url][:2], twelve[url][:2])
        assert two[url][0] <= LISTING_BUDGET


def test_a_change_to_one_member_recomputes_its_marker_alone(client, index, sample, translate_to):
    """The members' markers are kept one by one: after an organisation is renamed, the map shows the
    new name and reads that organisation alone; a member translated into the listing's language
    shows there under its translated name."""

    from content_types.records.models import OrganisationPage

    members = [OrganisationFactory(title=f"{letter} institute") for letter in "ABC"]
    for organisation in members:
        MembershipFactory(network=sample["global"], organisation=organisation)
    translate_to(members[2], "fr", title="Institut C", draft_title="Institut C")
    translate_to(index, "fr", alias=True)
    translate_to(sample["global"], "fr", alias=True)
    markers_url = f"{index.url}markers/"

    def titles(url=markers_url):
        return [feature["properties"]["title"] for feature in client.get(url).json()["features"]]

    assert titles() == ["A institute", "B institute", "C institute"]
    assert titles(markers_url.replace("/en/", "/fr/")) == ["A institute", "B institute", "Institut C"]

    renamed = OrganisationPage.objects.get(pk=members[1].pk)
    renamed.title = "B institute (renamed)"
    renamed.save_revision().publish()
    with markers_made(OrganisationPage) as read:
        assert titles() == ["A institute", "B institute (renamed)", "C institute"]
    assert read == [renamed.pk]


def test_a_draft_with_another_linked_event_previews_it_with_its_place_and_targets(admin_client, index):
    """The network page's events come from the draft (its links not saved yet) in a preview: the event
    linked only in the draft shows, with its country and targets, while the live page keeps its own."""
    network = NetworkFactory(title="Preview network")
    first = EventFactory(title="Linked event")
    network.linked_events.set([first])
    network.save_revision().publish()
    added = PastConferenceFactory(title="Added in the draft")
    network = network.get_latest_revision_as_object()
    network.linked_events = [first, added]
    network.save_revision()

    draft = soup(admin_client.get(f"/admin/pages/{network.pk}/view_draft/"))
    live = soup(admin_client.get(network.url))

    titles = [node.get_text(strip=True) for node in draft.select(".event-card .card-title")]
    assert sorted(titles) == ["Added in the draft", "Linked event"]
    for card in draft.select(".event-card"):
        assert card.select("ul.tags li") and card.select_one(".event-where").get_text(strip=True)
    assert [node.get_text(strip=True) for node in live.select(".event-card .card-title")] == ["Linked event"]
