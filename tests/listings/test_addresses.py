"""Listing addresses: every faceted listing (records, events, networks) and the search page read filters
as stable codes and write only codes in their links; older numeric addresses redirect; an unknown code is
reported and not applied; no address, however malformed, gives a server error."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Locale

from content_types.records.models import NeedPage
from content_types.vocabularies.models import Country, GBFTarget, Language, Subject

from .conftest import FULL_QUERIES

pytestmark = pytest.mark.django_db

LISTINGS = ["records", "events", "networks"]
CODE_PATTERNS = {
    "country": r"[A-Z]{2}",
    "region": r"\d{3}",
    "target": r"GBF-T\d{1,2}",
    "subject": r"SUBJ-[A-Z0-9-]+",
    "language": r"[a-z]{2,3}",
    "year": r"\d{4}",
    "type": r"[a-z]+",
    "scope": r"[a-z]+",
}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def card_titles(response) -> set[str]:
    return {link.get_text(strip=True) for link in soup(response).select(".cards .card-title a")}


def emitted_pairs(response) -> list[tuple[str, str]]:
    """Every filter value the page writes: in links (facets, chips, pagination, tabs, feeds) and form options."""
    document = soup(response)
    pairs = []
    for link in document.select("main a[href]"):
        pairs += parse_qsl(urlsplit(link["href"]).query)
    for select in document.select("main form select[name]"):
        pairs += [(select["name"], option["value"]) for option in select.select("option") if option["value"]]
    return pairs


def assert_only_codes(pairs) -> None:
    for name, value in pairs:
        if name in CODE_PATTERNS:
            assert re.fullmatch(CODE_PATTERNS[name], value), (name, value)


@pytest.mark.parametrize("name", LISTINGS)
def test_every_filter_is_read_as_a_code(client, site_pages, listed, name):
    response = client.get(f"{site_pages[name].url}?{FULL_QUERIES[name]}")

    assert response.status_code == 200
    assert card_titles(response) == {listed[name][0].title}
    assert not soup(response).select(".form-errors")
    # One chip per filter, and the button counts them.
    filters = parse_qsl(FULL_QUERIES[name])
    assert len(soup(response).select(".results-summary a.chip")) == len(filters)
    toggle = soup(response).select_one("button.filters-toggle")
    assert toggle.get_text(strip=True) == f"Filters ({len(filters)})"


@pytest.mark.parametrize("name", LISTINGS)
def test_links_and_forms_write_only_codes(client, site_pages, listed, name):
    response = client.get(site_pages[name].url, {"country": "FR", "per_page": 1})
    unfiltered = client.get(site_pages[name].url, {"per_page": 1})

    pairs = emitted_pairs(response) + emitted_pairs(unfiltered)
    assert_only_codes(pairs)
    names = {name for name, _value in pairs}
    assert {"country", "target", "subject", "language", "region", "type"} <= names
    assert ("country", "FR") in pairs
    assert ("page", "2") in pairs  # pagination of the unfiltered listing, one item a page


def test_record_types_are_written_as_type_codes(client, site_pages, listed):
    response = client.get(site_pages["records"].url)

    types = {value for name, value in emitted_pairs(response) if name == "type"}
    assert types == {"need", "organisation"}


def test_calendar_feed_and_tabs_carry_the_codes(client, site_pages, listed):
    document = soup(client.get(site_pages["events"].url, {"country": "FR", "target": "GBF-T3"}))

    feed = document.select_one(".calendar-feed a")["href"]
    assert parse_qsl(urlsplit(feed).query) == [("country", "FR"), ("target", "GBF-T3")]
    tabs = [parse_qsl(urlsplit(tab["href"]).query) for tab in document.select("nav.tabs a")]
    assert tabs == [[("country", "FR"), ("target", "GBF-T3")]] * 2


# --- older addresses ------------------------------------------------------------------------------
def ids() -> dict[str, int]:
    return {
        "type": ContentType.objects.get_for_model(NeedPage).pk,
        "country": Country.objects.get(code="FR").pk,
        "target": GBFTarget.objects.get(code="GBF-T3").pk,
        "subject": Subject.objects.get(code="SUBJ-IAS").pk,
        "language": Language.objects.get(code="fr").pk,
    }


def test_numeric_record_address_redirects_permanently_to_codes_keeping_the_rest(client, site_pages, listed):
    old = ids()
    url = site_pages["records"].url
    query = (
        f"type={old['type']}&country={old['country']}&region=150&target={old['target']}&subject={old['subject']}"
        f"&language={old['language']}&year=2025&sort=title&per_page=5&page=1&utm_source=newsletter"
    )

    response = client.get(f"{url}?{query}")

    assert response.status_code == 301
    assert response["Location"] == (
        f"{url}?type=need&country=FR&region=150&target=GBF-T3&subject=SUBJ-IAS&language=fr&year=2025"
        "&sort=title&per_page=5&page=1&utm_source=newsletter"
    )
    followed = client.get(response["Location"])
    assert followed.status_code == 200
    assert card_titles(followed) == {"French need"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=need&country={country}", "type=need&country=FR"),  # old and new mixed
        # Repeated parameters are kept (grouped by name); the listing applies the last one.
        ("country=KE&target={target}&country={country}", "country=KE&country=FR&target=GBF-T3"),
        ("type=records.needpage", "type=need"),  # the search's old type label
        (
            "country=fr&target=gbf-t3&subject=subj-ias&language=FR",
            "country=FR&target=GBF-T3&subject=SUBJ-IAS&language=fr",
        ),
        ("region=2", "region=002"),  # M49 without its leading zeros
    ],
)
def test_old_or_loosely_written_values_redirect_to_codes(client, site_pages, listed, query, expected):
    url = site_pages["records"].url

    response = client.get(f"{url}?{query.format(**ids())}")

    assert response.status_code == 301
    assert response["Location"] == f"{url}?{expected}"
    assert client.get(response["Location"]).status_code == 200  # and the code address does not redirect again


@pytest.mark.parametrize("path", ["", "past/", "calendar/"])
def test_events_addresses_redirect(client, site_pages, listed, path):
    url = f"{site_pages['events'].url}{path}"

    response = client.get(url, {"country": ids()["country"], "type": "workshop"})

    assert response.status_code == 301
    assert response["Location"] == f"{url}?country=FR&type=workshop"


def test_networks_and_search_addresses_redirect(client, site_pages, listed):
    old = ids()
    networks = site_pages["networks"].url

    response = client.get(networks, {"target": old["target"], "scope": "global"})
    assert (response.status_code, response["Location"]) == (301, f"{networks}?target=GBF-T3&scope=global")

    response = client.get("/en/search/", {"q": "need", "type": "records.needpage", "subject": old["subject"]})
    assert (response.status_code, response["Location"]) == (301, "/en/search/?q=need&type=need&subject=SUBJ-IAS")


# --- unknown codes --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", LISTINGS)
def test_an_unknown_code_is_reported_and_not_applied(client, site_pages, listed, name):
    url = site_pages[name].url
    everything = card_titles(client.get(url))

    response = client.get(url, {"country": "XX", "target": "GBF-T99", "type": "nothing", "year": "abc"})

    assert response.status_code == 200
    assert card_titles(response) == everything
    summary = soup(response).select_one(".results-summary")
    errors = summary.select_one(".form-errors[role=alert]").get_text(" ", strip=True)
    assert "“XX” is not a known country code; that filter was not applied." in errors
    assert "“GBF-T99” is not a known GBF target code; that filter was not applied." in errors
    assert "“nothing” is not a known type code; that filter was not applied." in errors
    assert "“abc” is not a year from 1900 to 2100; that filter was not applied." in errors
    assert not summary.select("a.chip")
    pairs = emitted_pairs(response)
    assert not {("country", "XX"), ("target", "GBF-T99"), ("type", "nothing"), ("year", "abc")} & set(pairs)


def test_an_unknown_numeric_id_is_reported_not_redirected(client, site_pages, listed):
    response = client.get(site_pages["records"].url, {"country": "987654321", "region": "999"})

    assert response.status_code == 200
    errors = soup(response).select_one(".form-errors").get_text(" ", strip=True)
    assert "“987654321” is not a known country code" in errors
    assert "“999” is not a known region code" in errors


def test_the_message_is_in_the_visitor_language(client, site_pages, listed):
    french_records = site_pages["records"].get_translation(Locale.objects.get(language_code="fr"))

    errors = soup(client.get(french_records.url, {"country": "XX"})).select_one(".form-errors").get_text()
    errors = errors.replace("\xa0", " ")  # French typography: non-breaking spaces around « » and before ;

    assert "« XX » n'est pas un code connu pour pays ; ce filtre n'a pas été appliqué." in errors


# --- malformed addresses --------------------------------------------------------------------------
GARBAGE = [
    "country=%ff",
    "country=%00",
    "type=%00&sort=%00&year=%00&region=%00",
    "country=" + "A" * 5000,
    "type=" + "x" * 5000,
    "country=FR&country=KE&country=%ff&country=",
    "page=abc",
    "page=-1",
    "page=99999999999999999999999",
    "page=%EF%BC%92",  # a full-width digit
    "per_page=abc&page=0",
    "per_page=-5",
    "per_page=1000000000000000000000",
    "year=1e400",
    "year=-2025",
    "region=9999999999",
    "country=%D9%A3",  # an Arabic-Indic digit
    "target=%D9%A3%D9%A3",
    "%ff=%ff&=&&&",
]


@pytest.mark.parametrize("name", [*LISTINGS, "search"])
@pytest.mark.parametrize("query", GARBAGE)
def test_malformed_addresses_never_fail(client, site_pages, listed, name, query):
    url = "/en/search/" if name == "search" else site_pages[name].url

    response = client.get(f"{url}?{query}")

    assert response.status_code in (200, 301)
    if response.status_code == 301:
        assert client.get(response["Location"]).status_code == 200


def test_a_page_that_is_not_a_number_is_reported(client, site_pages, listed):
    response = client.get(site_pages["records"].url, {"page": "abc"})

    assert (
        "“abc” is not a page number; the first page is shown."
        in soup(response).select_one(".results-summary").get_text()
    )


VALUES = st.one_of(
    st.sampled_from(["FR", "fr", "150", "2", "GBF-T3", "SUBJ-IAS", "need", "2025", "1", "0", "-1", "", "title"]),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.text(max_size=80),
)
NAMES = st.sampled_from(
    [
        "type",
        "country",
        "region",
        "target",
        "subject",
        "language",
        "year",
        "sort",
        "page",
        "per_page",
        "scope",
        "q",
        "x",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(NAMES, VALUES), max_size=6))
def test_any_query_string_gives_a_page_or_one_redirect_to_one(client, site_pages, pairs):
    url = site_pages["records"].url

    response = client.get(f"{url}?{urlencode(pairs)}")

    assert response.status_code in (200, 301)
    if response.status_code == 301:
        assert client.get(response["Location"]).status_code == 200
