"""National reports: a Party's progress towards the GBF targets over a reporting period."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, TranslatableMixin

from cms.page_fragments import fragments_cached
from content_types.base.languages import neutral

from ..blocks import IndicatorStreamBlock
from .base import RecordPage, RecordType, record_edit_handler


class ProgressLevel(models.TextChoices):
    ON_TRACK = "on-track", _("On track to achieve the target")
    SOME_PROGRESS = "some-progress", _("Some progress, but at an insufficient rate")
    NO_CHANGE = "no-change", _("No significant change")
    MOVING_AWAY = "moving-away", _("Moving away from the target")
    UNKNOWN = "unknown", _("Unknown")


class NationalReportPage(RecordPage):
    """A national report: one section per GBF target the Party reports on."""

    record_type_code = RecordType.REPORT

    reporting_period_start = models.DateField(_("reporting period start"))
    reporting_period_end = models.DateField(_("reporting period end"))

    edit_handler = record_edit_handler(
        [
            FieldRowPanel(
                [FieldPanel("reporting_period_start"), FieldPanel("reporting_period_end")],
                heading=_("Reporting period"),
                help_text=_("The first and last day the report covers."),
            ),
            InlinePanel(
                "sections",
                heading=_("Progress per GBF target"),
                label=_("Target section"),
                help_text=_("One section per GBF target the Party reports on."),
            ),
        ]
    )
    jsonld_type = "Report"
    parent_page_types = ["records.RecordIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("national report")
        verbose_name_plural = _("national reports")

    def clean(self):
        super().clean()
        start, end = self.reporting_period_start, self.reporting_period_end
        if start and end and end < start:
            raise ValidationError(
                {"reporting_period_end": _("The reporting period must end on or after the day it starts.")}
            )

    def metadata_items(self, request=None):
        return [
            (
                _("Reporting period"),
                neutral(f"{self.reporting_period_start:%Y-%m-%d} – {self.reporting_period_end:%Y-%m-%d}"),
            ),
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if fragments_cached(context):
            return context
        context["sections"] = list(self.sections.select_related("target"))
        return context

    def get_jsonld(self, request=None) -> dict:
        data = super().get_jsonld(request)
        if self.reporting_period_start and self.reporting_period_end:
            data["temporalCoverage"] = f"{self.reporting_period_start:%Y-%m-%d}/{self.reporting_period_end:%Y-%m-%d}"
        if self.pk:
            countries = [country.name for country in self.countries.all()]
            if countries:
                data["author"] = [{"@type": "Country", "name": name} for name in countries]
        return data


class ReportTargetSection(TranslatableMixin, Orderable):
    """What a Party reports on one GBF target: national target, progress, narrative, indicators."""

    page = ParentalKey(NationalReportPage, on_delete=models.CASCADE, related_name="sections")
    target = models.ForeignKey(
        "vocabularies.GBFTarget", verbose_name=_("GBF target"), on_delete=models.PROTECT, related_name="+"
    )
    national_target = models.TextField(
        _("national target"), blank=True, help_text=_("The Party's own target that contributes to this GBF target.")
    )
    progress = models.CharField(
        _("progress level"), max_length=20, choices=ProgressLevel.choices, default=ProgressLevel.UNKNOWN
    )
    narrative = RichTextField(
        _("narrative"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("What was done and achieved."),
    )
    indicators = StreamField(IndicatorStreamBlock(), verbose_name=_("indicator values"), blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("target"), FieldPanel("progress")], heading=_("Target and progress")),
        FieldPanel("national_target"),
        FieldPanel("narrative"),
        FieldPanel("indicators"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("target section")
        verbose_name_plural = _("target sections")

    def __str__(self) -> str:
        return str(self.target)
