"""Editing events in the Wagtail admin as an Editor: bad input comes back with a clear message and
what was typed; times are read in the event's own time zone."""

import datetime
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from content_types.events.models import EventPage

from .factories import EventFactory, country, target

pytestmark = pytest.mark.django_db


def add_url(index) -> str:
    return reverse("wagtailadmin_pages:add", args=("events", "eventpage", index.pk))


def event_form(**overrides) -> dict:
    """A complete, valid event as the admin form posts it; times typed as a clock at the venue."""
    data = {
        "title": "Regional workshop on restoration",
        "slug": "regional-workshop-on-restoration",
        "summary": "Experts meet to plan restoration work.",
        "event_type": "workshop",
        "status": "scheduled",
        "start": "2027-03-10 09:00",
        "end": "2027-03-12 17:00",
        "time_zone": "Africa/Nairobi",
        "venue_name": "United Nations Office at Nairobi",
        "venue_address": "United Nations Avenue",
        "city": "Nairobi",
        "venue_country": str(country("KE").pk),
        "latitude": "-1.2341",
        "longitude": "36.8143",
        "online_url": "",
        "organisers": "Secretariat of the Convention on Biological Diversity",
        "registration_url": "https://register.example.org/",
        "registration_deadline": "2027-03-01 23:59",
        "gbf_targets": [str(target(2).pk)],
        "body": streamfield([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def error_texts(response) -> str:
    document = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(node.get_text(" ", strip=True) for node in document.select(".error-message, .help-critical"))


def field_value(response, name) -> str:
    document = BeautifulSoup(response.content.decode(), "html.parser")
    element = document.select_one(f'[name="{name}"]')
    if element.name == "textarea":
        return element.get_text()
    if element.name == "select":
        selected = element.select_one("option[selected]")
        return selected["value"] if selected else ""
    return element.get("value", "")


def test_an_editor_creates_an_event_with_times_read_in_the_event_zone(client, editor, index):
    client.force_login(editor)

    response = client.post(add_url(index), event_form(**{"action-publish": "publish"}))

    assert response.status_code == 302, error_texts(response)
    event = EventPage.objects.get(slug="regional-workshop-on-restoration", locale__language_code="en")
    assert event.live
    nairobi = zoneinfo.ZoneInfo("Africa/Nairobi")
    assert event.start == datetime.datetime(2027, 3, 10, 9, 0, tzinfo=nairobi)
    assert event.start.astimezone(datetime.UTC).hour == 6
    assert event.registration_deadline == datetime.datetime(2027, 3, 1, 23, 59, tzinfo=nairobi)
    assert list(event.countries.values_list("code", flat=True)) == ["KE"]


def test_the_edit_form_shows_the_times_of_the_event_zone(client, editor, index):
    event = EventFactory(
        start=datetime.datetime(2027, 3, 10, 6, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 3, 12, 14, 0, tzinfo=datetime.UTC),
        time_zone="Africa/Nairobi",
    )
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:edit", args=(event.pk,)))

    assert response.status_code == 200
    assert field_value(response, "start") == "2027-03-10 09:00"
    assert field_value(response, "end") == "2027-03-12 17:00"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end": "2027-03-09 17:00"}, "end", "The event must end after it starts."),
        (
            {"registration_deadline": "2027-03-13 09:00"},
            "registration_deadline",
            "The registration deadline must be before the event ends.",
        ),
        ({"latitude": "200"}, "latitude", "Ensure this value is less than or equal to 90."),
        ({"venue_name": "", "online_url": ""}, "venue_name", "Give a venue, an online link, or both."),
        ({"start": "2027-03-28 02:30", "time_zone": "Europe/Paris", "end": "2027-03-29 17:00"}, "start", "clocks"),
    ],
)
def test_bad_input_comes_back_with_a_message_and_the_typed_values(client, editor, index, overrides, field, message):
    client.force_login(editor)
    data = event_form(**overrides)

    response = client.post(add_url(index), data)

    assert response.status_code == 200
    assert message in error_texts(response)
    assert not EventPage.objects.filter(slug="regional-workshop-on-restoration").exists()
    assert field_value(response, "title") == "Regional workshop on restoration"
    assert field_value(response, "organisers").strip() == "Secretariat of the Convention on Biological Diversity"
    if field in ("end", "registration_deadline", "latitude", "start"):
        assert field_value(response, field) == data[field]


def test_a_submitter_cannot_open_the_event_form(client, submitter, index):
    client.force_login(submitter)

    response = client.get(add_url(index))

    assert response.status_code in (302, 403)
