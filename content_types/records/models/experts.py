"""Expert profiles: the roster of practitioners. Contact details are for signed-in members only."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail_localize.fields import SynchronizedField

from cms.page_fragments import fragments_cached
from content_types.base.classification import vocabulary_term
from content_types.base.languages import InLanguage, linked_page
from content_types.vocabularies.models import Country

from .base import RecordPage, RecordType, record_edit_handler


class ExpertProfilePage(RecordPage):
    """A practitioner: expertise, languages, country, organisation and (members only) contact."""

    record_type_code = RecordType.EXPERT
    # Its content and JSON-LD show the contact to signed-in members only: the cached parts are kept
    # once for members and once for everybody else (``fragment_reader_vary``).

    position = models.CharField(_("position"), max_length=255, blank=True, help_text=_("e.g. Senior ecologist"))
    expertise = models.TextField(
        _("areas of expertise"), help_text=_("One area per line, e.g. invasive alien species management.")
    )
    country = models.ForeignKey(
        "vocabularies.Country",
        verbose_name=_("country of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "records.OrganisationPage",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Shown only to signed-in members."))
    phone = models.CharField(_("telephone"), max_length=40, blank=True, help_text=_("Shown only to signed-in members."))

    edit_handler = record_edit_handler(
        [
            MultiFieldPanel(
                [
                    FieldPanel("position"),
                    FieldPanel("expertise"),
                    FieldPanel("country"),
                    PageChooserPanel("organisation", page_type="records.OrganisationPage"),
                ],
                heading=_("Expert"),
                help_text=_("The title is the person's name. Spoken languages go in the Classification tab."),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("email"), FieldPanel("phone")])],
                heading=_("Contact (members only)"),
                help_text=_("Never shown to anonymous visitors, nor in the public metadata."),
            ),
        ],
        type_heading=_("Profile"),
    )
    override_translatable_fields = RecordPage.override_translatable_fields + [SynchronizedField("phone")]
    jsonld_type = "Person"
    og_type = "profile"
    parent_page_types = ["records.RecordIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    @property
    def expertise_list(self) -> list[str]:
        return [line.strip() for line in self.expertise.splitlines() if line.strip()]

    @staticmethod
    def may_see_contact(request) -> bool:
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)

    def fragment_reader_vary(self, request) -> tuple:
        """Members and other readers see different parts (the contact), never anything of their own."""
        return ("members" if self.may_see_contact(request) else "public",)

    def identifier_country_code(self):
        return self.country.code if self.country_id else super().identifier_country_code()

    def fill_derived_fields(self) -> None:
        if self.country_id:
            self.include_country(self.country)
        super().fill_derived_fields()

    def localized_organisation(self):
        """The organisation in the page's language (one query, once per page object)."""
        from .organisations import OrganisationPage

        if "_localized_organisation" not in self.__dict__:
            self._localized_organisation = linked_page(self, OrganisationPage, self.organisation_id)
        return self._localized_organisation

    def metadata_items(self, request=None):
        items = []
        if self.position:
            items.append((_("Position"), self.own_text("position")))
        if self.country_id:
            country = vocabulary_term(Country, self.country_id)
            items.append((_("Country"), InLanguage(country.name, country.text_language)))
        return items

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["show_contact"] = self.may_see_contact(request)
        if not fragments_cached(context):  # the organisation shows only in the cached parts
            context["expert_organisation"] = self.localized_organisation()
        return context

    def get_jsonld(self, request=None) -> dict:
        data = super().get_jsonld(request)
        for key in ("license", "datePublished", "isBasedOn", "inLanguage"):
            data.pop(key, None)
        if self.position:
            data["jobTitle"] = self.position
        if self.expertise_list:
            data["knowsAbout"] = self.expertise_list
        if self.pk:
            languages = [language.code for language in self.languages.all()]
            if languages:
                data["knowsLanguage"] = languages
        if self.country_id:
            data["homeLocation"] = {"@type": "Country", "name": vocabulary_term(Country, self.country_id).name}
        organisation = self.localized_organisation() if self.organisation_id else None
        if organisation is not None:
            data["worksFor"] = {"@type": "Organization", "name": organisation.title}
        if self.may_see_contact(request):
            if self.email:
                data["email"] = self.email
            if self.phone:
                data["telephone"] = self.phone
        return data
