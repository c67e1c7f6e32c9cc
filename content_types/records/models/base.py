"""The record base page: the metadata every record type shares, whatever its kind.

``RecordPage`` is concrete (multi-table inheritance) but not creatable: one table holds the shared
metadata of every type, so that one listing, one facet query, one search index and one API endpoint
cover all records, while each type keeps its own fields in its own table.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms.page_fragments import fragments_cached
from content_types.base.languages import InLanguage, page_text_language, prime_text_languages
from content_types.base.models import ClassifiedPage

from ..blocks import RecordBodyBlock
from ..forms import RecordPageForm
from ..identifiers import (
    allocate_identifier,
    allocate_identifiers,
    identifier_prefix,
    reserve_identifier,
    validate_identifier,
)


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
    CC_BY_SA = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)")
    CC0 = "CC0-1.0", _("Public domain dedication (CC0 1.0)")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")
    OTHER = "other", _("Other (see the record)")


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class RecordType(models.TextChoices):
    """The record types and the code each puts in its identifiers."""

    REPORT = "REPORT", _("National report")
    DECISION = "DECISION", _("Decision")
    DOCUMENT = "DOC", _("Document")
    ORGANISATION = "ORG", _("Organisation")
    PROJECT = "PROJECT", _("Project")
    GOOD_PRACTICE = "PRACTICE", _("Good practice")
    NEED = "NEED", _("Need")
    OFFER = "OFFER", _("Offer")
    EXPERT = "EXPERT", _("Expert")


METADATA_PANELS = [
    MultiFieldPanel(
        [FieldPanel("identifier"), FieldRowPanel([FieldPanel("publication_date"), FieldPanel("licence")])],
        heading=_("Record"),
    ),
    InlinePanel(
        "attachments",
        heading=_("Attachments"),
        label=_("Attachment"),
        help_text=_("Documents of this record (PDF, office files, data); each with a title readers see."),
    ),
    InlinePanel(
        "related_records",
        heading=_("Related records"),
        label=_("Related record"),
        help_text=_("Other records readers should know about: a project's reports, a need's offers…"),
    ),
]
PROVENANCE_PANELS = [
    MultiFieldPanel(
        [FieldPanel("source_portal"), FieldPanel("source_url"), FieldPanel("harvested_at")],
        heading=_("Provenance"),
        help_text=_("Filled in by harvesting. A harvested record belongs to its source portal: correct it there."),
    )
]


def record_edit_handler(type_panels: list, type_heading=None) -> TabbedInterface:
    """The editor's tabs for a record type: its own fields, classification, metadata, provenance."""
    return TabbedInterface(
        [
            ObjectList(
                [FieldPanel("title"), FieldPanel("summary"), *type_panels, FieldPanel("body")],
                heading=type_heading or _("Content"),
            ),
            ObjectList(ClassifiedPage.classification_panels, heading=_("Classification")),
            ObjectList(METADATA_PANELS, heading=_("Record metadata")),
            ObjectList(PROVENANCE_PANELS, heading=_("Provenance")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )


class RecordPage(ClassifiedPage):
    """Every record: identifier, type, dates, licence, attachments, related records and provenance.

    Concrete (one table and one query for every type), but never created as such: editors create
    one of the concrete types. Review runs through Viewflow, so Wagtail's own moderation workflow
    is switched off for records (``get_workflow`` returns None).
    """

    record_type_code = ""  # set by each concrete type; see RecordType
    cached_fragments = ("meta", "content")
    # Kinds of other pages the cached parts show (cms.page_fragments): related records, organisations.
    fragment_kinds = ("records",)

    identifier = models.CharField(
        _("identifier"),
        max_length=40,
        blank=True,
        db_index=True,
        validators=[validate_identifier],
        help_text=_(
            "Stable identifier across portals, e.g. CHM-NEED-FR-2026-0001. Leave empty to have one "
            "generated when the record is first saved; keep the original one for harvested records."
        ),
    )
    record_type = models.CharField(_("record type"), max_length=10, choices=RecordType.choices, editable=False)
    publication_date = models.DateField(
        _("publication date"),
        default=timezone.localdate,
        help_text=_("When the record (or the document it describes) was published."),
    )
    licence = models.CharField(
        _("licence"),
        max_length=30,
        choices=Licence.choices,
        default=Licence.CC_BY,
        help_text=_("Under which terms others may reuse this record's content."),
    )
    source_portal = models.CharField(
        _("source portal"),
        max_length=255,
        blank=True,
        help_text=_("Name of the portal this record was harvested from; empty for records made here."),
    )
    source_url = models.URLField(
        _("original address"), max_length=500, blank=True, help_text=_("The record's address on its source portal.")
    )
    harvested_at = models.DateTimeField(_("harvested at"), null=True, blank=True)
    body = StreamField(RecordBodyBlock(), verbose_name=_("body"), blank=True)

    metadata_panels = METADATA_PANELS
    provenance_panels = PROVENANCE_PANELS
    edit_handler = record_edit_handler([])
    base_form_class = RecordPageForm

    search_fields = ClassifiedPage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("identifier"),
        index.FilterField("record_type"),
        index.FilterField("publication_date"),
    ]
    override_translatable_fields = [
        SynchronizedField("identifier"),
        SynchronizedField("source_portal"),
        SynchronizedField("harvested_at"),
    ]
    listing_prefetch = ["countries", "gbf_targets"]
    listing_specific = False  # a record's card shows only fields every record has (its type included)
    # Attachments are not translatable: a translation shows their titles in the source's language.
    source_text_fields = ("attachments",)

    is_creatable = False
    parent_page_types = ["records.RecordIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")

    # --- identity -----------------------------------------------------------------------------
    @property
    def record_type_label(self) -> str:
        code = self.record_type_code or self.record_type
        return RecordType(code).label if code else self._meta.verbose_name

    def relation_values(self, name: str) -> list:
        """A ParentalManyToMany's values, in memory or saved; empty on a new page that has none yet."""
        if self.pk is None and name not in getattr(self, "_cluster_related_objects", {}):
            return []
        return list(getattr(self, name).all())

    def include_country(self, country) -> None:
        """Add ``country`` (a type's own country field) to the classification, so that filters find it."""
        current = self.relation_values("countries")
        if country is not None and country not in current:
            self.countries = [*current, country]

    def identifier_country_code(self) -> str | None:
        """The country in generated identifiers: the only country of the record, else none (INT)."""
        codes = {country.code for country in self.relation_values("countries")}
        return codes.pop() if len(codes) == 1 else None

    def _identifier_owners(self, identifier: str):
        """Records of another translation_key that already use ``identifier``."""
        return RecordPage.objects.filter(identifier=identifier).exclude(translation_key=self.translation_key)

    def generate_identifier(self) -> str:
        """A new identifier from the prefix's counter (an atomic upsert: safe when records are saved at once)."""
        year = (self.publication_date or timezone.localdate()).year
        prefix = identifier_prefix(self.record_type_code or "REC", self.identifier_country_code(), year)
        used = RecordPage.objects.filter(identifier__startswith=prefix).values_list("identifier", flat=True)
        return allocate_identifier(prefix, list(used))

    def clean(self):
        super().clean()
        if self.identifier and self._identifier_owners(self.identifier).exists():
            raise ValidationError(
                {
                    "identifier": _(
                        "Another record already has the identifier %(identifier)s. Choose another one, "
                        "or leave the field empty to have one generated."
                    )
                    % {"identifier": self.identifier}
                }
            )

    def fill_derived_fields(self) -> None:
        """The values a save derives from the others (the type's code; a type's own country among the
        countries), also for pages written in bulk, without :meth:`save`."""
        if self.record_type_code:
            self.record_type = self.record_type_code

    @classmethod
    def assign_identifiers(cls, pages: list) -> None:
        """Give new ``pages`` (unsaved, derived fields filled, none a version of another) the
        identifiers :meth:`save` would give them one by one, in their order, with one counter update
        per prefix."""
        by_prefix: dict = {}
        for page in pages:
            if not page.identifier:
                year = (page.publication_date or timezone.localdate()).year
                prefix = identifier_prefix(page.record_type_code or "REC", page.identifier_country_code(), year)
                by_prefix.setdefault(prefix, []).append(page)
        for prefix, group in by_prefix.items():
            used = RecordPage.objects.filter(identifier__startswith=prefix).values_list("identifier", flat=True)
            for page, identifier in zip(group, allocate_identifiers(prefix, list(used), len(group)), strict=True):
                page.identifier = identifier

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        if not self.identifier:
            # An existing record (or another language of it) keeps the identifier it already has.
            sibling = (
                RecordPage.objects.filter(translation_key=self.translation_key)
                .exclude(identifier="")
                .values_list("identifier", flat=True)
                .first()
            )
            self.identifier = sibling or self.generate_identifier()
        elif set(RecordPage.objects.filter(identifier=self.identifier).values_list("translation_key", flat=True)) != {
            self.translation_key
        }:
            # A typed, harvested or copied identifier, new to this record: lock its prefix (and keep
            # the counter past it), then check again; a copy made in code (the admin's "copy page")
            # arrives with its source's identifier and gets its own.
            reserve_identifier(self.identifier)
            if self._identifier_owners(self.identifier).exists():
                self.identifier = self.generate_identifier()
        return super().save(*args, **kwargs)

    # --- Wagtail moderation is off: Viewflow runs the review ------------------------------------
    @property
    def has_workflow(self):
        return False

    def get_workflow(self):
        return None

    # --- other apps may own a record for a while (the review flow): they lock it here ------------
    #: Callables ``(page) -> wagtail.locks.BaseLock | None``, registered by the apps that own records
    #: for a while (the review flow, in its ``AppConfig.ready``), so that records never import them.
    lock_sources: list = []

    def get_lock(self):
        """A registered owner's lock first: it outranks a personal lock and a publishing schedule."""
        for source in self.lock_sources:
            if (lock := source(self)) is not None:
                return lock
        return super().get_lock()

    @property
    def status_string(self):
        """Wagtail's status, with the review state the admin listing annotates (``review_status``)."""
        status = super().status_string
        review = getattr(self, "review_status", "")
        return _("%(status)s · %(review)s") % {"status": status, "review": review} if review else status

    # --- presentation ---------------------------------------------------------------------------
    @property
    def is_harvested(self) -> bool:
        return bool(self.source_portal)

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    def metadata_items(self, request=None) -> list[tuple[str, object]]:
        """(label, value) pairs of this type's own fields, for the page's metadata list. Values
        typed by the record's authors are ``own_text`` (marked when in another language than the
        page's), identifiers and codes ``neutral``."""
        return []

    def own_text(self, field: str, value=None) -> InLanguage:
        """A field's text with the language it is shown in (the source's, in an alias)."""
        return InLanguage(getattr(self, field) if value is None else value, page_text_language(self, field))

    def localized_related_records(self) -> list["RecordPage"]:
        """Related records in this page's language when translated (one query), else the original."""
        links = [link.record for link in self.related_records.select_related("record", "record__locale")]
        if not links:
            return []
        # Those in another language than the page's are looked for in its language.
        keys = [page.translation_key for page in links if page.locale_id != self.locale_id]
        translated = (
            {
                page.translation_key: page
                for page in RecordPage.objects.live()
                .public()
                .filter(translation_key__in=keys, locale_id=self.locale_id)
                .select_related("locale")
                .order_by()
            }
            if keys
            else {}
        )
        return prime_text_languages([translated.get(page.translation_key, page) for page in links if page.live])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["index_url"] = self.index_url(request)
        if fragments_cached(context):
            return context  # what follows only feeds the cached parts
        context["attachments"] = list(self.attachments.select_related("document"))
        context["related"] = self.localized_related_records()
        context["metadata_items"] = self.metadata_items(request)
        return context

    def get_jsonld(self, request=None) -> dict:
        data = super().get_jsonld(request)
        data["identifier"] = self.identifier
        if self.publication_date:
            data["datePublished"] = self.publication_date.isoformat()
        if self.licence_url:
            data["license"] = self.licence_url
        if self.source_url:
            data["isBasedOn"] = self.source_url
        if self.source_portal:
            data["provider"] = {"@type": "Organization", "name": self.source_portal}
        return data


class RecordAttachment(Orderable):
    """A Wagtail document attached to a record, with the title readers see."""

    page = ParentalKey(RecordPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("Leave empty to use the document's own title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.document.title

    @property
    def file_type(self) -> str:
        return self.document.file_extension.upper()


class RelatedRecord(Orderable):
    """A link from one record to another (by page, so translations follow)."""

    page = ParentalKey(RecordPage, on_delete=models.CASCADE, related_name="related_records")
    record = models.ForeignKey(RecordPage, verbose_name=_("record"), on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("record", page_type="records.RecordPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related record")
        verbose_name_plural = _("related records")

    def clean(self):
        super().clean()
        if self.record_id and self.page_id and self.record_id == self.page_id:
            raise ValidationError({"record": _("A record cannot be related to itself.")})
