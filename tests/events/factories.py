"""Factories of events. Events are created, published, under the English Events index."""

import datetime
import zoneinfo
from decimal import Decimal

import factory
import wagtail_factories
from django.utils import timezone

from content_types.events.models import EventIndexPage, EventPage
from content_types.vocabularies.models import Country, GBFTarget, Language, Subject

NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")


def events_index(language: str = "en") -> EventIndexPage:
    return EventIndexPage.objects.get(locale__language_code=language)


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def target(number: int) -> GBFTarget:
    return GBFTarget.objects.get(number=number)


def subject(code: str) -> Subject:
    return Subject.objects.get(code=code)


def language(code: str) -> Language:
    return Language.objects.get(code=code)


def in_days(days: int, hour: int = 9, zone=NAIROBI) -> datetime.datetime:
    """A time ``days`` from now at ``hour`` o'clock in ``zone``."""
    day = timezone.now().astimezone(zone).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


class EventFactory(wagtail_factories.PageFactory):
    """A workshop in Nairobi in a month, in Nairobi's time, also online."""

    parent = factory.LazyFunction(events_index)
    title = factory.Sequence(lambda n: f"Workshop on restoration {n}")
    slug = factory.Sequence(lambda n: f"workshop-{n}")
    summary = "Practitioners share experience on ecosystem restoration."
    event_type = "workshop"
    status = "scheduled"
    start = factory.LazyFunction(lambda: in_days(30, 9))
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(days=2, hours=8))
    time_zone = "Africa/Nairobi"
    venue_name = "United Nations Office at Nairobi"
    venue_address = "United Nations Avenue, Gigiri"
    city = "Nairobi"
    venue_country = factory.LazyFunction(lambda: country("KE"))
    latitude = Decimal("-1.234100")
    longitude = Decimal("36.814300")
    online_url = "https://meet.example.org/restoration"
    organisers = "Secretariat of the Convention on Biological Diversity"
    gbf_targets = factory.LazyFunction(lambda: [target(2)])
    subjects = factory.LazyFunction(lambda: [subject("SUBJ-RESTO")])
    languages = factory.LazyFunction(lambda: [language("en"), language("fr")])
    live = True

    class Meta:
        model = EventPage


class WebinarFactory(EventFactory):
    """An online-only webinar, two hours, in Geneva's time."""

    title = factory.Sequence(lambda n: f"Webinar on invasive species {n}")
    slug = factory.Sequence(lambda n: f"webinar-{n}")
    event_type = "webinar"
    start = factory.LazyFunction(lambda: in_days(10, 14, zoneinfo.ZoneInfo("Europe/Zurich")))
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=2))
    time_zone = "Europe/Zurich"
    venue_name = ""
    venue_address = ""
    city = ""
    venue_country = None
    latitude = None
    longitude = None
    online_url = "https://meet.example.org/ias"
    gbf_targets = factory.LazyFunction(lambda: [target(6)])
    subjects = factory.LazyFunction(lambda: [subject("SUBJ-IAS")])
    languages = factory.LazyFunction(lambda: [language("en")])


class PastConferenceFactory(EventFactory):
    """A conference in Paris that ended last year, in Paris's time, offline only."""

    title = factory.Sequence(lambda n: f"Conference on pollinators {n}")
    slug = factory.Sequence(lambda n: f"conference-{n}")
    event_type = "conference"
    start = factory.LazyFunction(lambda: in_days(-400, 9, zoneinfo.ZoneInfo("Europe/Paris")))
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(days=3, hours=8))
    time_zone = "Europe/Paris"
    venue_name = "UNESCO Headquarters"
    venue_address = "7 place de Fontenoy"
    city = "Paris"
    venue_country = factory.LazyFunction(lambda: country("FR"))
    latitude = Decimal("48.849400")
    longitude = Decimal("2.306300")
    online_url = ""
    gbf_targets = factory.LazyFunction(lambda: [target(11)])
    subjects = factory.LazyFunction(lambda: [subject("SUBJ-POLLIN")])
    languages = factory.LazyFunction(lambda: [language("fr")])
