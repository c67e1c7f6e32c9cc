"""Projects and capacity-building initiatives: who implements them, when, with what funding."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail_localize.fields import SynchronizedField

from cms.page_fragments import fragments_cached
from content_types.base.languages import neutral
from content_types.base.models import GeoLocated

from .base import RecordPage, RecordType, record_edit_handler


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class ProjectPage(GeoLocated, RecordPage):
    """A project or capacity-building initiative; coordinates place its main site on the map."""

    record_type_code = RecordType.PROJECT

    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    implementing_agencies = models.TextField(
        _("implementing agencies"), blank=True, help_text=_("One organisation per line.")
    )
    funding_amount = models.DecimalField(
        _("funding amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("A funding amount cannot be negative."))],
    )
    funding_currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use the three-letter ISO 4217 code, e.g. USD or EUR."))],
        help_text=_("ISO 4217 code, e.g. USD."),
    )
    funders = models.TextField(_("funders"), blank=True, help_text=_("One funder per line."))

    edit_handler = record_edit_handler(
        [
            MultiFieldPanel(
                [
                    FieldPanel("status"),
                    FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                    FieldPanel("implementing_agencies"),
                ],
                heading=_("Project"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("funding_amount"), FieldPanel("funding_currency")]), FieldPanel("funders")],
                heading=_("Funding"),
            ),
            *GeoLocated.coordinate_panels,
        ]
    )
    override_translatable_fields = RecordPage.override_translatable_fields + [
        SynchronizedField("implementing_agencies"),
        SynchronizedField("funders"),
        SynchronizedField("funding_currency"),
    ]
    source_text_fields = (*RecordPage.source_text_fields, "implementing_agencies", "funders")
    jsonld_type = "Project"
    parent_page_types = ["records.RecordIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    @property
    def agency_list(self) -> list[str]:
        return [line.strip() for line in self.implementing_agencies.splitlines() if line.strip()]

    @property
    def funder_list(self) -> list[str]:
        return [line.strip() for line in self.funders.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The project cannot end before it starts.")
        if self.funding_amount is not None and not self.funding_currency:
            errors["funding_currency"] = _("Give the currency of the funding amount.")
        if errors:
            raise ValidationError(errors)

    def metadata_items(self, request=None):
        items = [(_("Status"), self.get_status_display())]
        if self.start_date:
            items.append((_("Start"), self.start_date))
        if self.end_date:
            items.append((_("End"), self.end_date))
        if self.agency_list:
            agencies = self.own_text("implementing_agencies", "; ".join(self.agency_list))
            items.append((_("Implementing agencies"), agencies))
        if self.funding_amount is not None:
            items.append((_("Funding"), neutral(f"{self.funding_amount:,.2f} {self.funding_currency}")))
        if self.funder_list:
            items.append((_("Funders"), self.own_text("funders", "; ".join(self.funder_list))))
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
        if self.start_date:
            data["startDate"] = self.start_date.isoformat()
        if self.end_date:
            data["endDate"] = self.end_date.isoformat()
        if self.funder_list:
            data["funder"] = [{"@type": "Organization", "name": name} for name in self.funder_list]
        if self.agency_list:
            data["member"] = [{"@type": "Organization", "name": name} for name in self.agency_list]
        if self.funding_amount is not None:
            data["funding"] = {
                "@type": "MonetaryGrant",
                "amount": {
                    "@type": "MonetaryAmount",
                    "value": float(self.funding_amount),
                    "currency": self.funding_currency,
                },
            }
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
