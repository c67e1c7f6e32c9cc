"""The hourly sweep removes uploads nobody came back for, and nothing that a record or a draft uses."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from wagtail.documents import get_document_model

from cms.uploads import tasks
from content_types.records.models import RecordAttachment
from tests.records.factories import NeedFactory
from workflows.review.documents import store_upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
OLD = timezone.now() - datetime.timedelta(hours=settings.UPLOAD_ABANDONED_AFTER_HOURS + 1)


def staged(name="plan.pdf", *, old=True):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = store_upload(SimpleUploadedFile(name, PDF), None)
    if old:
        get_document_model().objects.filter(pk=document.pk).update(created_at=OLD)
    return document


def age(path: Path) -> None:
    stamp = OLD.timestamp()
    os.utime(path, (stamp, stamp))


def test_old_staged_uploads_attached_to_nothing_are_removed_with_their_files(
    site_pages, django_capture_on_commit_callbacks
):
    abandoned = staged("abandoned.pdf")
    staged("recent.pdf", old=False)
    attached, in_a_draft = staged("attached.pdf"), staged("draft.pdf")
    need = NeedFactory()
    need.attachments = [RecordAttachment(document=attached)]
    need.save()
    need.attachments = [RecordAttachment(document=attached), RecordAttachment(document=in_a_draft)]
    need.save_revision()  # a draft of the live record adds a file that only its revision names
    assert list(RecordAttachment.objects.values_list("document_id", flat=True)) == [attached.pk]
    file_path = Path(default_storage.path(abandoned.file.name))

    with django_capture_on_commit_callbacks(execute=True):
        removed = tasks.sweep_abandoned_uploads()

    assert removed["staged_documents"] == 1
    remaining = set(get_document_model().objects.values_list("title", flat=True))
    assert remaining == {"recent.pdf", "attached.pdf", "draft.pdf"}
    assert not file_path.exists()


def test_orphan_files_older_than_the_limit_are_removed():
    document = staged("kept.pdf")
    orphan = default_storage.save("documents/orphan.pdf", ContentFile(PDF))
    fresh = default_storage.save("documents/fresh.pdf", ContentFile(PDF))
    for name in (orphan, document.file.name):
        age(Path(default_storage.path(name)))

    assert tasks.delete_orphan_files() == 1

    assert not default_storage.exists(orphan)
    assert default_storage.exists(fresh) and default_storage.exists(document.file.name)
    default_storage.delete(fresh)


def test_stale_temporary_upload_files_are_removed(tmp_path):
    stale = tmp_path / "tmpa1b2c3.upload.pdf"
    fresh = tmp_path / "tmpd4e5f6.upload.pdf"
    unrelated = tmp_path / "tmpg7h8i9.other"
    for path in (stale, fresh, unrelated):
        path.write_bytes(PDF)
    age(stale)
    age(unrelated)

    assert tasks.delete_stale_temporary_uploads(tmp_path) == 1

    assert not stale.exists() and fresh.exists() and unrelated.exists()


def test_the_sweep_is_on_the_beat_schedule():
    from cms.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["sweep-abandoned-uploads"]
    assert entry["task"] == tasks.sweep_abandoned_uploads.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 60 * 60
