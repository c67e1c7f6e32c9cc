"""What the open API keeps of its own: tombstones, so that harvesters learn of what disappeared."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RECORD = "record", _("Record")
    EVENT = "event", _("Event")
    NETWORK = "network", _("Network")
    NEWS = "news", _("News")
    AWARD = "award", _("Award results")


class Tombstone(models.Model):
    """A published page that is no longer public (unpublished or deleted), by its stable identifier;
    for award results (kind "award"), a cycle whose published results are withdrawn or gone.

    The changes feed reports it as "deleted"; publishing the page again removes it, and the feed
    then reports the page as "updated" at its new publication time.
    """

    class Reason(models.TextChoices):
        UNPUBLISHED = "unpublished", _("Unpublished")
        DELETED = "deleted", _("Deleted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    identifier = models.CharField(_("identifier"), max_length=64)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    page_id = models.IntegerField(_("page id"), null=True, blank=True, help_text=_("The page's id when it went."))
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)

    class Meta:
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "identifier"], name="interop_api_one_tombstone")]

    def __str__(self) -> str:
        return f"{self.kind} {self.identifier} ({self.reason} {self.at:%Y-%m-%d %H:%M})"
