"""HTTP behaviour of /api/v1/: conditional GET, JSON-LD, throttling, other kinds, vocabularies, docs."""

import pytest
from django.test import override_settings

from tests.events.factories import EventFactory
from tests.networks.factories import NetworkFactory
from tests.records.factories import NeedFactory

pytestmark = pytest.mark.django_db


def test_etag_and_last_modified_answer_304(client, site_pages, publish):
    need = publish(NeedFactory())
    url = f"/api/v1/records/{need.identifier}/"

    first = client.get(url)
    by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    other_etag = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')

    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_date.status_code == 304
    assert other_etag.status_code == 200


def test_a_change_changes_the_etag(client, site_pages, publish):
    need = publish(NeedFactory(title="Before"))
    before = client.get("/api/v1/records/")["ETag"]
    need.title = "After"
    publish(need)

    response = client.get("/api/v1/records/", HTTP_IF_NONE_MATCH=before)

    assert response.status_code == 200
    assert response.json()["results"][0]["title"] == "After"


def test_json_ld_by_content_negotiation(client, site_pages, publish):
    need = publish(NeedFactory(title="Early warning"))

    detail = client.get(f"/api/v1/records/{need.identifier}/", HTTP_ACCEPT="application/ld+json")
    listing = client.get("/api/v1/records/", HTTP_ACCEPT="application/ld+json")
    plain = client.get(f"/api/v1/records/{need.identifier}/")

    assert detail.status_code == 200
    assert detail["Content-Type"] == "application/ld+json"
    data = detail.json()
    assert data["@context"] == "https://schema.org"
    assert data["identifier"] == need.identifier and data["name"] == "Early warning"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert listing.json()["@graph"][0]["identifier"] == need.identifier
    assert detail["ETag"] != plain["ETag"]
    assert "Accept" in detail["Vary"]


def test_unsupported_accept_is_a_406_problem(client, site_pages):
    response = client.get("/api/v1/records/", HTTP_ACCEPT="text/csv")

    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"


@override_settings(INTEROP_API_THROTTLE_RATE="3/minute")
def test_throttling_per_client_answers_429_problem(client, site_pages, make_user):
    from django.test import Client

    statuses = [client.get("/api/v1/vocabularies/languages/").status_code for _ in range(4)]
    throttled = client.get("/api/v1/vocabularies/languages/")
    other_address = Client(REMOTE_ADDR="192.0.2.10").get("/api/v1/vocabularies/languages/")
    member = Client()
    member.force_login(make_user("member"))

    assert statuses == [200, 200, 200, 429]
    assert throttled["Content-Type"] == "application/problem+json"
    assert throttled.json()["status"] == 429
    assert int(throttled["Retry-After"]) > 0
    assert other_address.status_code == 200
    assert member.get("/api/v1/vocabularies/languages/").status_code == 200


@override_settings(INTEROP_API_THROTTLE_RATE="2/minute", INTEROP_API_CLIENT_THROTTLE_RATE="4/minute")
def test_a_token_client_is_throttled_as_itself_at_its_own_rate(site_pages, make_user):
    """A push API client reading the open API counts against its own rate, whatever its address; an
    anonymous reader from the same address keeps the anonymous rate; a revoked token is refused."""
    from django.test import Client

    from interop.push.models import ApiClient
    from tests.interop.push.conftest import issue

    service = make_user("harvester-service")
    france, token = issue("Portal of France", service, scope_country=_country("FR"))
    brazil, other_token = issue("Portal of Brazil", service, scope_country=_country("BR"))
    url = "/api/v1/vocabularies/languages/"
    by_token = Client(REMOTE_ADDR="192.0.2.20", HTTP_AUTHORIZATION=f"Token {token}")
    same_client_elsewhere = Client(REMOTE_ADDR="192.0.2.21", HTTP_AUTHORIZATION=f"Token {token}")
    anonymous = Client(REMOTE_ADDR="192.0.2.20")

    client_statuses = [by_token.get(url).status_code for _ in range(3)] + [same_client_elsewhere.get(url).status_code]
    assert client_statuses == [200, 200, 200, 200]  # above the anonymous 2, within the client's 4
    assert same_client_elsewhere.get(url).status_code == 429  # the count follows the client, not the address
    assert [anonymous.get(url).status_code for _ in range(3)] == [200, 200, 429]
    # Another client (the same acting account) has its own count.
    assert Client(HTTP_AUTHORIZATION=f"Token {other_token}").get(url).status_code == 200

    ApiClient.objects.get(pk=france.pk).revoke()
    refused = Client(REMOTE_ADDR="192.0.2.30", HTTP_AUTHORIZATION=f"Token {token}").get(url)
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"


