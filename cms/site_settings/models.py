"""Site-wide settings an administrator edits in the Wagtail admin: identity, scope, contact, links.

The texts a visitor reads (portal name, tagline, postal address) are given in the portal's default
language on the settings themselves and, for each other language, in a ``PortalText`` inline on the
same screen; a text missing in a language falls back to the default one, marked with its language.
"""

from dataclasses import dataclass

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from content_types.base.languages import InLanguage, prime_text_languages, same_language, text_language

# The settings' texts that visitors read, translatable per language.
TRANSLATED_TEXTS = ("portal_name", "tagline", "contact_address")


@dataclass(frozen=True)
class PortalTexts:
    """The portal's texts in one language, each knowing the language it is actually in."""

    portal_name: InLanguage
    tagline: InLanguage
    contact_address: InLanguage


class PortalSettingsForm(WagtailAdminModelForm):
    """Refuses a row of texts for the default language, whose texts are the fields above, with the
    error on the row; nothing is saved until it is fixed. (Two rows for one language are refused
    by the formset, from the model's unique constraint.)"""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("texts")
        if formset is None or not formset.is_valid():
            return cleaned_data
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not same_language(data.get("language"), django_settings.LANGUAGE_CODE):
                continue
            form.add_error(
                "language", _("The texts in the default language are the fields above; choose another language.")
            )
        return cleaned_data


@register_setting(icon="cog")
class PortalSettings(ClusterableModel, BaseSiteSetting):
    """Who runs this clearing-house and for whom."""

    class Scope(models.TextChoices):
        CENTRAL = "central", _("Central portal of the Convention")
        NATIONAL = "national", _("National clearing-house")
        REGIONAL = "regional", _("Regional clearing-house")
        THEMATIC = "thematic", _("Thematic clearing-house")

    portal_name = models.CharField(
        _("portal name"), max_length=120, default="CHM Portal", help_text=_("In the portal's default language.")
    )
    tagline = models.CharField(
        _("tagline"), max_length=200, blank=True, help_text=_("In the portal's default language.")
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.CENTRAL)
    country = models.ForeignKey(
        "vocabularies.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Required for a national clearing-house."),
    )
    region = models.ForeignKey(
        "vocabularies.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Required for a regional clearing-house."),
    )
    theme = models.CharField(_("theme"), max_length=120, blank=True, help_text=_("For a thematic clearing-house."))
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_address = models.TextField(
        _("postal address"), blank=True, help_text=_("In the portal's default language.")
    )

    base_form_class = PortalSettingsForm
    panels = [
        MultiFieldPanel([FieldPanel("portal_name"), FieldPanel("tagline"), FieldPanel("logo")], heading=_("Identity")),
        InlinePanel(
            "texts",
            heading=_("Texts in other languages"),
            label=_("Language"),
            help_text=_(
                "The portal name, tagline and postal address in another language. A text left empty "
                "is shown in the default language, marked as such for screen readers."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("scope"), FieldPanel("country"), FieldPanel("region"), FieldPanel("theme")],
            heading=_("Scope"),
        ),
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("contact_address")], heading=_("Contact")),
        InlinePanel("social_links", heading=_("Social media"), label=_("Link")),
        InlinePanel("footer_links", heading=_("Footer links"), label=_("Link")),
    ]

    class Meta:
        verbose_name = _("portal settings")

    def texts_in(self, language: str) -> PortalTexts:
        """The texts in ``language``, each falling back to the default language when not given
        (one query, once per language, and none for the default language)."""
        default = django_settings.LANGUAGE_CODE
        row = None
        if not same_language(language, default):
            cache = self.__dict__.setdefault("_texts_by_language", {})
            if language not in cache:
                cache[language] = self.texts.filter(language=language).first()
            row = cache[language]
        values = {}
        for name in TRANSLATED_TEXTS:
            own = getattr(row, name, "") if row is not None else ""
            values[name] = InLanguage(own, language) if own else InLanguage(getattr(self, name), default)
        return PortalTexts(**values)

    @property
    def localized(self) -> PortalTexts:
        """The texts in the active language (for templates)."""
        return self.texts_in(get_language() or django_settings.LANGUAGE_CODE)

    def footer_items(self) -> list[dict]:
        """The footer links in the active language, in three queries whatever their number: a
        linked page shows as its translation or alias (title and address) when there is one.
        Each item says the language of its text, so that a link shown in another one is marked."""
        from wagtail.models import Locale, Page

        links = list(self.footer_links.select_related("page"))
        keys = [link.page.translation_key for link in links if link.page_id]
        translations = {}
        if keys:
            pages = (
                Page.objects.live()
                .filter(translation_key__in=keys, locale=Locale.get_active())
                .select_related("alias_of")
            )
            translations = {page.translation_key: page for page in pages}
        prime_text_languages(translations.values())
        default = django_settings.LANGUAGE_CODE
        items = []
        for link in links:
            if link.page_id and link.page.translation_key in translations:
                page = translations[link.page.translation_key]
                items.append({"text": page.title, "href": page.url, "text_language": text_language(page)})
            elif link.page_id:
                items.append({"text": link.text, "href": link.page.url, "text_language": default})
            else:
                items.append({"text": link.text, "href": link.url, "text_language": default})
        return items

    def clean(self):
        super().clean()
        if self.scope == self.Scope.NATIONAL and not self.country_id:
            raise ValidationError({"country": _("A national clearing-house needs its country.")})
        if self.scope == self.Scope.REGIONAL and not self.region_id:
            raise ValidationError({"region": _("A regional clearing-house needs its region.")})
        if self.scope == self.Scope.THEMATIC and not self.theme:
            raise ValidationError({"theme": _("A thematic clearing-house needs its theme.")})


