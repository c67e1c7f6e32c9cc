"""Technical and scientific cooperation: needs (requests for assistance) and offers of support.

Needs and offers share the kinds of support, GBF targets, regions and languages, so that a later
matchmaking service can pair them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField

from cms.page_fragments import fragments_cached
from content_types.base.languages import linked_page

from .base import RecordPage, RecordType, record_edit_handler

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class SupportKind(models.TextChoices):
    EXPERTISE = "expertise", _("Expertise")
    TRAINING = "training", _("Training")
    TECHNOLOGY = "technology", _("Technology")
    FUNDING = "funding", _("Funding")
    DATA = "data", _("Data")
    POLICY_ADVICE = "policy-advice", _("Policy advice")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")


class NeedPage(RecordPage):
    """A Party's request for technical or scientific assistance; at least one GBF target is required."""

    record_type_code = RecordType.NEED
    required_classifications = ["gbf_targets"]

    needed = RichTextField(
        _("what is needed"),
        features=TEXT_FEATURES,
        help_text=_("Describe the assistance sought: the gap, the expected outcome, the people involved."),
    )
    support_kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.MEDIUM)
    status = models.CharField(_("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)

    edit_handler = record_edit_handler(
        [
            FieldPanel("needed"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("support_kind"), FieldPanel("urgency"), FieldPanel("status")]),
                    FieldPanel("needed_by"),
                ],
                heading=_("Request"),
                help_text=_("Choose the GBF targets this need serves in the Classification tab (required)."),
            ),
        ]
    )
    parent_page_types = ["records.RecordIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def metadata_items(self, request=None):
        items = [
            (_("Kind of support"), self.get_support_kind_display()),
            (_("Urgency"), self.get_urgency_display()),
            (_("Status"), self.get_status_display()),
        ]
        if self.needed_by:
            items.append((_("Needed by"), self.needed_by))
        return items

    def get_jsonld(self, request=None) -> dict:
        data = super().get_jsonld(request)
        data["genre"] = "request for assistance"
        data["about"] = self.get_support_kind_display()
        data["creativeWorkStatus"] = self.status
        return data


class OfferPage(RecordPage):
    """Expertise, technology or resources available to Parties that need them."""

    record_type_code = RecordType.OFFER

    offer_kind = models.CharField(_("kind of support offered"), max_length=20, choices=SupportKind.choices)
    provider = models.CharField(
        _("provider"), max_length=255, help_text=_("Who offers the support (an organisation or a person).")
    )
    provider_organisation = models.ForeignKey(
        "records.OrganisationPage",
        verbose_name=_("provider's organisation record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = RichTextField(_("what is offered"), features=TEXT_FEATURES)
    capacity = models.CharField(
        _("capacity"),
        max_length=255,
        blank=True,
        help_text=_("How much can be offered, e.g. two training sessions a year, 20 person-days."),
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)

    edit_handler = record_edit_handler(
        [
            MultiFieldPanel(
                [
                    FieldPanel("offer_kind"),
                    FieldPanel("provider"),
                    PageChooserPanel("provider_organisation", page_type="records.OrganisationPage"),
                    FieldPanel("capacity"),
                    FieldRowPanel([FieldPanel("available_from"), FieldPanel("available_until")]),
                ],
                heading=_("Offer"),
                help_text=_("Targets, regions and languages go in the Classification tab."),
            ),
            FieldPanel("description"),
        ]
    )
    parent_page_types = ["records.RecordIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def clean(self):
        super().clean()
        if self.available_from and self.available_until and self.available_until < self.available_from:
            raise ValidationError({"available_until": _("The offer cannot end before it becomes available.")})

    def metadata_items(self, request=None):
        items = [(_("Kind of support"), self.get_offer_kind_display()), (_("Provider"), self.own_text("provider"))]
        if self.capacity:
            items.append((_("Capacity"), self.own_text("capacity")))
        if self.available_from:
            items.append((_("Available from"), self.available_from))
        if self.available_until:
            items.append((_("Available until"), self.available_until))
        return items

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if fragments_cached(context):
            return context
        from .organisations import OrganisationPage

        context["provider_organisation"] = linked_page(self, OrganisationPage, self.provider_organisation_id)
        return context

    def get_jsonld(self, request=None) -> dict:
        data = super().get_jsonld(request)
        data["genre"] = "offer of assistance"
        data["about"] = self.get_offer_kind_display()
        data["provider"] = {"@type": "Organization", "name": self.provider}
        return data
