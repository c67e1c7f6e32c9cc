"""The insight pages cost the same number of queries for 10 countries' worth of content as for 100,
computed afresh (a new content version) and then served from the cache in fewer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms import content_version

from .data import build_countries, build_country, shared_network

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PAGES = [
    ("countries", {}, {}),
    ("country", {"code": None}, {}),
    ("dashboard-reporting", {}, {}),
    ("dashboard-reporting", {}, {"target": "GBF-T3", "region": "150", "since": "2020"}),
    ("dashboard-progress", {}, {}),
    ("dashboard-progress", {}, {"target": "GBF-T1", "region": "002"}),
    ("dashboard-activity", {}, {"region": "019", "since": "2020", "until": "2026"}),
    ("dashboard-cooperation", {}, {"target": "GBF-T3"}),
    ("decision-tracker", {}, {}),
    ("decision-tracker", {}, {"q": "restore", "status": "active", "target": "GBF-T1", "actor": "Parties"}),
]
# Most a page may cost when computed afresh (the site frame included), and from the cache.
MAX_FRESH = 45
MAX_CACHED = 12


def measure(client, first_country: str) -> dict:
    counts = {}
    client.get(reverse("insight:countries"))  # what a process reads once (locales, content types)
    for name, kwargs, params in PAGES:
        kwargs = {key: value or first_country for key, value in kwargs.items()}
        url = reverse(f"insight:{name}", kwargs=kwargs or None)
        content_version.start_afresh()
        with CaptureQueriesContext(connection) as fresh:
            response = client.get(url, params)
        assert response.status_code == 200, (url, params)
        with CaptureQueriesContext(connection) as cached:
            assert client.get(url, params).status_code == 200
        counts[(name, tuple(params.items()))] = (len(fresh), len(cached))
    return counts


def test_query_counts_stay_flat_from_10_to_100_countries(client, site_pages):
    network = shared_network()
    countries = build_countries(10, network=network)
    small = measure(client, countries[0].code)
    build_countries(90, offset=10, network=network)
    for index in range(3):  # and more of everything for the country whose profile is measured
        build_country(countries[0], 1000 + index, network)
    large = measure(client, countries[0].code)
    for page, (fresh, cached) in small.items():
        print(f"{page[0]} {dict(page[1])}: {fresh} queries computed afresh, {cached} from the cache")  # noqa: T201
    assert large == small
    for page, (fresh, cached) in small.items():
        assert fresh <= MAX_FRESH, page
        assert cached <= MAX_CACHED, page
        assert cached < fresh, page
