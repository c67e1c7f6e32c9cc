"""The counters behind generated record identifiers (see ``content_types.records.identifiers``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentifierSequence(models.Model):
    """The highest sequence number handed out for one identifier prefix (``CHM-NEED-FR-2026-``).

    A row per prefix, changed only by one atomic upsert, so that records saved at the same moment
    never get the same number; numbers of deleted records are never handed out again.
    """

    prefix = models.CharField(_("prefix"), max_length=32, primary_key=True)
    last_value = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("identifier sequence")
        verbose_name_plural = _("identifier sequences")

    def __str__(self) -> str:
        return f"{self.prefix}{self.last_value:04d}"
