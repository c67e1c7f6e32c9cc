"""Networks, communities of practice and partnerships, their members (organisations and experts, each
with a role) and the requests to join that a network's coordinator accepts or declines.

Memberships are rows of their own, not inline children of the page: join requests arrive from the
public site between two revisions, and publishing a page revision must never erase them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms import content_version, page_fragments
from cms.blocks import BodyStreamBlock
from cms.page_fragments import fragments_cached
from content_types.base.classification import prefetch_classification
from content_types.base.codes import legacy_redirect
from content_types.base.languages import prime_text_languages
from content_types.base.listing import requested_page
from content_types.base.maps import markers_response
from content_types.base.models import AccessControlledPage, ClassifiedPage
from interop.feeds.routes import SectionFeedsMixin
from interop.transfer.routes import ListingExportMixin

from .admin_forms import NetworkPageForm

MAX_MAP_MARKERS = 500
#: Member organisations per page of the members list (the members map as text).
MEMBERS_PAGE_SIZE = 50
#: A network's card in the directory (``network_index_page.html`` shows it with ``{% cached_cards %}``).
NETWORK_CARD_TEMPLATE = "networks/includes/network_list_item.html"


def original_of(page):
    """The first page of ``page``'s translation group (lowest id): the one memberships point to, so
    that a network has one list of members whatever the language it is read in."""
    if page is None:
        return None
    model = type(page)
    return model.objects.filter(translation_key=page.translation_key).order_by("pk").first() or page


def localize_pages(pages, locale_id, model) -> dict:
    """translation_key → the live page of ``model`` in ``locale_id`` (one query), for display: looked for
    only for the pages in another language (a page in that language stands for itself)."""
    keys = {page.translation_key for page in pages if page is not None and page.locale_id != locale_id}
    if not keys:
        return {}
    return {
        page.translation_key: page
        for page in model.objects.live()
        .public()
        .filter(translation_key__in=keys, locale_id=locale_id)
        .select_related("locale")
    }


class NetworkKind(models.TextChoices):
    NETWORK = "network", _("Network")
    COMMUNITY_OF_PRACTICE = "community-of-practice", _("Community of practice")
    PARTNERSHIP = "partnership", _("Partnership")


class NetworkScope(models.TextChoices):
    GLOBAL = "global", _("Global")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    THEMATIC = "thematic", _("Thematic")


class MemberRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    PARTNER = "partner", _("Partner")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Asked to join")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


OPEN_STATUSES = [MembershipStatus.PENDING, MembershipStatus.ACTIVE]


class NetworkIndexPage(ListingExportMixin, SectionFeedsMixin, AccessControlledPage, Page):
    """The Networks section: a directory with filters and a map of the member organisations."""

    # The members map shows the listed networks' member organisations (cms.content_version tags).
    MAP_TAGS = ("listing-networks", "listing-records")

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["networks.NetworkPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("networks index")

    def networks(self):
        return NetworkPage.objects.child_of(self).live().public()

    def feed_listing(self, request):
        return self.listing(request)

    def feed_queryset(self, request, listing):
        return listing.filtered()

    def listing(self, request):
        from .listing import NetworkListing

        return NetworkListing(request, self.networks(), card_template=NETWORK_CARD_TEMPLATE)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Cards found in the cache are neither loaded nor prefetched nor counted (cms.page_fragments).
        listing = self.listing(request)
        context.update(listing.context())
        # The page carries only the number of markers and the addresses that serve them: what grows
        # with the members is fetched by the map (GeoJSON) or read page by page in the members list.
        data = self.map_data(listing, request)
        shown = len(data["markers"])
        context["markers_count"] = shown
        if shown:
            context["markers_url"] = self.map_route_url("markers", listing)
            context["members_url"] = self.map_route_url("members", listing)
            context["map_caption"] = listing.map_caption(shown, data["located"], context["total"])
        return context

    @staticmethod
    def map_filters(listing) -> tuple[tuple[str, str], ...]:
        """The applied filters, which alone decide the members on the map (not the order, page or page size)."""
        return tuple((name, value) for name, value in listing.link_params() if name not in ("sort", "per_page"))

    def map_route_url(self, name: str, listing) -> str:
        query = urlencode(self.map_filters(listing))
        return self.url + self.reverse_subpage(name).lstrip("/") + (f"?{query}" if query else "")

    def map_parts(self, listing, request) -> tuple:
        # Member addresses come from get_url(request): with several sites they carry the host.
        return (self.pk, get_language(), request.get_host(), request.scheme, self.map_filters(listing))

    def map_data(self, listing, request) -> dict:
        """The markers of the located member organisations of the listed networks, and how many
        organisations have a location, kept in the shared cache until the content changes: the page
        only needs their number, the map and the members list read them from here."""

        def organisation_markers(missing) -> dict:
            from content_types.records.models import OrganisationPage

            organisations = OrganisationPage.objects.filter(pk__in=missing).select_related("locale")
            return {
                organisation.pk: organisation.map_marker(url=organisation.get_url(request), label=organisation.acronym)
                for organisation in prime_text_languages(list(organisations))
            }

        def compute():
            # Each organisation's marker is kept with its own version: a change to one organisation (or
            # to a network, which changes who is listed) reads that one alone, not every member again.
            ids = listing.member_organisation_ids(self.locale_id)
            found = page_fragments.values_per_page(request, "network-member-marker", ids, organisation_markers)
            markers = [found[pk] for pk in ids if pk in found]
            return {"markers": markers, "located": listing.located_member_count(len(markers))}

        parts = self.map_parts(listing, request)
        return content_version.cached("networks-members-markers", parts, compute, tags=self.MAP_TAGS)

    @path("markers/", name="markers")
    def markers(self, request):
        """The members map's markers for the filters in the query string, as GeoJSON."""
        listing = self.listing(request)
        etag = content_version.etag("networks-members-markers", self.map_parts(listing, request), tags=self.MAP_TAGS)
        return markers_response(self.map_data(listing, request)["markers"], etag)

    @path("members/", name="members")
    def members(self, request):
        """The members map as a list, page by page, for visitors without the map: the same member
        organisations, by name, for the filters in the query string."""
        listing = self.listing(request)
        markers = self.map_data(listing, request)["markers"]
        paginator = Paginator(markers, MEMBERS_PAGE_SIZE)
        page_messages = []
        members = paginator.page(requested_page(request, paginator, page_messages))
        query = urlencode(self.map_filters(listing))
        context = {
            "page": self,
            "self": self,
            "members": members,
            "total": paginator.count,
            "chips": listing.chips(),
            "clear_url": "?",
            "filter_messages": listing.filter_messages(),
            "page_messages": page_messages,
            "query_string": query,
            "listing_url": self.url + (f"?{query}" if query else ""),
        }
        return TemplateResponse(request, "networks/network_members.html", context)

    def serve(self, request, *args, **kwargs):
        return legacy_redirect(request) or super().serve(request, *args, **kwargs)


