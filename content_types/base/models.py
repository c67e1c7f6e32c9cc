"""What records, events and networks share: classification by the controlled vocabularies, a
summary for cards and feeds, map coordinates, and JSON-LD / Open Graph metadata.

Domain apps extend these; this module never imports them.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page

from cms import page_fragments, view_restrictions

from .classification import prefetch_classification


class AccessControlledPage:
    """A page whose admin permissions the portal's access authority answers (mixed in before ``Page``).

    Content never imports the workflows: the app that decides who sees what registers its tester
    factory ``(user, page) -> PagePermissionTester`` here at start-up; without one, Wagtail's own."""

    permission_testers: list = []

    def permissions_for_user(self, user):
        for factory in AccessControlledPage.permission_testers:
            return factory(user, self)
        return super().permissions_for_user(user)

    def get_view_restrictions(self):
        """Wagtail's answer, without its two queries for a page served through a stored route that no
        restriction concerns (``cms.view_restrictions``)."""
        ids = view_restrictions.applicable_page_ids(self)
        if ids is None:
            return super().get_view_restrictions()
        from wagtail.models import PageViewRestriction

        return PageViewRestriction.objects.filter(page_id__in=ids) if ids else PageViewRestriction.objects.none()


class ClassifiedPage(AccessControlledPage, Page):
    """A page classified by country, region, GBF target, subject and language (abstract)."""

    summary = models.TextField(
        _("summary"),
        max_length=600,
        blank=True,
        help_text=_("Two or three sentences shown in listings, search results and feeds (600 characters at most)."),
    )
    countries = ParentalManyToManyField(
        "vocabularies.Country", verbose_name=_("countries"), blank=True, related_name="+"
    )
    regions = ParentalManyToManyField(
        "vocabularies.Region",
        verbose_name=_("regions"),
        blank=True,
        related_name="+",
        help_text=_("Regions concerned beyond the countries' own (they are implied)."),
    )
    gbf_targets = ParentalManyToManyField(
        "vocabularies.GBFTarget", verbose_name=_("GBF targets"), blank=True, related_name="+"
    )
    subjects = ParentalManyToManyField("vocabularies.Subject", verbose_name=_("subjects"), blank=True, related_name="+")
    languages = ParentalManyToManyField(
        "vocabularies.Language", verbose_name=_("languages"), blank=True, related_name="+"
    )

    classification_panels = [
        MultiFieldPanel(
            [
                FieldPanel("countries"),
                FieldPanel("regions"),
                FieldPanel("gbf_targets"),
                FieldPanel("subjects"),
                FieldPanel("languages"),
            ],
            heading=_("Classification"),
            help_text=_("Used by the filters, the search and the API; choose every term that applies."),
        )
    ]

    # Relations a listing card shows; listings prefetch them so that a page costs the same
    # number of queries whatever its size.
    listing_prefetch = ["countries", "gbf_targets"]

    jsonld_type = "CreativeWork"
    og_type = "article"
    # Parts of the template kept rendered in the cache ({% page_fragment %}, cms.page_fragments).
    cached_fragments: tuple[str, ...] = ()
    # The kinds (app labels) of the other pages those parts show: a change to one of them retires the
    # parts; a change to a page of another kind leaves them (cms.page_fragments).
    fragment_kinds: tuple[str, ...] = ()

    def fragment_vary(self) -> tuple:
        """What the cached parts show that changes without an edit (with time): part of their keys."""
        return ()

    class Meta:
        abstract = True

    def index_url(self, request) -> str:
        """The address of the section's index (the parent): this page's own without its slug, as
        Wagtail builds page addresses (no query); the parent's when the page has no address."""
        url = self.get_url(request) or ""
        if url.endswith(f"/{self.slug}/"):
            return url[: -len(self.slug) - 1]
        parent = self.get_parent()
        return parent.get_url(request) if parent else ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["page_fragments"] = page_fragments.lookup(self, request, self.cached_fragments)
        if self.pk and not page_fragments.fragments_cached(context):
            # The classification shows in the page, its JSON-LD and its metadata: one query for all.
            prefetch_classification([self])
        return context

    def get_jsonld(self, request=None) -> dict:
        """schema.org description of the page; subclasses extend it. Its language is the one the
        text is in (an alias's is its source's)."""
        from .languages import text_language

        data = {
            "@context": "https://schema.org",
            "@type": self.jsonld_type,
            "name": self.title,
            "url": self.get_full_url(request),
            "inLanguage": text_language(self),
        }
        if self.summary:
            data["description"] = self.summary
        if self.pk:
            targets = [target.code for target in self.gbf_targets.all()]
            countries = [country.name for country in self.countries.all()]
            subjects = [subject.name for subject in self.subjects.all()]
            if countries:
                data["spatialCoverage"] = countries
            if targets or subjects:
                data["keywords"] = targets + subjects
        return data

    def get_og_description(self) -> str:
        return self.search_description or self.summary


class GeoLocated(models.Model):
    """Latitude and longitude in decimal degrees (WGS 84), both or neither."""

    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Decimal degrees between -90 and 90, e.g. 45.5017."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Decimal degrees between -180 and 180, e.g. -73.5673."),
    )

    coordinate_panels = [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Coordinates"))]

    class Meta:
        abstract = True

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({missing: _("Give both latitude and longitude, or neither.")})

    def map_marker(self, url: str = "", label: str = "") -> dict | None:
        """The marker of this place; a page's title in another language than the active one says
        which (``lang``, ``dir``), so that the map's pop-up can mark it."""
        from .languages import direction, is_foreign, text_language

        if not self.has_coordinates:
            return None
        title = getattr(self, "title", "") or str(self)
        marker = {"lat": float(self.latitude), "lon": float(self.longitude), "title": title, "url": url, "label": label}
        if isinstance(self, Page) and is_foreign(self, "title"):
            language = text_language(self, "title")
            marker.update(lang=language, dir=direction(language))
        return marker
