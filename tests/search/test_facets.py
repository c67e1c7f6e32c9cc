"""Facets: counts equal the section listings', each facet is counted with the other filters only,
filters combine (AND across facets, OR within one), and a search costs the same queries at any size."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from content_types.base.codes import page_type_code
from content_types.records.models import record_types
from content_types.vocabularies.models import Language, Subject
from tests.events.factories import EventFactory, WebinarFactory
from tests.records.factories import DecisionFactory, NeedFactory, OfferFactory, country, target

from .conftest import titles

pytestmark = pytest.mark.django_db

RECORD_TYPES = [page_type_code(model) for model in record_types()]


@pytest.fixture
def index(site_pages):
    return site_pages["records"]


@pytest.fixture
def records(index, publish):
    ias, marine = Subject.objects.get(code="SUBJ-IAS"), Subject.objects.get(code="SUBJ-MARINE")
    french, spanish = Language.objects.get(code="fr"), Language.objects.get(code="es")
    return publish(
        NeedFactory(title="Need one", countries=[country("FR")], gbf_targets=[target(3)], subjects=[ias]),
        NeedFactory(
            title="Need two",
            countries=[country("FR"), country("KE")],
            gbf_targets=[target(3), target(6)],
            languages=[french],
            publication_date=datetime.date(2024, 3, 1),
        ),
        NeedFactory(title="Need three", countries=[country("KE")], gbf_targets=[target(6)], subjects=[marine]),
        OfferFactory(title="Offer one", countries=[country("FR")], gbf_targets=[target(6)], languages=[spanish]),
        OfferFactory(title="Offer two", countries=[country("BR")], subjects=[ias, marine], source_portal="Kenya CHM"),
        DecisionFactory(title="Decision one", gbf_targets=[target(3)], publication_date=datetime.date(2023, 5, 5)),
    )


def listing_counts(index, **params) -> dict:
    listing = index.listing(RequestFactory().get("/en/records/", params))
    counts = {}
    for facet in listing.facets():
        key = "type" if facet.name == "type" else facet.name
        counts[key] = {(option.label if key == "type" else option.value): option.count for option in facet.options}
    return counts


def search_counts(search, **filters) -> dict:
    results = search(type=filters.pop("type", RECORD_TYPES), **filters)
    counts = {}
    for facet in results.facets:
        if facet.name == "type":
            counts["type"] = {
                option.label: option.count for option in facet.options if option.value in RECORD_TYPES and option.count
            }
        else:
            counts[facet.name] = {option.value: option.count for option in facet.options if option.count}
    return counts


@pytest.mark.parametrize(
    "params",
    [{}, {"country": "FR"}, {"target": "GBF-T6"}, {"country": "FR", "target": "GBF-T3"}, {"subject": "SUBJ-IAS"}],
)
def test_facet_counts_equal_the_records_listing(index, records, search, params):
    listing = listing_counts(index, **params)
    found = search_counts(search, **{name: [value] for name, value in params.items()})

    for facet in ("type", "country", "target", "subject", "language", "year"):
        assert found[facet] == listing[facet], facet


def test_a_facet_is_counted_without_its_own_filter(records, search):
    results = search(country=["FR"], type=RECORD_TYPES)
    facets = {facet.name: {option.value: option.count for option in facet.options} for facet in results.facets}

    assert results.total == 3
    assert facets["country"]["KE"] == 2 and facets["country"]["FR"] == 3  # other countries stay choosable
    assert facets["target"] == {"GBF-T3": 2, "GBF-T6": 2}  # within France only
    assert facets["type"]["need"] == 2


def test_filters_combine_and_across_and_or_within(records, search):
    assert set(titles(search(country=["FR"], target=["GBF-T6"]))) == {"Need two", "Offer one"}
    assert set(titles(search(country=["FR", "BR"], type=["offer"]))) == {"Offer one", "Offer two"}
    assert titles(search("need", country=["KE"], target=["GBF-T3"])) == ["Need two"]


def test_region_filter_includes_the_countries_within(records, search):
    europe = search(region=["150"], type=RECORD_TYPES)  # Europe: France, via Western Europe

    assert set(titles(europe)) == {"Need one", "Need two", "Offer one"}
    regions = {option.value for facet in europe.facets if facet.name == "region" for option in facet.options}
    assert {"150", "155", "002", "019"} <= regions


def test_year_and_source_facets(records, search):
    results = search(type=RECORD_TYPES)
    facets = {facet.name: {option.value: option for option in facet.options} for facet in results.facets}

    assert facets["year"]["2025"].count == 4 and facets["year"]["2024"].count == 1
    assert facets["source"]["local"].label == "This portal"
    assert facets["source"]["Kenya CHM"].count == 1
    assert titles(search(source=["Kenya CHM"])) == ["Offer two"]
    assert titles(search(year=["2023"])) == ["Decision one"]


def test_event_status_facet(site_pages, publish, search):
    publish(EventFactory(title="Restoration workshop"), WebinarFactory(title="Invasives webinar", status="cancelled"))

    results = search(type=["event"])
    status = next(facet for facet in results.facets if facet.name == "status")

    assert {option.value: (option.label, option.count) for option in status.options} == {
        "scheduled": ("Scheduled", 1),
        "cancelled": ("Cancelled", 1),
    }
    assert titles(search(status=["cancelled"])) == ["Invasives webinar"]


def test_facet_labels_are_in_the_visitor_language(records, search):
    results = search(country=["FR"], language="fr")
    country_facet = next(facet for facet in results.facets if facet.name == "country")

    assert {option.value: option.label for option in country_facet.options}["KE"] == "Kenya"
    assert results.applied_filters[0].label == "France"
    assert next(facet for facet in results.facets if facet.name == "type").label == "Type"


def test_sort_by_date(records, search):
    newest_first = titles(search(type=RECORD_TYPES, sort="date"))

    assert newest_first[-2:] == ["Need two", "Decision one"]


def test_pagination(records, search):
    first = search(type=RECORD_TYPES, page_size=4)
    second = search(type=RECORD_TYPES, page_size=4, page=2)

    assert (first.total, first.num_pages, len(first.hits), len(second.hits)) == (6, 2, 4, 2)
    assert not set(titles(first)) & set(titles(second))


def test_a_search_costs_the_same_queries_whatever_the_number_of_results(index, publish, search):
    def queries_for(count):
        for number in range(count):
            publish(
                NeedFactory(title=f"Budget need {count}-{number}", countries=[country("FR")], gbf_targets=[target(3)])
            )
        with CaptureQueriesContext(connection) as captured:
            results = search("budget", country=["FR"], target=["GBF-T3"], type=["need"], page_size=50)
        assert results.total >= count
        return len(captured)

    assert queries_for(3) == queries_for(30)
    assert queries_for(1) <= 14


def test_cached_counts_follow_every_change_of_the_index(records, publish, on_commit, search):
    before = search(type=["offer"])
    countries = {
        option.value: option.count for facet in before.facets if facet.name == "country" for option in facet.options
    }
    assert countries.get("KE", 0) == 0

    offer = publish(OfferFactory(title="Offer three", countries=[country("KE")]))
    after = search(type=["offer"])
    countries = {
        option.value: option.count for facet in after.facets if facet.name == "country" for option in facet.options
    }
    assert countries["KE"] == 1

    with on_commit():
        offer.unpublish()
    countries = {
        option.value: option.count
        for facet in search(type=["offer"]).facets
        if facet.name == "country"
        for option in facet.options
    }
    assert countries.get("KE", 0) == 0


def test_counted_codes_keep_the_total_and_the_asked_facets_only():
    from search.backends.database import of_facets

    rows = [("*", 7), ("#", 90), ("country:FR", 3), ("countryside:X", 1), ("target:GBF-T3", 2), ("year:2025", 4)]
    assert of_facets(rows, ["country:%", "year:%"]) == {"*": 7, "country:FR": 3, "year:2025": 4}
    assert of_facets(rows, ["target:%"], "#") == {"*": 7, "#": 90, "target:GBF-T3": 2}