class NetworkPage(RoutablePageMixin, ClassifiedPage):
    """A network, community of practice or partnership, with its members and coordinator."""

    # What every visitor sees alike ({% page_fragment %}); who may join or manage is not in them.
    cached_fragments = ("meta", "header", "about", "related")
    fragment_kinds = ("events", "records")  # other pages the cached parts show: events, records, members

    kind = models.CharField(_("kind"), max_length=25, choices=NetworkKind.choices, default=NetworkKind.NETWORK)
    scope = models.CharField(_("scope"), max_length=12, choices=NetworkScope.choices, default=NetworkScope.GLOBAL)
    established = models.DateField(_("established"), null=True, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_networks",
        help_text=_("The person who accepts or declines requests to join (Editors may too)."),
    )
    website = models.URLField(_("website"), blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)
    linked_events = ParentalManyToManyField(
        "events.EventPage", verbose_name=_("events"), blank=True, related_name="networks"
    )
    linked_records = ParentalManyToManyField(
        "records.RecordPage", verbose_name=_("records"), blank=True, related_name="networks"
    )

    base_form_class = NetworkPageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("scope")]),
                FieldPanel("established"),
                FieldPanel("website"),
                FieldPanel("coordinator"),
            ],
            heading=_("Network"),
            help_text=_("Focal areas are the subjects, in the Classification panel below."),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("linked_events"), FieldPanel("linked_records")],
            heading=_("Linked events and records"),
            help_text=_("Members are managed under Networks › Memberships and by the coordinator on the site."),
        ),
        *ClassifiedPage.classification_panels,
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("scope"),
    ]
    parent_page_types = ["networks.NetworkIndexPage"]
    subpage_types = []

    listing_prefetch = ["countries", "gbf_targets", "regions"]
    jsonld_type = "Organization"
    og_type = "website"

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    # --- members --------------------------------------------------------------------------------
    def memberships(self):
        """Memberships of this network whatever the language of the page they were made from."""
        return NetworkMembership.objects.filter(network__translation_key=self.translation_key)

    def active_members(self) -> list["NetworkMembership"]:
        """Active memberships with their member pages in this page's language (a few queries, once)."""
        if not hasattr(self, "_active_members"):
            self._active_members = self._find_active_members()
        return self._active_members

    def _find_active_members(self) -> list["NetworkMembership"]:
        from content_types.records.models import ExpertProfilePage, OrganisationPage

        memberships = list(
            self.memberships()
            .filter(status=MembershipStatus.ACTIVE)
            .select_related("organisation__locale", "expert__locale")
        )
        organisations = localize_pages([m.organisation for m in memberships], self.locale_id, OrganisationPage)
        experts = localize_pages([m.expert for m in memberships], self.locale_id, ExpertProfilePage)
        for membership in memberships:
            member = membership.member
            table = organisations if membership.organisation_id else experts
            membership.display_member = table.get(member.translation_key, member)
        role_order = list(MemberRole.values)
        memberships.sort(key=lambda item: (role_order.index(item.role), item.display_member.title.lower()))
        shown = [membership for membership in memberships if membership.display_member.live]
        prime_text_languages([membership.display_member for membership in shown])
        return shown

    def localized_events(self) -> list:
        """Linked events in this page's language where translated, soonest first: the events with their
        language and country, their translations, and their targets (one query of the link table, the
        terms from the process's copy of the vocabulary)."""
        from content_types.events.models import EventPage

        linked = self.linked_events.select_related("locale", "venue_country")
        events = [event for event in linked if event.live] if self.pk else []
        translated = localize_pages(events, self.locale_id, EventPage)
        shown = sorted((translated.get(event.translation_key, event) for event in events), key=lambda e: e.start)
        prefetch_related_objects(shown, "locale", "venue_country")  # a translation's country (one query, if any)
        prefetch_classification(shown, ("gbf_targets",))
        return prime_text_languages(shown)

    def localized_records(self) -> list:
        from content_types.records.models import RecordPage

        linked = self.linked_records.select_related("locale")
        records = [record for record in linked if record.live] if self.pk else []
        translated = localize_pages(records, self.locale_id, RecordPage)
        shown = [translated.get(record.translation_key, record) for record in records]
        return prime_text_languages(shown)

    # --- routes: join, requests, decisions (see views.py) -----------------------------------------
    @path("join/", name="join")
    def join(self, request):
        from .views import join_network

        return join_network(request, self)

    @path("requests/", name="requests")
    def membership_requests(self, request):
        from .views import membership_requests

        return membership_requests(request, self)

    @path("requests/<int:membership_id>/", name="decide")
    def decide(self, request, membership_id):
        from .views import decide_request

        return decide_request(request, self, membership_id)

    def route_url(self, name: str, **kwargs) -> str:
        return self.url + self.reverse_subpage(name, kwargs=kwargs or None).lstrip("/")

    def get_context(self, request, *args, **kwargs):
        from .permissions import can_manage_members
        from .views import join_state

        # The classification (template and JSON-LD) in one query, unless the parts showing it are cached.
        context = super().get_context(request, *args, **kwargs)
        if not fragments_cached(context):
            context["members"] = self.active_members()
            context["events"] = self.localized_events()
            context["records"] = self.localized_records()
            context["markers"] = [
                membership.display_member.map_marker(
                    url=membership.display_member.get_url(request), label=membership.get_role_display()
                )
                for membership in context["members"]
                if membership.organisation_id
            ]
        context["index_url"] = self.index_url(request)
        context["may_manage"] = can_manage_members(request.user, self)
        if context["may_manage"]:
            context["pending_count"] = self.memberships().filter(status=MembershipStatus.PENDING).count()
        context.update(join_state(request, self))
        return context

    def get_jsonld(self, request=None) -> dict:
        data = super().get_jsonld(request)
        data.pop("spatialCoverage", None)
        data.pop("inLanguage", None)
        area = [country.name for country in self.countries.all()] + [region.name for region in self.regions.all()]
        if area:
            data["areaServed"] = area
        if self.website:
            data["sameAs"] = self.website
        if self.established:
            data["foundingDate"] = self.established.isoformat()
        data["additionalType"] = self.get_kind_display()
        members = []
        for membership in self.active_members():
            member = membership.display_member
            entry = {
                "@type": "OrganizationRole",
                "roleName": membership.get_role_display(),
                "member": {
                    "@type": "Organization" if membership.organisation_id else "Person",
                    "name": member.title,
                    "url": member.get_full_url(request),
                },
            }
            if membership.since:
                entry["startDate"] = membership.since.isoformat()
            members.append(entry)
        if members:
            data["member"] = members
        return data


