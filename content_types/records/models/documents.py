"""Documents and resources, and good practices / case studies."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail_localize.fields import SynchronizedField

from content_types.base.languages import neutral

from .base import RecordPage, RecordType, record_edit_handler

SECTION_FEATURES = ["bold", "italic", "link", "ol", "ul"]


def validate_isbn(value: str) -> None:
    """An ISBN-10 or ISBN-13 with a correct check digit (hyphens and spaces allowed)."""
    digits = value.replace("-", "").replace(" ", "").upper()
    valid = False
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum((10 - i) * int(c) for i, c in enumerate(digits[:9])) + (10 if digits[9] == "X" else int(digits[9]))
        valid = total % 11 == 0
    elif len(digits) == 13 and digits.isdigit():
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
        valid = total % 10 == 0
    if not valid:
        raise ValidationError(_("“%(value)s” is not a valid ISBN-10 or ISBN-13."), params={"value": value}, code="isbn")


class DocumentType(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    GUIDANCE = "guidance", _("Guidance or manual")
    POLICY = "policy", _("Policy or strategy")
    LEGISLATION = "legislation", _("Legislation")
    TECHNICAL_REPORT = "technical-report", _("Technical report")
    TRAINING = "training", _("Training material")
    DATASET = "dataset", _("Dataset")
    OTHER = "other", _("Other")


class DocumentRecordPage(RecordPage):
    """A document or resource: a publication, guidance, a dataset…"""

    record_type_code = RecordType.DOCUMENT

    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices, default=DocumentType.PUBLICATION
    )
    authors = models.TextField(_("authors"), blank=True, help_text=_("One author (person or body) per line."))
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    pages = models.PositiveIntegerField(_("number of pages"), null=True, blank=True)
    isbn = models.CharField(
        _("ISBN"), max_length=17, blank=True, validators=[validate_isbn], help_text=_("ISBN-10 or ISBN-13.")
    )

    edit_handler = record_edit_handler(
        [
            MultiFieldPanel(
                [
                    FieldPanel("document_type"),
                    FieldPanel("authors"),
                    FieldPanel("publisher"),
                    FieldRowPanel([FieldPanel("pages"), FieldPanel("isbn")]),
                ],
                heading=_("Document"),
            )
        ]
    )
    override_translatable_fields = RecordPage.override_translatable_fields + [
        SynchronizedField("authors"),
        SynchronizedField("isbn"),
    ]
    source_text_fields = (*RecordPage.source_text_fields, "authors")
    parent_page_types = ["records.RecordIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def author_list(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    def metadata_items(self, request=None):
        items = [(_("Document type"), self.get_document_type_display())]
        if self.author_list:
            items.append((_("Authors"), self.own_text("authors", "; ".join(self.author_list))))
        if self.publisher:
            items.append((_("Publisher"), self.own_text("publisher")))
        if self.pages:
            items.append((_("Pages"), self.pages))
        if self.isbn:
            items.append((_("ISBN"), neutral(self.isbn)))
        return items

    def get_jsonld(self, request=None) -> dict:
        data = super().get_jsonld(request)
        if self.author_list:
            data["author"] = [{"@type": "Person", "name": name} for name in self.author_list]
        if self.publisher:
            data["publisher"] = {"@type": "Organization", "name": self.publisher}
        if self.pages:
            data["numberOfPages"] = self.pages
        if self.isbn:
            data["isbn"] = self.isbn
        data["genre"] = self.get_document_type_display()
        return data


class GoodPracticePage(RecordPage):
    """A good practice or case study: the challenge, the approach, the results and the lessons."""

    record_type_code = RecordType.GOOD_PRACTICE

    challenge = RichTextField(_("challenge"), features=SECTION_FEATURES, help_text=_("The problem that was tackled."))
    approach = RichTextField(_("approach"), features=SECTION_FEATURES, help_text=_("What was done, by whom."))
    results = RichTextField(
        _("results"), blank=True, features=SECTION_FEATURES, help_text=_("What changed, with figures where possible.")
    )
    lessons = RichTextField(
        _("lessons learned"), blank=True, features=SECTION_FEATURES, help_text=_("What others should repeat or avoid.")
    )

    edit_handler = record_edit_handler(
        [
            MultiFieldPanel(
                [FieldPanel("challenge"), FieldPanel("approach"), FieldPanel("results"), FieldPanel("lessons")],
                heading=_("Case study"),
            )
        ]
    )
    parent_page_types = ["records.RecordIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    def get_jsonld(self, request=None) -> dict:
        data = super().get_jsonld(request)
        data["genre"] = "case study"
        return data
