"""Decisions of the governing bodies, paragraph by paragraph, so that implementation can be tracked."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable, TranslatableMixin
from wagtail_localize.fields import SynchronizedField

from cms.page_fragments import fragments_cached
from content_types.base.languages import neutral

from .base import RecordPage, RecordType, record_edit_handler


class ParagraphType(models.TextChoices):
    OPERATIONAL = "operational", _("Operational")
    INFORMATIONAL = "informational", _("Informational")


class ParagraphStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    IMPLEMENTED = "implemented", _("Implemented")
    ELAPSED = "elapsed", _("Elapsed")
    SUPERSEDED = "superseded", _("Superseded")
    RETIRED = "retired", _("Retired")


class DecisionPage(RecordPage):
    """A decision of a meeting (e.g. COP-16 decision 16/1) and the status of each paragraph."""

    record_type_code = RecordType.DECISION

    meeting = models.CharField(
        _("meeting"),
        max_length=30,
        validators=[
            RegexValidator(r"^[A-Z][A-Z-]{1,14}-?\d{1,3}(?:\.\d{1,2})?$", _("Use the meeting's code, e.g. COP-16."))
        ],
        help_text=_("The meeting that adopted the decision, e.g. COP-16, CP-11, NP-5, SBI-4."),
    )
    number = models.CharField(
        _("decision number"),
        max_length=20,
        validators=[
            RegexValidator(r"^[0-9IVXLC]{1,6}/\d{1,3}$", _("Use the form 16/1 (or XIV/8 for older decisions)."))
        ],
        help_text=_("e.g. 16/1"),
    )

    edit_handler = record_edit_handler(
        [
            FieldRowPanel([FieldPanel("meeting"), FieldPanel("number")], heading=_("Decision")),
            InlinePanel(
                "paragraphs",
                heading=_("Paragraphs"),
                label=_("Paragraph"),
                help_text=_("Each paragraph with its type, implementation status and the actors it addresses."),
            ),
        ]
    )
    override_translatable_fields = RecordPage.override_translatable_fields + [
        SynchronizedField("meeting"),
        SynchronizedField("number"),
    ]
    parent_page_types = ["records.RecordIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    @property
    def reference(self) -> str:
        return f"{self.meeting} {self.number}"

    def metadata_items(self, request=None):
        return [(_("Meeting"), neutral(self.meeting)), (_("Decision number"), neutral(self.number))]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if fragments_cached(context):
            return context
        paragraphs = list(self.paragraphs.all())
        counts = {}
        for paragraph in paragraphs:
            counts[paragraph.status] = counts.get(paragraph.status, 0) + 1
        context["paragraphs"] = paragraphs
        context["status_counts"] = [
            (label, counts[value]) for value, label in ParagraphStatus.choices if counts.get(value)
        ]
        return context

    def get_jsonld(self, request=None) -> dict:
        data = super().get_jsonld(request)
        data["alternateName"] = self.reference
        data["publisher"] = {"@type": "Organization", "name": self.meeting}
        return data


class DecisionParagraph(TranslatableMixin, Orderable):
    """One paragraph of a decision, with what it asks and how far it is implemented."""

    page = ParentalKey(DecisionPage, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.CharField(_("number"), max_length=20, help_text=_("As in the decision, e.g. 3 or 3 (a)."))
    text = models.TextField(_("text"))
    paragraph_type = models.CharField(
        _("type"), max_length=20, choices=ParagraphType.choices, default=ParagraphType.OPERATIONAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ParagraphStatus.choices, default=ParagraphStatus.ACTIVE
    )
    actors = models.CharField(
        _("actors"),
        max_length=500,
        blank=True,
        help_text=_("Whom the paragraph addresses, e.g. Parties; Executive Secretary; GEF."),
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("paragraph_type"), FieldPanel("status")]),
        FieldPanel("text"),
        FieldPanel("actors"),
    ]
    override_translatable_fields = [SynchronizedField("number")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("decision paragraph")
        verbose_name_plural = _("decision paragraphs")

    def __str__(self) -> str:
        return self.number
