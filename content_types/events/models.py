"""Events: dialogues, workshops, webinars and conferences, with dates in the event's own time zone,
a venue with coordinates and/or an online link, an iCalendar file each and a calendar feed."""

import zoneinfo
from collections import defaultdict
from datetime import datetime
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms import page_fragments
from cms.blocks import BodyStreamBlock
from cms.page_fragments import CachedCard, fragments_cached
from content_types.base.codes import legacy_redirect
from content_types.base.languages import InLanguage, page_text_language, prime_text_languages
from content_types.base.maps import MapScope, map_caption
from content_types.base.models import AccessControlledPage, ClassifiedPage, GeoLocated
from interop.feeds.routes import SectionFeedsMixin
from interop.transfer.routes import ListingExportMixin

from .forms import EventPageForm

CALENDAR_FEED_LIMIT = 500
#: The card of an event in the listing, with its list item (``{% cached_cards %}``).
EVENT_CARD_TEMPLATE = "events/includes/event_list_item.html"
_LEGACY_ZONE_PREFIXES = ("Etc/", "SystemV/", "US/", "posix", "right", "Canada/", "Brazil/", "Chile/", "Mexico/")


def time_zone_choices() -> list[tuple[str, str]]:
    """IANA zones by their canonical "Area/City" names (legacy aliases left out), plus UTC."""
    return list(_time_zone_choices())


@lru_cache(maxsize=1)
def _time_zone_choices() -> tuple[tuple[str, str], ...]:
    names = sorted(
        name for name in zoneinfo.available_timezones() if "/" in name and not name.startswith(_LEGACY_ZONE_PREFIXES)
    )
    return (("UTC", "UTC"), *((name, name.replace("_", " ")) for name in names))