class NetworkMembership(models.Model):
    """An organisation or an expert in a network, with a role; also a request to join (pending)."""

    # The original page of the network (see ``original_of``); read through NetworkPage.memberships().
    network = models.ForeignKey(NetworkPage, verbose_name=_("network"), on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "records.OrganisationPage",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="network_memberships",
    )
    expert = models.ForeignKey(
        "records.ExpertProfilePage",
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="network_memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    since = models.DateField(_("member since"), null=True, blank=True)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=False, expert__isnull=True)
                    | Q(organisation__isnull=True, expert__isnull=False)
                ),
                name="networks_membership_one_member",
                violation_error_message=_("Choose either an organisation or an expert, not both."),
            ),
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(status__in=OPEN_STATUSES),
                name="networks_membership_open_organisation",
                violation_error_message=_("This organisation has already asked to join or is a member."),
            ),
            models.UniqueConstraint(
                fields=["network", "expert"],
                condition=Q(status__in=OPEN_STATUSES),
                name="networks_membership_open_expert",
                violation_error_message=_("This expert has already asked to join or is a member."),
            ),
        ]
        indexes = [models.Index(fields=["network", "status"], name="networks_membership_status")]

    def __str__(self) -> str:
        return f"{self.member} — {self.network} ({self.get_role_display()}, {self.get_status_display()})"

    @property
    def member(self):
        return self.organisation if self.organisation_id else self.expert

    @property
    def is_open(self) -> bool:
        """Pending or active: the member may not ask again."""
        return self.status in OPEN_STATUSES

    @property
    def member_kind(self) -> str:
        return _("Organisation") if self.organisation_id else _("Expert")

    def clean(self):
        super().clean()
        if bool(self.organisation_id) == bool(self.expert_id):
            message = _("Choose either an organisation or an expert, not both.")
            if not self.organisation_id:
                message = _("Choose an organisation or an expert.")
            raise ValidationError({"organisation": message, "expert": message})
        # Point at the original pages, so that one network has one list whatever its language.
        if self.network_id:
            self.network = original_of(self.network)
        if self.organisation_id:
            self.organisation = original_of(self.organisation)
        if self.expert_id:
            self.expert = original_of(self.expert)
        if self.status == MembershipStatus.ACTIVE and self.since is None:
            self.since = timezone.localdate()
