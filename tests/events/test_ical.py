"""iCalendar output, parsed back with the icalendar package: one event, and the filtered feed."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from .factories import EventFactory, PastConferenceFactory, WebinarFactory, country

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def test_event_file_has_times_with_tzid_uid_location_and_url(client, index):
    event = EventFactory(
        title="Workshop; restoration, Nairobi",
        summary="Line one\nline two, with a comma; and a semicolon",
        start=datetime.datetime(2027, 3, 10, 6, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 3, 12, 14, 0, tzinfo=datetime.UTC),
        time_zone="Africa/Nairobi",
    )

    response = client.get(event.ical_url())

    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    calendar = parse(response)
    (component,) = vevents(calendar)
    nairobi = zoneinfo.ZoneInfo("Africa/Nairobi")
    start, end = component.decoded("dtstart"), component.decoded("dtend")
    assert start == datetime.datetime(2027, 3, 10, 9, 0, tzinfo=nairobi)
    assert end == datetime.datetime(2027, 3, 12, 17, 0, tzinfo=nairobi)
    assert component["dtstart"].params["TZID"] == "Africa/Nairobi"
    assert b"DTSTART;TZID=Africa/Nairobi:20270310T090000" in response.content
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Africa/Nairobi"]
    assert str(component["uid"]) == f"{event.translation_key}@chm-portal"
    assert str(component["status"]) == "CONFIRMED"
    assert str(component["summary"]) == "Workshop; restoration, Nairobi"
    assert b"SUMMARY:Workshop\\; restoration\\, Nairobi" in response.content
    assert "line two, with a comma; and a semicolon" in str(component["description"])
    assert str(component["location"]) == (
        "United Nations Office at Nairobi, United Nations Avenue, Gigiri, Nairobi, Kenya"
    )
    assert str(component["url"]).endswith(event.url)
    assert component["geo"].latitude == pytest.approx(-1.2341)


@pytest.mark.parametrize(("status", "expected"), [("postponed", "TENTATIVE"), ("cancelled", "CANCELLED")])
def test_event_file_status(client, index, status, expected):
    event = EventFactory(status=status)

    (component,) = vevents(parse(client.get(event.ical_url())))

    assert str(component["status"]) == expected


def test_online_event_location_is_its_link(client, index):
    webinar = WebinarFactory()

    (component,) = vevents(parse(client.get(webinar.ical_url())))

    assert str(component["location"]) == "https://meet.example.org/ias"
    assert component["dtstart"].params["TZID"] == "Europe/Zurich"


def test_uid_is_the_same_in_every_language(client, index, translate_to):
    event = EventFactory()
    french = translate_to(event, "fr", title="Atelier sur la restauration", draft_title="Atelier sur la restauration")

    english = vevents(parse(client.get(event.ical_url())))[0]
    translated = vevents(parse(client.get(french.ical_url())))[0]

    assert str(english["uid"]) == str(translated["uid"])
    assert str(translated["summary"]) == "Atelier sur la restauration"


def test_a_published_event_gives_the_same_file_on_every_download(client, index):
    event = EventFactory()
    event.save_revision().publish()
    event.refresh_from_db()

    assert client.get(event.ical_url()).content == client.get(event.ical_url()).content


def test_feed_lists_upcoming_events_only_soonest_first(client, index):
    later = EventFactory(start=datetime.datetime(2099, 5, 1, 9, tzinfo=datetime.UTC))
    sooner = WebinarFactory()
    PastConferenceFactory()

    calendar = parse(client.get(index.calendar_url()))

    assert str(calendar["x-wr-calname"]) == index.title
    assert [str(component["summary"]) for component in vevents(calendar)] == [sooner.title, later.title]
    assert {tz["tzid"] for tz in calendar.walk("VTIMEZONE")} == {"Africa/Nairobi", "Europe/Zurich"}


def test_feed_applies_the_filters(client, index):
    kenya = EventFactory()
    online = WebinarFactory()
    brazil = EventFactory(venue_country=country("BR"), time_zone="America/Sao_Paulo")

    by_country = parse(client.get(index.calendar_url(), {"country": "KE"}))
    by_type = parse(client.get(index.calendar_url(), {"type": "webinar"}))
    by_region = parse(client.get(index.calendar_url(), {"region": "419"}))

    assert [str(c["summary"]) for c in vevents(by_country)] == [kenya.title]
    assert [str(c["summary"]) for c in vevents(by_type)] == [online.title]
    assert [str(c["summary"]) for c in vevents(by_region)] == [brazil.title]


def test_feed_query_count_does_not_grow_with_the_number_of_events(client, index):
    for _ in range(3):
        EventFactory()
    client.get(index.calendar_url())  # the site frame and the route, cached alike for every count
    with CaptureQueriesContext(connection) as few:
        client.get(index.calendar_url())
    EventFactory()
    with CaptureQueriesContext(connection) as one_new:  # one event's entry is built, the others cached
        client.get(index.calendar_url())
    for _ in range(11):
        EventFactory()
    with CaptureQueriesContext(connection) as eleven_new:
        response = client.get(index.calendar_url())
    with CaptureQueriesContext(connection) as many:
        client.get(index.calendar_url())

    assert len(vevents(parse(response))) == 15
    assert len(eleven_new) == len(one_new)  # the events without a cached entry are loaded at once
    assert len(many) == len(few)
    assert len(many) == len(one_new) - 2  # cached entries: the events themselves are not loaded whole
