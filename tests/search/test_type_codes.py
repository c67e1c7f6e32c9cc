"""The search page shares the listings' filter codes: types are written ``type=need``; the model labels
older addresses used (``type=records.needpage``) redirect on the page and are still read by the API."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.records.factories import NeedFactory, OrganisationFactory, country

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(site_pages, publish):
    return publish(
        NeedFactory(title="French need", countries=[country("FR")]),
        OrganisationFactory(title="Kenyan institute", countries=[country("KE")]),
    )


def emitted_types(response) -> set[str]:
    document = BeautifulSoup(response.content.decode(), "html.parser")
    return {
        value
        for link in document.select("main a[href]")
        for name, value in parse_qsl(urlsplit(link["href"]).query)
        if name == "type"
    }


def test_the_search_page_reads_and_writes_type_codes(client, records):
    response = client.get("/en/search/", {"type": "need"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "French need" in html and "Kenyan institute" not in html
    assert 'class="chip" href="?">Type: Need' in html
    assert client.get("/en/search/").status_code == 200
    assert {"need", "organisation"} <= emitted_types(client.get("/en/search/")) | emitted_types(response)
    assert not {value for value in emitted_types(client.get("/en/search/")) if "." in value}


def test_an_old_type_label_redirects_on_the_page(client, records):
    response = client.get("/en/search/", {"q": "need", "type": "records.needpage", "country": "fr"})

    assert (response.status_code, response["Location"]) == (301, "/en/search/?q=need&type=need&country=FR")


def test_the_api_reads_codes_and_still_reads_model_labels(client, records):
    by_code = client.get("/api/search/", {"type": "need"}).json()
    by_label = client.get("/api/search/", {"type": "records.needpage"}).json()

    for data in (by_code, by_label):
        assert [hit["title"] for hit in data["results"]] == ["French need"]
        assert data["warnings"] == []
        assert data["applied_filters"][0]["value"] == "need"
    type_facet = next(facet for facet in by_code["facets"] if facet["name"] == "type")
    assert {"need", "organisation"} <= {option["value"] for option in type_facet["options"]}


def test_an_unknown_type_code_is_reported(client, records):
    html = client.get("/en/search/", {"type": "nothing"}).content.decode()

    assert "“nothing” is not a known type code; that filter was not applied." in html
