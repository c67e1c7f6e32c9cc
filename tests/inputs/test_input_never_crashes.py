"""Whatever a visitor or a client puts in an address, the answer is 200 with a message or 400 (with
problem details on the API), never 500: search, its suggestions, its API, and every listing."""

import json
from urllib.parse import quote

import pytest
from django.http import QueryDict

from search.backends.elasticsearch import build_search, build_spelling, build_suggest
from search.query import parse_search
from tests.records.factories import NeedFactory, country, target

pytestmark = pytest.mark.django_db

# Raw query-string values, already encoded where the raw form matters (%ff is not UTF-8).
HOSTILE = [
    quote("'"),
    quote('"'),
    quote(":"),
    quote("[]"),
    "%ff",
    "%00",
    "a%00b",
    quote("²"),
    quote("١٢"),
    "-1",
    "99999999999999999999999",
    quote("foo:bar AND (baz"),
    quote("<script>alert(1)</script>"),
    "%ed%a0%80",  # an encoded lone surrogate
    "x" * 5000,
]
SEARCH_PARAMS = ["q", "page", "per_page", "sort", "year", "type", "country", "target", "status", "source", "lang"]
LISTING_PARAMS = ["page", "per_page", "year", "sort", "type", "country", "region", "target", "scope", "view"]


def assert_answered(response, url):
    assert response.status_code in (200, 301, 302, 400), f"{url} → {response.status_code}"
    if response.status_code == 400 and url.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == 400 and body["title"] and body["detail"]


@pytest.fixture
def published(site_pages, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        need = NeedFactory(title="Invasive species", countries=[country("FR")], gbf_targets=[target(6)])
        need.save_revision().publish()
    return need


@pytest.mark.parametrize("path", ["/en/search/", "/api/search/", "/en/search/suggest/"])
def test_search_answers_every_hostile_parameter(client, published, path):
    client.raise_request_exception = False
    for name in SEARCH_PARAMS:
        for value in HOSTILE:
            url = f"{path}?{name}={value}"
            assert_answered(client.get(url), url)
    for query in ["page=1&page=2&page=x", "q=a&q=b", "%ff=%ff", "country=FR&country=FR&country=XX", "q"]:
        url = f"{path}?{query}"
        assert_answered(client.get(url), url)


@pytest.mark.parametrize("section", ["records", "events", "networks", "news"])
def test_listings_answer_every_hostile_parameter(client, site_pages, published, section):
    client.raise_request_exception = False
    path = site_pages[section].url
    for name in LISTING_PARAMS:
        for value in HOSTILE:
            url = f"{path}?{name}={value}"
            assert_answered(client.get(url), url)
    for query in ["page=1&page=2", "year=2020&year=x", "%ff=1", "page=99999"]:
        url = f"{path}?{query}"
        assert_answered(client.get(url), url)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("q=%27", "“&#x27;” has no letters or digits to search for; it was ignored."),
        ("q=%22", "“&quot;” has no letters or digits to search for; it was ignored."),
        ("q=%5B%5D", "“[]” has no letters or digits to search for; it was ignored."),
        ("year=%C2%B2", "“²” is not a known year code"),
        ("page=%00", "is not a page number; the first page is shown."),
    ],
)
def test_the_search_page_says_what_it_ignored(client, published, query, message):
    response = client.get(f"/en/search/?{query}")

    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_api_reports_ignored_input_as_warnings(client, published):
    response = client.get("/api/search/?q=%27&year=%C2%B2")

    assert response.status_code == 200
    warnings = response.json()["warnings"]
    assert "“'” has no letters or digits to search for; it was ignored." in warnings
    assert any("“²”" in warning for warning in warnings)


def test_an_unknown_api_language_is_a_problem_detail(client):
    response = client.get("/api/search/?lang=%C2%B2")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank" and body["title"] == "Bad Request" and body["status"] == 400
    assert body["errors"]["lang"][0].startswith("Unknown language “²”")


def test_api_method_errors_are_problem_details_too(client):
    response = client.delete("/api/search/")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 405


@pytest.mark.parametrize("raw", [*HOSTILE, "q=%27%22%3A%5B%5D", "%22unbalanced", "a" * 300])
def test_elasticsearch_requests_are_built_from_any_input(db, raw):
    """The generated queries, checked without a server: they build and serialise to JSON."""
    params = QueryDict(f"q={raw}&year={raw}&country={raw}&page={raw}&sort={raw}")
    parsed = parse_search(params, "en")

    body = build_search("chm-pages", parsed.query).to_dict()
    json.dumps(body)
    if parsed.query.text:  # the backends ask for suggestions only with text
        json.dumps(build_suggest("chm-pages", parsed.query.text, "en", 8).to_dict())
        json.dumps(build_spelling("chm-pages", parsed.query.text, "en").to_dict())
    assert "\x00" not in json.dumps(body)