def _country(code):
    from content_types.vocabularies.models import Country

    return Country.objects.get(code=code)


def test_events_and_networks(client, site_pages, publish):
    event = publish(EventFactory(title="Restoration workshop"))
    network = publish(NetworkFactory(title="Invasive species network"))

    [event_item] = client.get("/api/v1/events/").json()["results"]
    [network_item] = client.get("/api/v1/networks/").json()["results"]
    detail = client.get(f"/api/v1/events/{event.translation_key}/")

    assert event_item["type"] == "event" and event_item["title"] == "Restoration workshop"
    assert event_item["fields"]["venue_country"] == "KE"
    assert event_item["fields"]["start"].endswith("Z")
    assert event_item["targets"] == ["GBF-T2"] and event_item["languages"] == ["en", "fr"]
    assert network_item["identifier"] == str(network.translation_key)
    assert "coordinator" not in network_item["fields"]
    assert detail.status_code == 200
    assert client.get("/api/v1/events/not-a-key/").status_code == 404
    assert client.get("/api/v1/events/?target=GBF-T6").json()["results"] == []


def test_news(client, site_pages, publish):
    from content_types.news.models import NewsArticlePage

    article = NewsArticlePage(title="New portal", slug="new-portal", summary="It is open.")
    site_pages["news"].add_child(instance=article)
    publish(article)

    [item] = client.get("/api/v1/news/").json()["results"]

    assert item["title"] == "New portal" and item["summary"] == "It is open."
    assert item["countries"] == []


@pytest.mark.parametrize("name", ["targets", "countries", "regions", "subjects", "languages"])
def test_vocabularies_with_six_names(client, site_pages, name):
    response = client.get(f"/api/v1/vocabularies/{name}/")

    assert response.status_code == 200
    terms = response.json()["results"]
    assert terms
    assert set(terms[0]["names"]) == {"ar", "en", "es", "fr", "ru", "zh-hans"}


def test_vocabulary_codes(client, site_pages):
    countries = {term["code"]: term for term in client.get("/api/v1/vocabularies/countries/").json()["results"]}
    targets = {term["code"] for term in client.get("/api/v1/vocabularies/targets/").json()["results"]}

    assert countries["FR"]["names"]["fr"] == "France"
    assert countries["FR"]["region"] == "155"
    assert "GBF-T3" in targets


def test_docs_are_served_by_the_portal(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/schema/" in html
    assert "drf_spectacular_sidecar/redoc" in html
    assert "https://" not in html  # nothing from another site


def test_schema_describes_the_v1_paths(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]

    for path in [
        "/api/v1/records/",
        "/api/v1/records/{identifier}/",
        "/api/v1/changes/",
        "/api/v1/events/",
        "/api/v1/networks/",
        "/api/v1/news/",
        "/api/v1/vocabularies/targets/",
    ]:
        assert path in paths


def test_news_filtered_by_a_classification_is_empty(client, site_pages, publish):
    from content_types.news.models import NewsArticlePage

    article = NewsArticlePage(title="New portal", slug="new-portal", summary="It is open.")
    site_pages["news"].add_child(instance=article)
    publish(article)

    response = client.get("/api/v1/news/?subject=SUBJ-IAS&country=FR&region=150")

    assert response.status_code == 200
    assert response.json()["results"] == []
