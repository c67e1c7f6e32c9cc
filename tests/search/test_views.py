"""The search page, its suggestions and the API, as a visitor and an API client use them,
including bad input: absurd pages, unknown codes, a 1,000-character query."""

import pytest

from tests.records.factories import NeedFactory, OfferFactory, country, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(site_pages, publish):
    return publish(
        NeedFactory(
            title="Invasive species early warning",
            summary="Alerts at borders.",
            countries=[country("FR")],
            gbf_targets=[target(6)],
        ),
        NeedFactory(
            title="Invasive plants in wetlands",
            summary="Removal campaigns.",
            countries=[country("KE")],
            gbf_targets=[target(6)],
        ),
        OfferFactory(
            title="Training on species distribution",
            summary="Herbarium curation exchange.",
            countries=[country("FR")],
            gbf_targets=[target(3)],
        ),
    )


def text_of(response) -> str:
    return response.content.decode()


def test_the_search_page_shows_results_facets_and_highlights(client, records):
    response = client.get("/en/search/", {"q": "invasive"})
    html = text_of(response)

    assert response.status_code == 200
    assert "2 results" in html
    assert "<mark>Invasive</mark> species early warning" in html
    assert 'href="?q=invasive&amp;country=FR"' in html  # a facet option adds its filter
    assert 'role="combobox"' in html and 'aria-controls="search-suggestions"' in html
    assert '<meta name="robots" content="noindex, follow">' in html


def test_choosing_a_facet_shows_a_chip_that_removes_it(client, records):
    html = text_of(client.get("/en/search/", {"q": "invasive", "country": "FR"}))

    assert "1 result" in html
    assert "Invasive plants in wetlands" not in html
    assert 'class="chip" href="?q=invasive">Country: France' in html
    assert 'aria-current="true"><span aria-hidden="true">✓ </span>France' in html
    assert 'type="hidden" name="country" value="FR"' in html  # a new query keeps the filters


def test_the_page_is_in_the_visitor_language(client, records):
    html = text_of(client.get("/fr/search/", {"q": "invasive", "country": "FR"}))

    assert '<html lang="fr"' in html
    assert "Pays" in html or "Country" in html
    assert ">Invasive species early warning<" not in html  # highlighted
    assert 'class="badge badge-language"' in html  # an English record shown to a French visitor
    assert '<a href="/en/records/' in html and 'lang="en"' in html  # no French page: the original


def test_sorting_by_date_is_a_link_that_keeps_the_search(client, records):
    html = text_of(client.get("/en/search/", {"q": "species", "sort": "date"}))

    assert '<a href="?q=species&amp;sort=date" aria-current="true"><strong>Date (newest first)' in html
    assert '<a href="?q=species">Relevance</a>' in html


def test_no_results_offers_a_spelling_and_the_filters_to_remove(client, records):
    html = text_of(client.get("/en/search/", {"q": "invasve", "country": "KE"}))

    assert "Nothing matches “invasve”." in html
    assert "Did you mean:" in html and 'href="?q=invasive&amp;country=KE"' in html

    html = text_of(client.get("/en/search/", {"q": "herbarium", "country": "KE"}))
    assert "Remove “Country: Kenya”" in html and "(1 result)" in html
    assert 'href="?q=herbarium"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "invasive", "page": "abc"}, "“abc” is not a page number; the first page is shown."),
        ({"q": "invasive", "page": "99999"}, "Results stop at page 500"),
        ({"q": "invasive", "page": "7"}, "There is no page 7: the results end at page 1, shown here."),
        ({"q": "invasive", "country": "XX"}, "“XX” is not a known country code; that filter was not applied."),
        ({"q": "invasive", "target": "GBF-T99"}, "“GBF-T99” is not a known GBF target code"),
        ({"q": "invasive", "sort": "price"}, "“price” is not a way to sort; results are sorted by relevance."),
        ({"q": "invasive " + "x" * 1000}, "Your search was longer than 200 characters: only the first 200 were used."),
    ],
)
def test_bad_input_gets_a_clear_message_and_the_rest_still_works(client, records, params, message):
    response = client.get("/en/search/", params)
    html = text_of(response)

    assert response.status_code == 200
    assert message in html
    assert 'role="alert"' in html
    if "x" * 1000 not in params["q"]:
        assert "<mark>Invasive</mark>" in html  # the search itself still ran


def test_a_long_query_is_kept_as_typed_up_to_the_limit(client, records):
    html = text_of(client.get("/en/search/", {"q": "a" * 1000}))

    assert f'value="{"a" * 200}"' in html
    assert f'value="{"a" * 201}' not in html


def test_user_input_is_escaped_everywhere(client, records):
    html = text_of(client.get("/en/search/", {"q": '<script>alert("x")</script>', "source": "<b>x</b>"}))

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "<b>x</b>" not in html


def test_suggestions_complete_titles_in_the_visitor_language(client, records):
    response = client.get("/en/search/suggest/", {"q": "inva"})

    assert response.status_code == 200
    data = response.json()
    assert [item["title"] for item in data["suggestions"]] == [
        "Invasive plants in wetlands",
        "Invasive species early warning",
    ]
    assert data["suggestions"][0]["type"] == "Need"
    assert client.get("/en/search/suggest/", {"q": "i"}).json()["suggestions"] == []
    assert client.get("/en/search/suggest/", {"q": "x" * 500}).json()["suggestions"] == []


def test_anonymous_searches_are_publicly_cacheable(client, records):
    response = client.get("/en/search/", {"q": "invasive"})

    assert "public" in response["Cache-Control"]
    assert not response.cookies


def test_the_api_returns_the_same_results_as_json(client, records):
    response = client.get("/api/search/", {"q": "invasive", "country": "FR", "lang": "fr"})

    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 1 and data["language"] == "fr"
    hit = data["results"][0]
    assert hit["title"] == "Invasive species early warning"
    assert hit["title_html"].startswith("<mark>Invasive</mark>")
    assert hit["url"].startswith("http://testserver/en/records/")  # no French page: the original
    assert hit["type"] == "records.needpage" and hit["is_fallback"] is True and hit["language"] == "en"
    [applied] = data["applied_filters"]
    assert (applied["facet"], applied["value"], applied["label"]) == ("country", "FR", "France")
    countries = next(facet for facet in data["facets"] if facet["name"] == "country")
    assert {"value": "KE", "label": "Kenya", "count": 1, "count_estimated": False, "selected": False} in countries[
        "options"
    ]


def test_the_api_reports_ignored_input_and_paginates(client, records):
    data = client.get("/api/search/", {"q": "species", "per_page": "1", "country": "ZZ"}).json()

    assert data["total"] == 3 and data["num_pages"] == 3 and len(data["results"]) == 1
    assert data["next"].startswith("http://testserver/api/search/?q=species") and "page=2" in data["next"]
    assert data["previous"] is None
    assert data["warnings"] == ["“ZZ” is not a known country code; that filter was not applied."]
    assert client.get("/api/search/", {"lang": "xx"}).status_code == 400


def test_the_api_is_in_the_openapi_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    schema = response.json()

    operation = schema["paths"]["/api/search/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "lang", "sort", "page", "per_page", "country", "target", "type", "status", "source"} <= names
    assert "SearchResponse" in str(operation["responses"]["200"])


def test_suggestions_complete_identifiers_too(client, records):
    records[0].refresh_from_db()
    identifier = records[0].identifier

    data = client.get("/en/search/suggest/", {"q": identifier[:10].lower()}).json()

    assert identifier in [item["identifier"] for item in data["suggestions"]]
