"""Site-wide settings an administrator edits in the Wagtail admin: identity, scope, contact, links."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


@register_setting(icon="cog")
class PortalSettings(ClusterableModel, BaseSiteSetting):
    """Who runs this clearing-house and for whom."""

    class Scope(models.TextChoices):
        CENTRAL = "central", _("Central portal of the Convention")
        NATIONAL = "national", _("National clearing-house")
        REGIONAL = "regional", _("Regional clearing-house")
        THEMATIC = "thematic", _("Thematic clearing-house")

    portal_name = models.CharField(_("portal name"), max_length=120, default="CHM Portal")
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
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
    contact_address = models.TextField(_("postal address"), blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("portal_name"), FieldPanel("tagline"), FieldPanel("logo")], heading=_("Identity")),
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

    def footer_items(self) -> list[dict]:
        """The footer links in the active language, in three queries whatever their number: a
        linked page shows as its translation (title and address) when there is one."""
        from wagtail.models import Locale, Page

        links = list(self.footer_links.select_related("page"))
        keys = [link.page.translation_key for link in links if link.page_id]
        translations = {}
        if keys:
            pages = Page.objects.live().filter(translation_key__in=keys, locale=Locale.get_active())
            translations = {page.translation_key: page for page in pages}
        items = []
        for link in links:
            if link.page_id:
                page = translations.get(link.page.translation_key, link.page)
                items.append({"text": page.title if page is not link.page else link.text, "href": page.url})
            else:
                items.append({"text": link.text, "href": link.url})
        return items

    def clean(self):
        super().clean()
        if self.scope == self.Scope.NATIONAL and not self.country_id:
            raise ValidationError({"country": _("A national clearing-house needs its country.")})
        if self.scope == self.Scope.REGIONAL and not self.region_id:
            raise ValidationError({"region": _("A regional clearing-house needs its region.")})
        if self.scope == self.Scope.THEMATIC and not self.theme:
            raise ValidationError({"theme": _("A thematic clearing-house needs its theme.")})


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


class FooterLink(Orderable):
    """A link in the footer (legal notice, accessibility statement, partners…)."""

    settings = ParentalKey(PortalSettings, related_name="footer_links", on_delete=models.CASCADE)
    text = models.CharField(_("text"), max_length=80)
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
