"""The Records section: a faceted listing of every record type, with a map of those located."""

from django.contrib.contenttypes.models import ContentType
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from content_types.base.languages import prime_text_languages

from ..listing import RecordListing
from .base import RecordPage

MAX_MAP_MARKERS = 500


def record_types() -> list[type[RecordPage]]:
    """The concrete, creatable record types, in the order editors see them."""
    from . import (
        DecisionPage,
        DocumentRecordPage,
        ExpertProfilePage,
        GoodPracticePage,
        NationalReportPage,
        NeedPage,
        OfferPage,
        OrganisationPage,
        ProjectPage,
    )

    return [
        NationalReportPage,
        DecisionPage,
        DocumentRecordPage,
        OrganisationPage,
        ProjectPage,
        GoodPracticePage,
        NeedPage,
        OfferPage,
        ExpertProfilePage,
    ]


class RecordIndexPage(Page):
    """The Records section: filters by type, country, region, GBF target, subject, year, language."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "records.NationalReportPage",
        "records.DecisionPage",
        "records.DocumentRecordPage",
        "records.OrganisationPage",
        "records.ProjectPage",
        "records.GoodPracticePage",
        "records.NeedPage",
        "records.OfferPage",
        "records.ExpertProfilePage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("records index")

    @cached_property
    def type_choices(self) -> dict[int, str]:
        """Content-type id → type label (content types are cached by Django: no query after the first)."""
        models = record_types()
        content_types = ContentType.objects.get_for_models(*models)
        return {content_types[model].pk: model._meta.verbose_name.capitalize() for model in models}

    def records(self):
        """Live, public records of this section in this index's language tree."""
        return RecordPage.objects.live().public().descendant_of(self)

    def map_markers(self, listing, request) -> list[dict]:
        """Markers for the filtered records that have coordinates: one query per located type."""
        from . import OrganisationPage, ProjectPage

        ids = listing.filtered().values("pk")
        markers = []
        for model in (OrganisationPage, ProjectPage):
            located = (
                model.objects.filter(pk__in=ids, latitude__isnull=False, longitude__isnull=False)
                .select_related("locale")
                .only(
                    "id",
                    "title",
                    "url_path",
                    "latitude",
                    "longitude",
                    "locale__language_code",
                    "depth",
                    "path",
                    "translation_key",
                    "alias_of",
                )
                .order_by("title")[:MAX_MAP_MARKERS]
            )
            located = prime_text_languages(located)
            label = model._meta.verbose_name.capitalize()
            markers.extend(page.map_marker(url=page.get_url(request), label=label) for page in located)
        return markers

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listing = RecordListing(request, self.records(), date_field="publication_date", type_choices=self.type_choices)
        context.update(listing.context())
        context["markers"] = self.map_markers(listing, request)
        return context
