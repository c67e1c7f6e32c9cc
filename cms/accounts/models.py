"""A person's profile: who they act for (a country or an organisation) and their language."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserProfile(models.Model):
    """Links a user to the Party (country) or organisation it acts for; submitters act for one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="profile"
    )
    country = models.ForeignKey(
        "vocabularies.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profiles",
        help_text=_("The Party this person acts for (national focal points, national editors)."),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=255,
        blank=True,
        help_text=_("The organisation this person acts for (partners, experts)."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Notifications are sent in this language."),
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def acts_for(self) -> str:
        if self.country_id:
            return self.country.name
        return self.organisation
