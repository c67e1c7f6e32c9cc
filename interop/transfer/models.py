"""An import confirmed in the admin, written by a background job (a Celery task).

The job row says what was asked (whose file, which mode, the report confirmed) and how it ended; the
progress of a running job is kept in the cache (``progress``), outside the write's transaction, so that
the job page can show it while the rows are written and nothing is visible in the database yet.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# A job with no sign of life for this long (no row written, not started) is shown as failed: its
# worker died, or the broker lost it. One row takes about a second, so this is generous.
STALE_AFTER = timedelta(minutes=10)


def progress_key(job_id: int) -> str:
    return f"record-import-job-{job_id}"


class ImportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_import_jobs", verbose_name=_("user")
    )
    token = models.CharField(_("file token"), max_length=32)
    mode = models.CharField(_("mode"), max_length=20)
    signature = models.TextField(_("confirmed report"), help_text=_("The rows to write and how, as confirmed."))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    created = models.PositiveIntegerField(pgettext_lazy("number of records an import created", "created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0)
    records = models.JSONField(_("records written"), default=list, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True, help_text=_("[row, column, message] each."))
    report_changed = models.BooleanField(_("report changed"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("record import job")
        verbose_name_plural = _("record import jobs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="record_import_job_one_per_file"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.token} {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    def visible_to(self, user) -> bool:
        """Its own user and administrators only: another editor's job is none of an editor's business."""
        from workflows.core.people import ADMINISTRATOR_GROUP, group_names

        if not user.is_authenticated:
            return False
        return user.pk == self.user_id or user.is_superuser or ADMINISTRATOR_GROUP in group_names(user)

    def progress(self) -> tuple[int, int]:
        """(rows written, rows to write): the cache's figures while the job runs, the row's once it ended."""
        if not self.finished:
            kept = cache.get(progress_key(self.pk))
            if kept:
                return kept["done"], kept["total"]
        return self.rows_done, self.rows_total

    def last_sign_of_life(self):
        kept = cache.get(progress_key(self.pk)) if not self.finished else None
        if kept and kept.get("at"):
            return timezone.datetime.fromisoformat(kept["at"])
        return self.started_at or self.created_at

    def fail_if_stale(self, now=None) -> bool:
        """Mark a job whose worker shows no sign of life as failed (its transaction never committed)."""
        if self.finished:
            return False
        now = now or timezone.now()
        if now - self.last_sign_of_life() < STALE_AFTER:
            return False
        message = str(_("The import stopped without finishing (its worker was interrupted); nothing was written."))
        changed = ImportJob.objects.filter(pk=self.pk, state=self.state).update(
            state=self.State.FAILED, errors=[[None, "", message]], finished_at=now
        )
        if changed:
            self.state, self.errors, self.finished_at = self.State.FAILED, [[None, "", message]], now
        else:
            self.refresh_from_db()
        return bool(changed)


def record_progress(job_id: int, done: int, total: int) -> None:
    """Kept in the cache, outside any transaction: readable by the job page while the rows are written."""
    cache.set(progress_key(job_id), {"done": done, "total": total, "at": timezone.now().isoformat()}, 24 * 3600)
