"""The home page resolves an address in a fixed number of queries and answers as Wagtail's walk does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.events.factories import EventFactory
from tests.records.factories import NeedFactory, OrganisationFactory, country

pytestmark = pytest.mark.django_db


def test_a_record_is_found_and_its_address_costs_the_same_at_any_depth(client, site_pages):
    record = NeedFactory(title="Routed need", countries=[country("FR")])

    def routing_queries(captured):
        return [query for query in captured.captured_queries if '"wagtailcore_page"."url_path" IN' in query["sql"]]

    with CaptureQueriesContext(connection) as cold:
        response = client.get(record.url)
    assert response.status_code == 200
    assert response.context["page"].pk == record.pk
    assert type(response.context["page"]).__name__ == "NeedPage"
    assert len(routing_queries(cold)) == 1  # every page along the address in one query
    with CaptureQueriesContext(connection) as warm:
        assert client.get(record.url).status_code == 200
    assert routing_queries(warm) == []  # then the route comes from the shared cache


def test_unknown_and_unpublished_pages_answer_404(client, site_pages):
    record = OrganisationFactory(title="Soon gone", countries=[country("KE")])
    assert client.get(f"{site_pages['records'].url}no-such-record/").status_code == 404
    assert client.get(f"{record.url}deeper/").status_code == 404
    assert client.get("/en/no-such-section/at-all/").status_code == 404
    record.unpublish()
    assert client.get(record.url).status_code == 404


def test_a_routable_page_answers_its_own_routes_before_its_children(client, site_pages):
    event = EventFactory(title="An event called past", slug="past")
    response = client.get(f"{site_pages['events'].url}past/")
    assert response.status_code == 200
    assert response.context["when"] == "past"  # the past events listing, as Wagtail routes it
    assert event.url.endswith("/past/")


def test_subpage_routes_of_the_last_page_still_answer(client, site_pages):
    assert client.get(f"{site_pages['events'].url}calendar/").status_code == 200
    response = client.get(f"{site_pages['records'].url}markers/")
    assert response.status_code == 200 and response.json()["type"] == "FeatureCollection"