class PortalText(Orderable):
    """The portal's name, tagline and postal address in one language other than the default."""

    settings = ParentalKey(PortalSettings, related_name="texts", on_delete=models.CASCADE)
    language = models.CharField(_("language"), max_length=16, choices=django_settings.LANGUAGES)
    portal_name = models.CharField(_("portal name"), max_length=120, blank=True)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    contact_address = models.TextField(_("postal address"), blank=True)

    panels = [FieldPanel("language"), FieldPanel("portal_name"), FieldPanel("tagline"), FieldPanel("contact_address")]

    class Meta(Orderable.Meta):
        verbose_name = _("texts in a language")
        verbose_name_plural = _("texts in other languages")
        constraints = [
            models.UniqueConstraint(fields=["settings", "language"], name="chm_portal_text_one_per_language")
        ]

    def __str__(self) -> str:
        return self.get_language_display()


class SocialLink(Orderable):
    """A link to the portal's presence on a social network."""

    class Network(models.TextChoices):
        MASTODON = "mastodon", "Mastodon"
        BLUESKY = "bluesky", "Bluesky"
        LINKEDIN = "linkedin", "LinkedIn"
        YOUTUBE = "youtube", "YouTube"
        FACEBOOK = "facebook", "Facebook"
        X = "x", "X"
        OTHER = "other", _("Other")

    settings = ParentalKey(PortalSettings, related_name="social_links", on_delete=models.CASCADE)
    network = models.CharField(_("network"), max_length=20, choices=Network.choices)
    url = models.URLField(_("address"))

    panels = [FieldPanel("network"), FieldPanel("url")]

    @property
    def text_language(self) -> str | None:
        """The networks' names are English brand names; "Other" is translated."""
        return None if self.network == self.Network.OTHER else "en"


class FooterLink(Orderable):
    """A link in the footer (legal notice, accessibility statement, partners…)."""

    settings = ParentalKey(PortalSettings, related_name="footer_links", on_delete=models.CASCADE)
    text = models.CharField(
        _("text"),
        max_length=80,
        help_text=_(
            "In the portal's default language. A link to a page shows the page's title in each "
            "language it is translated into."
        ),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    url = models.URLField(_("outside address"), blank=True)

    panels = [FieldPanel("text"), FieldPanel("page"), FieldPanel("url")]

    def clean(self):
        if bool(self.page_id) == bool(self.url):
            raise ValidationError(_("Choose a page or type an address, not both."))

    @property
    def href(self) -> str:
        if self.page_id:
            return self.page.localized.url
        return self.url
