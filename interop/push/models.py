"""API clients that push records, the records they pushed, and the idempotency keys of their requests.

A client's token is shown once, when it is issued; only its SHA-256 is stored (tokens are 256 random
bits, so a fast hash is enough and a lookup by hash is one indexed query).
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TOKEN_PREFIX_LENGTH = 8


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiClient(models.Model):
    """A partner system allowed to push records for one country or one organisation."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("Who uses this token, e.g. the national portal of France.")
    )
    token_prefix = models.CharField(
        _("token starts with"), max_length=TOKEN_PREFIX_LENGTH, editable=False, help_text=_("To recognise a token.")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True, help_text=_("A revoked client's token is refused."))
    scope_country = models.ForeignKey(
        "vocabularies.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The country its records are for; its national editors screen them."),
    )
    scope_organisation = models.ForeignKey(
        "records.OrganisationPage",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Or the organisation its records are for (its country, if any, is the records' country)."),
    )
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acting user"),
        on_delete=models.PROTECT,
        related_name="api_clients",
        help_text=_("The account its submissions are made in the name of (a service account, or yours)."),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(
        pgettext_lazy("date an API client was issued", "created"), default=timezone.now, editable=False
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope_country__isnull=False, scope_organisation__isnull=True)
                | Q(scope_country__isnull=True, scope_organisation__isnull=False),
                name="push_client_one_scope",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if bool(self.scope_country_id) == bool(self.scope_organisation_id):
            raise ValidationError(_("Choose either a country or an organisation as the client's scope."))

    def issue_token(self) -> str:
        """A new token for this client (replacing any previous one); returned once, never stored."""
        token = secrets.token_urlsafe(32)
        self.token_prefix = token[:TOKEN_PREFIX_LENGTH]
        self.token_hash = hash_token(token)
        return token

    def revoke(self) -> None:
        self.is_active = False
        self.revoked_at = timezone.now()
        self.save(update_fields=["is_active", "revoked_at"])

    @property
    def country(self):
        """The country its records are classified under and handled by (None: the secretariat's)."""
        if self.scope_country_id:
            return self.scope_country
        return self.scope_organisation.country if self.scope_organisation_id else None

    @property
    def organisation_name(self) -> str:
        return self.scope_organisation.title if self.scope_organisation_id else ""

    @property
    def scope_label(self) -> str:
        return str(self.scope_country or self.scope_organisation or "")


class PushedRecord(models.Model):
    """A submission made through the API, and the client that made it (clients read only their own)."""

    client = models.ForeignKey(ApiClient, verbose_name=_("API client"), on_delete=models.PROTECT, related_name="pushed")
    submission = models.OneToOneField(
        "review.Submission", verbose_name=_("submission"), on_delete=models.CASCADE, related_name="pushed_by"
    )
    created_at = models.DateTimeField(pgettext_lazy("date a record was pushed", "created"), default=timezone.now)

    class Meta:
        verbose_name = _("pushed record")
        verbose_name_plural = _("pushed records")

    def __str__(self) -> str:
        return f"{self.client} → {self.submission_id}"


class IdempotencyKey(models.Model):
    """The answer given to one client's request under one ``Idempotency-Key``, replayed for 24 hours."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="idempotency_keys")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="push_one_key_per_client")]

    def __str__(self) -> str:
        return self.key
