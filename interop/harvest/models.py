"""Harvest sources (peer portals), their runs and each run's per-record outcome.

The stages follow CKAN's harvester: gather (the peer's changes feed, page by page, the cursor saved
after each page), fetch (a record's detail in the six languages), import (a local read-only copy).
"""

import os
import socket

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .fields import SealedTextField


def code_list(value: str) -> list[str]:
    return [code.strip() for code in value.replace(";", ",").split(",") if code.strip()]


class HarvestSource(models.Model):
    """A peer portal whose records are copied here (read-only, with provenance)."""

    name = models.CharField(_("name"), max_length=255, help_text=_("Shown on harvested records as their source."))
    base_url = models.URLField(
        _("base address"),
        max_length=300,
        unique=True,
        help_text=_("The peer portal's address, e.g. https://chm.example.org"),
    )
    scope_types = models.CharField(
        _("record types"),
        max_length=300,
        blank=True,
        help_text=_("Type codes to harvest, comma-separated (e.g. need, offer); empty for all."),
    )
    scope_countries = models.CharField(
        _("countries"), max_length=300, blank=True, help_text=_("Country codes (e.g. FR, BR); empty for all.")
    )
    scope_targets = models.CharField(
        _("GBF targets"), max_length=300, blank=True, help_text=_("GBF target codes (e.g. GBF-T3); empty for all.")
    )
    # Encrypted at rest (``sealing``): it is sent to the peer, so it cannot be hashed; the admin never shows it.
    api_token = SealedTextField(
        _("API token"),
        blank=True,
        help_text=_(
            "A token the peer portal issued to this portal as an API client: the harvest is then counted as "
            "that client, at the clients' rate, instead of under the anonymous limit. Empty: harvest anonymously."
        ),
    )
    interval_minutes = models.PositiveIntegerField(
        _("interval (minutes)"),
        default=60,
        help_text=_("How often the scheduled harvest runs; 0 to harvest only by hand."),
    )
    active = models.BooleanField(_("active"), default=True)
    harvested_until = models.DateTimeField(
        _("harvested until"),
        null=True,
        blank=True,
        help_text=_("Time of the latest change taken by a successful run: the next run asks for changes since then."),
    )
    last_success_at = models.DateTimeField(_("last successful run"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def in_scope(self, detail: dict) -> bool:
        """Whether a record (as the peer's API describes it) falls under this source's filters.

        A record the peer harvested itself is left out: it is taken from its own source, never in a loop."""
        if detail.get("provenance"):
            return False
        checks = [
            (code_list(self.scope_types), [detail.get("type", "")]),
            ([code.upper() for code in code_list(self.scope_countries)], detail.get("countries") or []),
            ([code.upper() for code in code_list(self.scope_targets)], detail.get("targets") or []),
        ]
        return all(not wanted or set(wanted) & set(values) for wanted, values in checks)

    def is_due(self, now=None) -> bool:
        if not self.active or not self.interval_minutes:
            return False
        if self.last_success_at is None:
            return True
        now = now or timezone.now()
        return (now - self.last_success_at).total_seconds() >= self.interval_minutes * 60


class HarvestRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        INTERRUPTED = "interrupted", _("Interrupted")

    source = models.ForeignKey(HarvestSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), default=timezone.now)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    since = models.DateTimeField(_("changes since"), null=True, blank=True)
    resume_cursor = models.TextField(
        _("resume address"), blank=True, help_text=_("The changes feed page to read next; a resumed run starts there.")
    )
    resumed_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    latest_change_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages read"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("harvest run")
        verbose_name_plural = _("harvest runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    def claim(self) -> None:
        self.host, self.pid = socket.gethostname(), os.getpid()

    def is_stale(self, now=None) -> bool:
        """A running run whose process is gone (same machine) or that has not moved for too long."""
        if self.status != self.Status.RUNNING:
            return False
        if self.host == socket.gethostname() and self.pid and not _alive(self.pid):
            return True
        now = now or timezone.now()
        return (now - self.heartbeat_at).total_seconds() > settings.HARVEST_STALE_AFTER_SECONDS

    def outcome_counts(self) -> dict:
        return {outcome: getattr(self, outcome) for outcome in HarvestObject.Outcome.values}


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child not yet reaped by its parent is a zombie: gone for our purpose
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][:1] != "Z"
    except OSError:
        return True


class HarvestObject(models.Model):
    """What one run did with one remote record."""

    class Outcome(models.TextChoices):
        ADDED = "added", _("Added")
        UPDATED = "updated", _("Updated")
        UNCHANGED = "unchanged", _("Unchanged")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        FAILED = "failed", _("Failed")

    run = models.ForeignKey(HarvestRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="harvest_objects")
    remote_identifier = models.CharField(_("remote identifier"), max_length=60)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    message = models.TextField(_("message"), blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("local page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("harvested object")
        verbose_name_plural = _("harvested objects")
        constraints = [models.UniqueConstraint(fields=["run", "remote_identifier"], name="harvest_object_once_per_run")]

    def __str__(self) -> str:
        return f"{self.remote_identifier}: {self.get_outcome_display()}"


class HarvestedRecord(models.Model):
    """The local copy of a remote record: one per (source, identifier), and one source per identifier."""

    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="records")
    remote_identifier = models.CharField(_("remote identifier"), max_length=60, unique=True)
    page = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="harvested_record")
    remote_modified = models.CharField(max_length=40, blank=True)
    harvested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("harvested record")
        verbose_name_plural = _("harvested records")
        constraints = [
            models.UniqueConstraint(fields=["source", "remote_identifier"], name="harvested_record_once_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.remote_identifier} ({self.source})"


@register_setting(icon="download")
class CentralPortalFeed(BaseSiteSetting):
    """The home page's "Latest from the central portal" panel: fed by one harvest source."""

    source = models.ForeignKey(
        HarvestSource,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The harvest source whose latest records the home page shows; empty to show none."),
    )
    count = models.PositiveSmallIntegerField(
        _("number of records"), default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )

    class Meta:
        verbose_name = _("latest from the central portal")
