"""iCalendar (RFC 5545) files for one event or a feed of events, with the events' own time zones."""

import logging
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from cms import content_version
from cms.frontend_purge import page_tag

from .models import EventPage, EventStatus

logger = logging.getLogger(__name__)
PRODUCT_ID = "-//CHM Portal//Events//EN"
ICAL_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}


def event_uid(event: EventPage) -> str:
    """The same UID for an event in every language and for ever: it comes from the translation key."""
    return f"{event.translation_key}@chm-portal"


def stamp(event: EventPage) -> datetime:
    """DTSTAMP: when the event was last published, so that the same event gives the same file."""
    return (event.last_published_at or event.latest_revision_created_at or datetime.now(UTC)).astimezone(UTC)


def event_location(event: EventPage) -> str:
    lines = [event.venue_name, *event.venue_address.splitlines(), event.city]
    if event.venue_country_id:
        lines.append(event.venue_country.name)
    parts = [line.strip() for line in lines if line and line.strip()]
    return ", ".join(parts) or event.online_url


@lru_cache(maxsize=512)
def zone_component(tzid: str, first_year: int, last_year: int) -> Timezone | None:
    """The VTIMEZONE of ``tzid`` over whole years, made once per process: working out a zone's
    transitions costs about 10 ms, more than the rest of a feed's events. None for an unknown zone."""
    try:
        return Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31))
    except ValueError:
        return None


@lru_cache(maxsize=512)
def zone_text(tzid: str, first_year: int, last_year: int) -> bytes:
    """:func:`zone_component` as iCalendar text, written once per process (folding its lines costs
    more than a feed's cached events)."""
    zone = zone_component(tzid, first_year, last_year)
    return b"" if zone is None else zone.to_ical()


def add_time_zones(calendar: Calendar, first: date, last: date) -> None:
    """Every VTIMEZONE the events refer to, before them, in a stable order, covering whole years from
    ``first`` to ``last`` (as ``Calendar.add_missing_timezones``, with the components reused)."""
    zones = [zone_component(tzid, first.year, last.year) for tzid in sorted(calendar.get_missing_tzids())]
    position = len(calendar.timezones)
    for zone in zones:
        if zone is not None:
            calendar.subcomponents.insert(position, zone)
            position += 1


def event_component(event: EventPage, request=None, address=None) -> Event:
    component = Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", stamp(event))
    component.add("last-modified", stamp(event))
    component.add("summary", event.title)
    component.add("dtstart", event.local_start)
    component.add("dtend", event.local_end)
    component.add("status", ICAL_STATUS[event.status])
    component.add("categories", [event.get_event_type_display()])
    location = event_location(event)
    if location:
        component.add("location", location)
    if event.has_coordinates:
        component.add("geo", (float(event.latitude), float(event.longitude)))
    url = address(event) if address is not None else event.get_full_url(request)
    if url:
        component.add("url", url)
    description = [event.summary] if event.summary else []
    if event.online_url:
        description.append(event.online_url)
    if event.registration_url:
        description.append(event.registration_url)
    organisers = [page.title for page in event.organisations.all()] + event.organiser_names
    if organisers:
        description.append(_("Organised by: %(names)s") % {"names": ", ".join(organisers)})
    if description:
        component.add("description", "\n\n".join(description))
    return component


def build_calendar(events, request=None, name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    from interop.api.selectors import PageAddresses

    address = PageAddresses(request) if request is not None else None
    for event in events:
        calendar.add_component(event_component(event, request, address))
    if events:
        first = min(event.start for event in events) - timedelta(days=366)
        last = max(event.end for event in events) + timedelta(days=366)
        add_time_zones(calendar, first.date(), last.date())
    return calendar


def _event_entry(event: EventPage, request, address) -> tuple[bytes, tuple[str, ...]]:
    """An event's VEVENT as iCalendar text, and the time zones it names."""
    component = event_component(event, request, address)
    holder = Calendar()
    holder.add_component(component)
    return component.to_ical(), tuple(sorted(holder.get_missing_tzids()))


def _organiser_ids(event) -> list[int]:
    ids = getattr(event, "organiser_ids", None)  # a light row (see ``calendar_body``)
    return list(ids) if ids is not None else [page.pk for page in event.organisations.all()]


def _event_entries(events, request, address, load=None) -> list[tuple[bytes, tuple[str, ...]]]:
    """Each event's entry, kept in the shared cache per event, language, host and scheme under the
    versions of the event's page and its organisers' pages (``cms.content_version``): a change to
    one event or organisation rebuilds only the entries that show it. With ``load``, ``events`` are
    light rows and only the events whose entries are missing are loaded whole, through it."""
    tags = {event.pk: (page_tag(event.pk), *(page_tag(pk) for pk in _organiser_ids(event))) for event in events}
    versions = content_version.tag_versions({tag for names in tags.values() for tag in names}) if request else None
    if versions is None:
        events = _whole(events, [event.pk for event in events], load)
        return [_event_entry(event, request, address) for event in events]
    parts = (get_language(), request.get_host(), request.scheme)
    keys = {
        event.pk: "chm:ical-event:"
        + content_version._digest(
            (event.pk, parts), (versions[content_version.BASE], *(versions[tag] for tag in tags[event.pk]))
        )
        for event in events
    }
    try:
        found = cache.get_many(list(keys.values()))
    except Exception:  # noqa: BLE001 - an unreachable cache only means "build every entry"
        logger.warning("Could not read cached calendar entries", exc_info=True)
        found = {}
    whole = {
        event.pk: event for event in _whole(events, [event.pk for event in events if keys[event.pk] not in found], load)
    }
    entries, missing = [], {}
    for event in events:
        entry = found.get(keys[event.pk])
        if entry is None:
            entry = missing[keys[event.pk]] = _event_entry(whole[event.pk], request, address)
        entries.append(entry)
    if missing and content_version.writable():
        try:
            cache.set_many(missing, content_version.CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("Could not cache calendar entries", exc_info=True)
    return entries


def _whole(events, ids: list[int], load) -> list:
    """The events of ``ids`` as whole pages: those of ``events`` already, else read through ``load``."""
    if not ids:
        return []
    if load is None:
        wanted = set(ids)
        return [event for event in events if event.pk in wanted]
    return list(load(ids))


def calendar_body(events, request=None, name: str = "", load=None) -> bytes:
    """:func:`build_calendar`'s text, with each event's entry taken from the cache when it is there
    (building and writing an entry costs more than everything else in a feed).

    ``events`` are whole event pages, or — with ``load(ids)`` returning the whole pages of those ids —
    light rows holding ``pk``, ``start``, ``end`` and ``organiser_ids``: a feed of 500 events then
    loads only the events whose entries are not cached (after a change, those it concerns)."""
    from interop.api.selectors import PageAddresses

    address = PageAddresses(request) if request is not None else None
    entries = _event_entries(events, request, address, load)
    zones = b""
    if events:
        first = (min(event.start for event in events) - timedelta(days=366)).date()
        last = (max(event.end for event in events) + timedelta(days=366)).date()
        tzids = sorted({tzid for _text, names in entries for tzid in names})
        zones = b"".join(zone_text(tzid, first.year, last.year) for tzid in tzids)
    head, end = build_calendar([], request, name).to_ical().rsplit(b"END:VCALENDAR", 1)
    return head + zones + b"".join(text for text, _names in entries) + b"END:VCALENDAR" + end


def calendar_response(events, request, *, name: str, filename: str, load=None) -> HttpResponse:
    body = calendar_body(events, request, name, load)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
