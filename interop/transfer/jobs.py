"""Confirmed imports as background jobs: enqueued once per file, written all or nothing by a worker.

``enqueue`` is idempotent by the file's token (a double submit of the confirmation finds the job it
started); ``run`` claims a queued job, writes it through :func:`importer.write` with its progress kept
in the cache, and records the outcome on the job row after the write's transaction has ended.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.users.models import UserProfile

from workflows.core.tasks import TransitionError

from . import pending
from .importer import Action, Mode, ReportChanged, may_publish_directly, write
from .models import ImportJob, record_progress
from .reading import UnreadableFile, read_sheet

logger = logging.getLogger(__name__)


def enqueue(user, token: str, mode: str, signature: str) -> ImportJob:
    """The job of ``user``'s file ``token``: the existing one, or a new one sent to the workers.

    A job that failed is queued again (nothing of it was written); one queued, running or done is
    returned as it is."""
    job = ImportJob.objects.filter(user=user, token=token).first()
    if job is None:
        try:
            with transaction.atomic():
                job = ImportJob.objects.create(user=user, token=token, mode=mode, signature=signature)
        except IntegrityError:  # the other submit of a double click created it first
            return ImportJob.objects.get(user=user, token=token)
    elif job.state == ImportJob.State.FAILED:
        again = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.FAILED).update(
            state=ImportJob.State.QUEUED,
            mode=mode,
            signature=signature,
            errors=[],
            report_changed=False,
            rows_done=0,
            rows_total=0,
            started_at=None,
            finished_at=None,
            created_at=timezone.now(),
        )
        job.refresh_from_db()
        if not again:
            return job
    else:
        return job
    transaction.on_commit(lambda: _send(job.pk))
    return job


def _send(job_id: int) -> None:
    from .tasks import run_import_job

    try:
        run_import_job.delay(job_id)
    except Exception:  # the broker is unreachable: say so now rather than leave the job waiting
        logger.exception("record import job %s could not be sent to the workers", job_id)
        _finish(
            job_id, errors=[[None, "", _("The import could not be started; nothing was written. Try again later.")]]
        )


def _finish(job_id: int, **values) -> None:
    values.setdefault("state", ImportJob.State.FAILED)
    ImportJob.objects.filter(pk=job_id).update(finished_at=timezone.now(), **values)


def run(job_id: int) -> str:
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if not claimed:  # delivered twice, or already marked as failed: nothing to do
        return job.state
    with override(UserProfile.get_for_user(job.user).get_preferred_language()):  # its messages, in its words
        return _run(job)


def _run(job: ImportJob) -> str:
    user = job.user
    stored = pending.load(user, job.token)
    if stored is None:
        _finish(job.pk, errors=[[None, "", _("The file is no longer on the server; upload it again.")]])
        return ImportJob.State.FAILED
    raw, mode, extension = stored
    row = None
    try:
        sheet = read_sheet(raw, extension)
        if mode == Mode.PUBLISH and not may_publish_directly(user):
            raise PermissionError
        report, written = write(
            sheet, user, mode, job.signature, progress=lambda done, total: record_progress(job.pk, done, total)
        )
    except UnreadableFile as error:
        errors = [[None, "", str(error)]]
    except ReportChanged as changed:
        errors = [[number, column, message] for number, column, message in changed.report.problems]
        _finish(job.pk, errors=errors, report_changed=True)
        return ImportJob.State.FAILED
    except TransitionError as error:  # a row the review refused after all: the whole import is undone
        errors = [[getattr(error, "import_row", row), "", str(error)]]
    except (PermissionDenied, PermissionError):
        errors = [[None, "", _("You may not write these records; nothing was written.")]]
    except Exception as error:
        logger.exception("record import job %s failed", job.pk)
        errors = [[getattr(error, "import_row", row), "", _("This row could not be written; nothing was written.")]]
    else:
        records = [
            {
                "title": item.page.title,
                "identifier": item.page.identifier,
                "action": item.action,
                "page": item.page.pk,
                "submission": item.submission.pk if item.submission is not None else None,
            }
            for item in written
        ]
        _finish(
            job.pk,
            state=ImportJob.State.DONE,
            created=sum(1 for item in written if item.action == Action.CREATE),
            updated=sum(1 for item in written if item.action == Action.UPDATE),
            skipped=report.skipped,
            rows_done=len(written),
            rows_total=len(written),
            records=records,
            errors=[[number, column, message] for number, column, message in report.problems],
        )
        pending.discard(user, job.token)
        return ImportJob.State.DONE
    _finish(job.pk, errors=errors)
    return ImportJob.State.FAILED
