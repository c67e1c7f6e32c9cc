"""Map captions say what the map shows: how many results have a location and are on it, and whether
they come from this page or from every page of results; the caption's count is the markers' count."""

import json
from contextlib import contextmanager
from unittest import mock

import pytest
from bs4 import BeautifulSoup

from tests.events.factories import EventFactory, WebinarFactory
from tests.networks.factories import MembershipFactory, NetworkFactory
from tests.records.factories import NeedFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@contextmanager
def markers_made(model):
    """The ids of the pages of ``model`` whose map marker is made within the block (a list filled as it
    runs): what a listing computes again rather than reads from the cache."""
    made = []
    original = model.map_marker

    def counted(page, *args, **kwargs):
        made.append(page.pk)
        return original(page, *args, **kwargs)

    with mock.patch.object(model, "map_marker", counted):
        yield made


def map_markers(client, document, map_id) -> list:
    """The markers a map draws: in the page, or fetched as GeoJSON from the address the map names."""
    element = document.select_one(f"#{map_id}")
    if element.get("data-markers-url"):
        response = client.get(element["data-markers-url"])
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        collection = response.json()
        assert collection["type"] == "FeatureCollection"
        return [
            {
                **feature["properties"],
                "lon": feature["geometry"]["coordinates"][0],
                "lat": feature["geometry"]["coordinates"][1],
            }
            for feature in collection["features"]
        ]
    return json.loads(document.select_one(f"#{map_id}-markers").string)


def map_of(client, url, params=None, map_id="records-map") -> tuple[list, str, BeautifulSoup]:
    response = client.get(url, params or {})
    assert response.status_code == 200
    document = BeautifulSoup(response.content.decode(), "html.parser")
    markers = map_markers(client, document, map_id)
    caption = document.select_one(f"#{map_id}-caption")
    assert document.select_one(f"#{map_id}")["aria-describedby"] == f"{map_id}-caption"
    assert int(caption["data-marker-count"]) == len(markers)
    return markers, caption.get_text(strip=True), document


def test_records_map_shows_located_results_of_every_page_and_says_so(client, site_pages):
    NeedFactory(title="A need without a place")
    OrganisationFactory(title="B institute")
    NeedFactory(title="C need without a place")

    markers, caption, document = map_of(client, site_pages["records"].url, {"per_page": 1, "sort": "title"})

    assert [marker["title"] for marker in markers] == ["B institute"]  # not on this page, yet on the map
    assert [link.get_text() for link in document.select(".card-title a")] == ["A need without a place"]
    assert caption == (
        "On the map: 1 of the 3 results, those with a location, from every page of results (not only this one)."
    )
    assert document.select_one('.results-summary a[href="#records-map-title"]') is not None


def test_records_map_says_when_it_shows_only_the_first_located_results(client, site_pages, monkeypatch):
    monkeypatch.setattr("content_types.records.models.index.MAX_MAP_MARKERS", 2)
    for letter in "ABC":
        OrganisationFactory(title=f"{letter} institute")
    NeedFactory(title="A need without a place")

    markers, caption, _document = map_of(client, site_pages["records"].url)

    assert [marker["title"] for marker in markers] == ["A institute", "B institute"]
    assert caption == (
        "On the map: the first 2, by title, of the 3 results that have a location (4 results in all, on every page)."
    )


def test_events_map_shows_the_located_events_of_this_page_and_says_so(client, site_pages):
    EventFactory(title="Workshop in Nairobi")
    WebinarFactory(title="Webinar online")

    markers, caption, _document = map_of(client, site_pages["events"].url, map_id="events-map")

    assert [marker["title"] for marker in markers] == ["Workshop in Nairobi"]
    assert caption == (
        "On the map: 1 of the 2 results on this page, those with a location. Each page of results has its own map."
    )


def test_networks_map_says_it_shows_members_of_the_networks_found(client, site_pages):
    MembershipFactory(network=NetworkFactory(title="Network one"), organisation=OrganisationFactory(title="Member"))
    NetworkFactory(title="Network two")

    markers, caption, _document = map_of(client, site_pages["networks"].url, map_id="networks-map")

    assert [marker["title"] for marker in markers] == ["Member"]
    assert caption == (
        "On the map: 1 member organisation that has a location, from the networks found on every page of results (2)."
    )


def test_a_detail_page_map_counts_its_places(client, site_pages):
    organisation = OrganisationFactory(title="Located institute")

    markers, caption, _document = map_of(client, organisation.url, map_id="record-map")

    assert len(markers) == 1
    assert caption == "1 place on the map."
