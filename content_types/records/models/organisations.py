"""Organisations: who works on biodiversity, where (with coordinates for the map)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail_localize.fields import SynchronizedField

from cms.page_fragments import fragments_cached
from content_types.base.languages import InLanguage, neutral
from content_types.base.models import GeoLocated

from .base import RecordPage, RecordType, record_edit_handler


class OrganisationType(models.TextChoices):
    GOVERNMENT = "government", _("Government body")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
    NGO = "ngo", _("Non-governmental organisation")
    ACADEMIC = "academic", _("University or research institute")
    PRIVATE = "private", _("Private sector")
    IPLC = "iplc", _("Indigenous peoples and local communities")
    FUNDING = "funding", _("Funding body")
    OTHER = "other", _("Other")


class OrganisationPage(GeoLocated, RecordPage):
    """An organisation: acronym, type, country, address, website and location."""

    record_type_code = RecordType.ORGANISATION

    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    organisation_type = models.CharField(
        _("organisation type"), max_length=20, choices=OrganisationType.choices, default=OrganisationType.OTHER
    )
    country = models.ForeignKey(
        "vocabularies.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the organisation has its seat; also added to the record's countries."),
    )
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)

    edit_handler = record_edit_handler(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("acronym"), FieldPanel("organisation_type")]),
                    FieldPanel("country"),
                    FieldPanel("address"),
                    FieldPanel("website"),
                ],
                heading=_("Organisation"),
            ),
            *GeoLocated.coordinate_panels,
        ]
    )
    override_translatable_fields = RecordPage.override_translatable_fields + [
        SynchronizedField("acronym"),
        SynchronizedField("address"),
    ]
    jsonld_type = "Organization"
    og_type = "profile"
    parent_page_types = ["records.RecordIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def identifier_country_code(self):
        return self.country.code if self.country_id else super().identifier_country_code()

    def fill_derived_fields(self) -> None:
        if self.country_id:
            self.include_country(self.country)
        super().fill_derived_fields()

    def metadata_items(self, request=None):
        items = []
        if self.acronym:
            items.append((_("Acronym"), neutral(self.acronym)))
        items.append((_("Organisation type"), self.get_organisation_type_display()))
        if self.country_id:
            items.append((_("Country"), InLanguage(self.country.name, self.country.text_language)))
        return items

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if fragments_cached(context):
            return context
        marker = self.map_marker(url=self.get_url(request), label=self.record_type_label)
        context["markers"] = [marker] if marker else []
        return context

    def get_jsonld(self, request=None) -> dict:
        data = super().get_jsonld(request)
        for key in ("license", "datePublished", "isBasedOn"):
            data.pop(key, None)
        if self.acronym:
            data["alternateName"] = self.acronym
        if self.website:
            data["sameAs"] = self.website
        if self.address or self.country_id:
            address = {"@type": "PostalAddress"}
            if self.address:
                address["streetAddress"] = self.address
            if self.country_id:
                address["addressCountry"] = self.country.code
            data["address"] = address
        if self.has_coordinates:
            data["location"] = {
                "@type": "Place",
                "geo": {
                    "@type": "GeoCoordinates",
                    "latitude": float(self.latitude),
                    "longitude": float(self.longitude),
                },
            }
        return data
