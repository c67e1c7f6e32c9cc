"""The Events section in a real browser: the map draws one marker per located event, the visitor
switches to past events and opens one."""

import datetime
import re
import zoneinfo
from decimal import Decimal

import pytest

from tests.events.factories import EventFactory, PastConferenceFactory, WebinarFactory, country

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def reset_sequences() -> None:
    """Point every table's id sequence past its rows again (the baseline is reloaded with explicit
    ids after a flush, so new rows would otherwise reuse id 1)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def events(live_site):
    reset_sequences()
    return {
        "nairobi": EventFactory(title="Restoration workshop in Nairobi"),
        "dakar": EventFactory(
            title="Coastal forum in Dakar",
            event_type="forum",
            city="Dakar",
            venue_name="Centre international de conférences Abdou Diouf",
            venue_country=country("SN"),
            latitude=Decimal("14.716700"),
            longitude=Decimal("-17.467700"),
            time_zone="Africa/Dakar",
            start=datetime.datetime(2099, 6, 1, 9, tzinfo=zoneinfo.ZoneInfo("Africa/Dakar")),
            end=datetime.datetime(2099, 6, 3, 17, tzinfo=zoneinfo.ZoneInfo("Africa/Dakar")),
        ),
        "webinar": WebinarFactory(title="Webinar on invasive species"),
        "paris": PastConferenceFactory(title="Pollinator conference in Paris"),
    }


def test_map_of_upcoming_events_then_past_events_then_one_event(live_site, page, events):
    page.goto(f"{live_site.url}/en/events/")

    # Two upcoming events have a venue with coordinates; the webinar is online only.
    map_element = page.locator("#events-map")
    map_element.wait_for()
    page.locator("#events-map[data-map-ready]").wait_for(state="attached")
    assert map_element.get_attribute("data-map-ready") == "2"
    assert page.locator("#events-map .leaflet-interactive").count() == 2
    cards = page.locator(".event-card .card-title")
    assert cards.all_inner_texts() == [
        "Webinar on invasive species",
        "Restoration workshop in Nairobi",
        "Coastal forum in Dakar",
    ]

    page.locator("nav.tabs").get_by_role("link", name=re.compile("Past")).click()

    page.wait_for_url(re.compile(r"/en/events/past/$"))
    assert page.locator("nav.tabs a[aria-current=page]").inner_text().startswith("Past")
    assert cards.all_inner_texts() == ["Pollinator conference in Paris"]
    page.locator("#events-map[data-map-ready='1']").wait_for(state="attached")

    cards.get_by_role("link", name="Pollinator conference in Paris").click()

    page.wait_for_url(re.compile(r"/en/events/conference-\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Pollinator conference in Paris"
    assert "This event has taken place." in page.locator("main").inner_text()
    assert "Europe/Paris time" in page.locator("dl.metadata").inner_text()
    page.locator("#event-map[data-map-ready='1']").wait_for(state="attached")
