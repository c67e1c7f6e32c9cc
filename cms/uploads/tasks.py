"""The sweep of abandoned uploads, run by Celery beat (``CELERY_BEAT_SCHEDULE``).

Three things are left behind when people give up: attachments checked and kept for a form that was
never saved again (staged in the restricted collection, attached to no record and no draft), files in
storage that no document row names (a save rolled back after the file was written), and temporary
upload files of a worker that died mid-request. Each is removed once older than
``UPLOAD_ABANDONED_AFTER_HOURS``.
"""

import datetime
import logging
import os
import tempfile
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

logger = logging.getLogger(__name__)

DOCUMENTS_FOLDER = "documents"
TEMPORARY_UPLOAD_MARK = ".upload"  # Django's TemporaryUploadedFile names end in .upload<ext>


def abandoned_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.UPLOAD_ABANDONED_AFTER_HOURS)


def _referenced_by_a_draft(document_id: int) -> bool:
    from wagtail.models import Revision

    from .mentions import named_documents, revisions_naming

    revisions = revisions_naming(Revision.objects.all(), [document_id]).values_list("content__attachments", flat=True)
    return any(document_id in named_documents(attachments) for attachments in revisions.iterator())


def abandoned_staged_documents():
    """Staged attachments older than the limit that no record and no revision of a record uses."""
    from wagtail.documents import get_document_model

    from content_types.records.models import RecordAttachment
    from workflows.review.documents import RESTRICTED_COLLECTION_NAME

    Document = get_document_model()
    candidates = (
        Document.objects.filter(collection__name=RESTRICTED_COLLECTION_NAME, created_at__lt=abandoned_before())
        .exclude(pk__in=RecordAttachment.objects.values("document_id"))
        .order_by("pk")
    )
    return [document for document in candidates if not _referenced_by_a_draft(document.pk)]


def delete_abandoned_staged_documents() -> int:
    deleted = 0
    for document in abandoned_staged_documents():
        logger.info("Deleting abandoned upload %s (%s)", document.pk, document.file.name)
        document.delete()  # Wagtail removes its file once the deletion is committed
        deleted += 1
    return deleted


def delete_orphan_files(storage=None) -> int:
    """Files in the documents folder, older than the limit, that no document row names."""
    from wagtail.documents import get_document_model

    storage = storage or default_storage
    try:
        _folders, names = storage.listdir(DOCUMENTS_FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    paths = [f"{DOCUMENTS_FOLDER}/{name}" for name in names]
    known = set(get_document_model().objects.filter(file__in=paths).values_list("file", flat=True))
    cutoff = abandoned_before()
    deleted = 0
    for path in paths:
        if path in known:
            continue
        try:
            if storage.get_modified_time(path) >= cutoff:
                continue
        except (FileNotFoundError, NotImplementedError):
            continue
        logger.info("Deleting orphan upload file %s", path)
        storage.delete(path)
        deleted += 1
    return deleted


def temporary_upload_folder() -> Path:
    return Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())


def delete_stale_temporary_uploads(folder: Path | None = None) -> int:
    """Django's temporary upload files older than the limit (a request normally removes its own)."""
    folder = folder or temporary_upload_folder()
    cutoff = abandoned_before().timestamp()
    deleted = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if TEMPORARY_UPLOAD_MARK not in entry.name or not entry.name.startswith("tmp"):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_mtime >= cutoff:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        deleted += 1
    return deleted


@shared_task(name="cms.uploads.sweep_abandoned_uploads", ignore_result=True)
def sweep_abandoned_uploads() -> dict[str, int]:
    """Remove every kind of abandoned upload older than ``UPLOAD_ABANDONED_AFTER_HOURS``; say how many."""
    removed = {
        "staged_documents": delete_abandoned_staged_documents(),
        "orphan_files": delete_orphan_files(),
        "temporary_files": delete_stale_temporary_uploads(),
    }
    if any(removed.values()):
        logger.info("Abandoned uploads removed: %s", removed)
    return removed