def zone_or_utc(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return zoneinfo.ZoneInfo("UTC")


class EventType(models.TextChoices):
    DIALOGUE = "dialogue", _("Dialogue")
    ROUND_TABLE = "round-table", _("Round table")
    FORUM = "forum", _("Forum")
    KNOWLEDGE_FAIR = "knowledge-fair", _("Knowledge fair")
    EXHIBITION = "exhibition", _("Exhibition")
    SYMPOSIUM = "symposium", _("Symposium")
    CONFERENCE = "conference", _("Conference")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    TRAINING = "training", _("Training")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class EventIndexPage(ListingExportMixin, SectionFeedsMixin, AccessControlledPage, Page):
    """The Events section: upcoming and past events with filters, a map and a calendar feed."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("events index")

    def events(self):
        return EventPage.objects.child_of(self).live().public()

    def listing(self, request, when: str):
        from .listing import EventListing

        return EventListing(request, self.events(), when=when, card_template=EVENT_CARD_TEMPLATE)

    def feed_listing(self, request):
        return self.listing(request, "upcoming")

    def feed_queryset(self, request, listing):
        """Every event matching the filters, upcoming or past: a feed announces what was published."""
        return listing.filtered(exclude="when")

    @path("", name="upcoming")
    def upcoming_events(self, request):
        return self._render_listing(request, "upcoming")

    @path("past/", name="past")
    def past_events(self, request):
        return self._render_listing(request, "past")

    def _render_listing(self, request, when):
        redirect = legacy_redirect(request)
        if redirect:
            return redirect
        listing = self.listing(request, when)
        context = listing.context()
        events = list(context["results"])
        markers = self.page_markers(listing, events, request)
        context.update(
            when=when,
            tab_counts=listing.tab_counts(),
            markers=markers,
            map_caption=map_caption(
                shown=len(markers), located=len(markers), results=len(events), scope=MapScope.THIS_PAGE
            ),
            upcoming_url=self.url + self.reverse_subpage("upcoming").lstrip("/"),
            past_url=self.url + self.reverse_subpage("past").lstrip("/"),
            calendar_url=self.calendar_url(),
            feed_query=listing.feed_query_string(),
        )
        return self.render(request, context_overrides=context)

    def page_markers(self, listing, events, request) -> list[dict]:
        """The markers of the events on this page, each kept in the cache with its event's own version
        (``page_fragments.values_per_page``): a change to one event recomputes its marker alone. Events
        whose cards came from the cache are loaded only when their markers are not there either."""
        shown = {event.pk: event for event in events}

        def compute(missing):
            cached = [pk for pk in missing if isinstance(shown[pk], CachedCard)]
            loaded = {event.pk: event for event in listing._loaded(EventPage.objects.filter(pk__in=cached))}
            pages = {pk: loaded.get(pk) if isinstance(shown[pk], CachedCard) else shown[pk] for pk in missing}
            return {
                pk: page.map_marker(url=page.get_url(request), label=page.marker_label())
                for pk, page in pages.items()
                if page is not None
            }

        markers = page_fragments.values_per_page(request, "events-marker", list(shown), compute)
        return [markers[event.pk] for event in events if event.pk in markers]

    def calendar_url(self) -> str:
        return self.url + self.reverse_subpage("calendar").lstrip("/")

    @path("calendar/", name="calendar")
    def calendar(self, request):
        """The upcoming events, with the listing's filters applied, as one iCalendar feed.

        At ``calendar/`` rather than ``calendar.ics``: Wagtail's page URLs allow no dot."""
        from .ical import calendar_response

        redirect = legacy_redirect(request)
        if redirect:
            return redirect
        listing = self.listing(request, "upcoming")
        # Light rows first (dates and organisers: what the cached entries are found by); whole pages
        # only for the events whose entries are not cached.
        events = list(listing.filtered().order_by("start", "pk").only("pk", "start", "end")[:CALENDAR_FEED_LIMIT])
        organisers = defaultdict(list)
        through = EventPage.organisations.through.objects.filter(eventpage_id__in=[event.pk for event in events])
        for event_id, organisation_id in through.values_list("eventpage_id", "organisationpage_id"):
            organisers[event_id].append(organisation_id)
        for event in events:
            event.organiser_ids = organisers[event.pk]

        def load(ids):
            whole = (
                EventPage.objects.filter(pk__in=ids)
                .select_related("venue_country", "locale")
                .prefetch_related("organisations")
            )
            return whole.order_by("start", "pk")

        return calendar_response(events, request, name=self.title, filename=f"{self.slug}.ics", load=load)


# What the event page and its JSON-LD show of an organising organisation: its title and acronym, a link
# to it, and the language its title is in.
ORGANISATION_LINK_FIELDS = ("title", "acronym", "url_path", "live", "locale_id", "alias_of_id", "translation_key")


class EventPage(RoutablePageMixin, ClassifiedPage, GeoLocated):
    """An event: when (in its own time zone), where (a venue, online or both), who organises it."""

    cached_fragments = ("meta", "content")  # {% page_fragment %}: the same for every visitor
    fragment_kinds = ("records",)  # other pages the cached parts show: the organisers

    event_type = models.CharField(_("type of event"), max_length=20, choices=EventType.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        help_text=_("Postponed and cancelled events stay listed, with their status shown."),
    )
    start = models.DateTimeField(_("starts"), help_text=_("Local time at the venue, in the event's time zone."))
    end = models.DateTimeField(_("ends"), help_text=_("Local time at the venue, in the event's time zone."))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=time_zone_choices,
        default="UTC",
        help_text=_("The zone of the venue (or of the organisers, for an online event); times are shown in it."),
    )
    venue_name = models.CharField(
        _("venue"), max_length=255, blank=True, help_text=_("E.g. United Nations Office at Nairobi.")
    )
    venue_address = models.TextField(_("address"), blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    venue_country = models.ForeignKey(
        "vocabularies.Country",
        verbose_name=_("country of the venue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Added to the event's countries when saved."),
    )
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Where participants join online (web conference or stream).")
    )
    organisations = ParentalManyToManyField(
        "records.OrganisationPage",
        verbose_name=_("organising organisations"),
        blank=True,
        related_name="organised_events",
        help_text=_("Organisers that have an organisation record; others go in the box below."),
    )
    organisers = models.TextField(
        _("other organisers"), blank=True, help_text=_("Organisers without a record, one per line.")
    )
    registration_url = models.URLField(_("registration link"), blank=True)
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Local time in the event's time zone; must be before the event ends."),
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    base_form_class = EventPageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("event_type"), FieldPanel("status")], heading=_("Event")),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("time_zone")],
            heading=_("Dates"),
            help_text=_("Type the times as they read on a clock at the venue; the time zone below says which."),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldPanel("venue_address"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("venue_country")]),
                *GeoLocated.coordinate_panels,
                FieldPanel("online_url"),
            ],
            heading=_("Place"),
            help_text=_("Give a venue, an online link, or both."),
        ),
        MultiFieldPanel(
            [
                FieldPanel("organisations"),
                FieldPanel("organisers"),
                FieldPanel("registration_url"),
                FieldPanel("registration_deadline"),
            ],
            heading=_("Organisers and registration"),
        ),
        FieldPanel("body"),
        *ClassifiedPage.classification_panels,
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("venue_name"),
        index.SearchField("city"),
        index.SearchField("organisers"),
        index.SearchField("body"),
        index.FilterField("start"),
        index.FilterField("event_type"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    listing_prefetch = ["countries", "gbf_targets", "venue_country"]
    jsonld_type = "Event"
    og_type = "website"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["start", "end"], name="events_event_start_end")]

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The event must end after it starts.")
        if self.registration_deadline and self.end and self.registration_deadline >= self.end:
            errors["registration_deadline"] = _("The registration deadline must be before the event ends.")
        if not self.venue_name.strip() and not self.online_url:
            message = _("Give a venue, an online link, or both.")
            errors["venue_name"] = message
            errors["online_url"] = message
        if errors:
            raise ValidationError(errors)

    def fill_derived_fields(self) -> None:
        """The venue's country always counts among the event's countries, so that filters find it
        (on a save, and for events written in bulk)."""
        if self.venue_country_id:
            unsaved = self.pk is None and "countries" not in getattr(self, "_cluster_related_objects", {})
            countries = [] if unsaved else list(self.countries.all())
            if self.venue_country not in countries:
                self.countries = [*countries, self.venue_country]

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        return super().save(*args, **kwargs)

    # --- dates in the event's zone ----------------------------------------------------------------
    @cached_property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zone_or_utc(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.zone)

    @property
    def utc_offset(self) -> str:
        """The zone's offset at the start, as ``+03:00``."""
        raw = self.local_start.strftime("%z") or "+0000"
        return f"{raw[:3]}:{raw[3:]}"

    @property
    def zone_label(self) -> str:
        return _("%(zone)s time, UTC%(offset)s") % {"zone": self.time_zone.replace("_", " "), "offset": self.utc_offset}

    @property
    def is_single_day(self) -> bool:
        return self.local_start.date() == self.local_end.date()

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    def fragment_vary(self) -> tuple:
        """The cached parts say whether the event is over and whether registration is open."""
        return (self.is_past, self.registration_open)

    @property
    def registration_open(self) -> bool:
        now = timezone.now()
        return bool(
            self.registration_url
            and self.status != EventStatus.CANCELLED
            and self.end > now
            and (self.registration_deadline is None or self.registration_deadline > now)
        )

    # --- place ---------------------------------------------------------------------------------
    @property
    def attendance_mode(self) -> str:
        if self.venue_name and self.online_url:
            return "mixed"
        return "online" if self.online_url else "offline"

    @property
    def organiser_names(self) -> list[str]:
        """The organisers without a record, one per line of the text."""
        return [line.strip() for line in self.organisers.splitlines() if line.strip()]

    def localized_organisations(self) -> list:
        """The organising organisations in the page's language where translated (two queries, once)."""
        if not hasattr(self, "_localized_organisations"):
            self._localized_organisations = self._find_localized_organisations()
        return self._localized_organisations

    def _find_localized_organisations(self) -> list:
        from content_types.records.models import OrganisationPage

        # Only what a link to each shows (an organisation record's hundred columns cost more to read
        # than the queries themselves).
        shown = ORGANISATION_LINK_FIELDS
        linked = list(self.organisations.only(*shown)) if self.pk else []
        # Those in another language than the page's are looked for in its language.
        elsewhere = [page.translation_key for page in linked if page.locale_id != self.locale_id]
        if not linked:
            return []
        translated = (
            {
                page.translation_key: page
                for page in OrganisationPage.objects.live()
                .public()
                .filter(translation_key__in=elsewhere, locale_id=self.locale_id)
                .only(*shown)
            }
            if elsewhere
            else {}
        )
        return prime_text_languages([translated.get(page.translation_key, page) for page in linked if page.live])

    def place_parts(self) -> list[InLanguage]:
        """City and country, or "Online" (or the venue), each with the language it is written in."""
        parts = []
        if self.city:
            parts.append(InLanguage(self.city, page_text_language(self, "city")))
        if self.venue_country_id:
            parts.append(InLanguage(self.venue_country.name, self.venue_country.text_language))
        if not parts and self.online_url:
            parts.append(InLanguage(str(_("Online")), get_language()))
        elif not parts and self.venue_name:
            parts.append(InLanguage(self.venue_name, page_text_language(self, "venue_name")))
        return parts

    def place_label(self) -> str:
        """City and country, or "Online", for cards and map pop-ups."""
        return ", ".join(str(part) for part in self.place_parts())

    def marker_label(self) -> str:
        return f"{date_format(self.local_start, 'DATE_FORMAT')} · {self.place_label()}"

    # --- iCalendar and JSON-LD ----------------------------------------------------------------
    @path("ical/", name="ical")
    def ical(self, request):
        from .ical import calendar_response

        return calendar_response([self], request, name=self.title, filename=f"{self.slug}.ics")

    def ical_url(self) -> str:
        return self.url + self.reverse_subpage("ical").lstrip("/")

    def get_jsonld(self, request=None) -> dict:
        data = super().get_jsonld(request)
        status = {
            EventStatus.SCHEDULED: "EventScheduled",
            EventStatus.POSTPONED: "EventPostponed",
            EventStatus.CANCELLED: "EventCancelled",
        }[self.status]
        mode = {"mixed": "Mixed", "online": "Online", "offline": "Offline"}[self.attendance_mode]
        data.update(
            startDate=self.local_start.isoformat(),
            endDate=self.local_end.isoformat(),
            eventStatus=f"https://schema.org/{status}",
            eventAttendanceMode=f"https://schema.org/{mode}EventAttendanceMode",
        )
        locations = []
        if self.venue_name:
            place = {"@type": "Place", "name": self.venue_name}
            address = {"@type": "PostalAddress"}
            if self.venue_address:
                address["streetAddress"] = self.venue_address
            if self.city:
                address["addressLocality"] = self.city
            if self.venue_country_id:
                address["addressCountry"] = self.venue_country.code
            if len(address) > 1:
                place["address"] = address
            if self.has_coordinates:
                place["geo"] = {
                    "@type": "GeoCoordinates",
                    "latitude": float(self.latitude),
                    "longitude": float(self.longitude),
                }
            locations.append(place)
        if self.online_url:
            locations.append({"@type": "VirtualLocation", "url": self.online_url})
        if locations:
            data["location"] = locations[0] if len(locations) == 1 else locations
        organisers = [
            {"@type": "Organization", "name": page.title, "url": page.get_full_url(request)}
            for page in self.localized_organisations()
        ]
        organisers += [{"@type": "Organization", "name": name} for name in self.organiser_names]
        if organisers:
            data["organizer"] = organisers
        if self.pk:
            languages = [language.code for language in self.languages.all()]
            if languages:
                data["inLanguage"] = languages[0] if len(languages) == 1 else languages
        if self.registration_url:
            offer = {"@type": "Offer", "url": self.registration_url}
            if self.registration_deadline:
                offer["validThrough"] = self.registration_deadline.astimezone(self.zone).isoformat()
            data["offers"] = offer
        return data

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)  # reads the classification in one query
        context["index_url"] = self.index_url(request)
        if fragments_cached(context):
            return context
        marker = self.map_marker(label=self.place_label())
        context["markers"] = [marker] if marker else []
        context["organisations"] = self.localized_organisations()
        return context
