"""Event rules: validation by full_clean, times in the event's zone, the venue's country, JSON-LD."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from content_types.events.models import EventPage, time_zone_choices

from .factories import EventFactory, PastConferenceFactory, WebinarFactory, country, in_days

pytestmark = pytest.mark.django_db


def errors_of(page) -> dict:
    with pytest.raises(ValidationError) as caught:
        page.full_clean()
    return caught.value.message_dict


def test_a_valid_event_passes_full_clean(index):
    event = EventFactory()

    event.full_clean()


def test_end_before_start_is_refused(index):
    event = EventFactory()
    event.end = event.start - datetime.timedelta(hours=1)

    assert errors_of(event)["end"] == ["The event must end after it starts."]


def test_end_equal_to_start_is_refused(index):
    event = EventFactory()
    event.end = event.start

    assert "end" in errors_of(event)


def test_registration_deadline_after_the_end_is_refused(index):
    event = EventFactory(registration_url="https://register.example.org/")
    event.registration_deadline = event.end + datetime.timedelta(days=1)

    assert errors_of(event)["registration_deadline"] == ["The registration deadline must be before the event ends."]


def test_registration_deadline_before_the_end_is_accepted(index):
    event = EventFactory(registration_url="https://register.example.org/")
    event.registration_deadline = event.start - datetime.timedelta(days=7)

    event.full_clean()


def test_latitude_200_is_refused(index):
    event = EventFactory()
    event.latitude = Decimal("200")

    assert errors_of(event)["latitude"] == ["Ensure this value is less than or equal to 90."]


def test_latitude_without_longitude_is_refused(index):
    event = EventFactory()
    event.longitude = None

    assert errors_of(event)["longitude"] == ["Give both latitude and longitude, or neither."]


def test_no_venue_and_no_online_link_is_refused_on_both_fields(index):
    event = EventFactory()
    event.venue_name = ""
    event.online_url = ""

    errors = errors_of(event)
    assert errors["venue_name"] == ["Give a venue, an online link, or both."]
    assert errors["online_url"] == ["Give a venue, an online link, or both."]


def test_unknown_time_zone_is_refused(index):
    event = EventFactory()
    event.time_zone = "Mars/Olympus_Mons"

    assert "time_zone" in errors_of(event)


def test_time_zone_choices_are_canonical_iana_names():
    names = [value for value, _label in time_zone_choices()]

    assert {"UTC", "Africa/Nairobi", "Asia/Kathmandu", "America/Argentina/Buenos_Aires"} <= set(names)
    assert "localtime" not in names and "Factory" not in names and "US/Eastern" not in names
    for name in names:
        zoneinfo.ZoneInfo(name)


def test_times_are_shown_in_the_event_zone(index):
    event = EventFactory(
        start=datetime.datetime(2027, 3, 4, 6, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 3, 4, 14, 0, tzinfo=datetime.UTC),
        time_zone="Asia/Kathmandu",
    )

    assert event.local_start.isoformat() == "2027-03-04T11:45:00+05:45"
    assert event.utc_offset == "+05:45"
    assert event.zone_label == "Asia/Kathmandu time, UTC+05:45"
    assert event.is_single_day


def test_the_venue_country_joins_the_event_countries(index):
    event = EventFactory(venue_country=country("KE"), countries=[country("TZ")])

    codes = set(EventPage.objects.get(pk=event.pk).countries.values_list("code", flat=True))

    assert codes == {"KE", "TZ"}


def test_attendance_mode_follows_venue_and_link(index):
    assert EventFactory().attendance_mode == "mixed"
    assert WebinarFactory().attendance_mode == "online"
    assert PastConferenceFactory().attendance_mode == "offline"


def test_registration_is_open_until_the_deadline_and_never_when_cancelled(index):
    open_event = EventFactory(registration_url="https://r.example.org/", registration_deadline=in_days(20))
    closed = EventFactory(registration_url="https://r.example.org/", registration_deadline=in_days(-1))
    cancelled = EventFactory(registration_url="https://r.example.org/", status="cancelled")

    assert open_event.registration_open
    assert not closed.registration_open
    assert not cancelled.registration_open
    assert not PastConferenceFactory(registration_url="https://r.example.org/").registration_open


# --- JSON-LD -------------------------------------------------------------------------------------
def test_jsonld_of_a_mixed_event(rf, index):
    event = EventFactory(registration_url="https://register.example.org/", registration_deadline=in_days(20))

    data = event.get_jsonld(rf.get("/"))

    assert data["@type"] == "Event"
    assert data["startDate"] == event.start.astimezone(zoneinfo.ZoneInfo("Africa/Nairobi")).isoformat()
    assert data["startDate"].endswith("+03:00") and data["endDate"].endswith("+03:00")
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, virtual = data["location"]
    assert place["@type"] == "Place" and place["name"] == "United Nations Office at Nairobi"
    assert place["address"]["addressCountry"] == "KE"
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": -1.2341, "longitude": 36.8143}
    assert virtual == {"@type": "VirtualLocation", "url": "https://meet.example.org/restoration"}
    assert data["organizer"] == [
        {"@type": "Organization", "name": "Secretariat of the Convention on Biological Diversity"}
    ]
    assert sorted(data["inLanguage"]) == ["en", "fr"]
    assert data["offers"]["validThrough"].endswith("+03:00")


@pytest.mark.parametrize(
    ("status", "expected"),
    [("scheduled", "EventScheduled"), ("postponed", "EventPostponed"), ("cancelled", "EventCancelled")],
)
def test_jsonld_status(rf, index, status, expected):
    assert EventFactory(status=status).get_jsonld(rf.get("/"))["eventStatus"] == f"https://schema.org/{expected}"


def test_jsonld_of_online_and_offline_events(rf, index):
    online = WebinarFactory().get_jsonld(rf.get("/"))
    offline = PastConferenceFactory().get_jsonld(rf.get("/"))

    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.org/ias"}
    assert online["inLanguage"] == "en"
    assert offline["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert offline["location"]["@type"] == "Place"
    assert offline["startDate"].endswith(("+01:00", "+02:00"))
