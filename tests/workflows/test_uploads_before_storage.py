"""Workspace attachments are checked before anything is stored: too many files, an archive that
would inflate to gigabytes, an oversized file or a file whose bytes are not its kind leave the
storage and the documents exactly as they were."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.documents import get_document_model

from tests.inputs.archives import inflating_archive, odt_bytes
from workflows.review.models import Submission

from .helpers import need_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def post_files(people, client_for):
    """``post_files(files)``: the submitter's new-need form sent with ``files``; asserts nothing was stored."""

    def post(files, **data):
        before_files, before_documents = stored_files(), get_document_model().objects.count()
        response = client_for(people.submitter).post(
            reverse("workspace:create", args=["need"]), {**need_data(**data), "new_attachments": files}
        )
        assert response.status_code == 400
        assert stored_files() == before_files
        assert get_document_model().objects.count() == before_documents
        assert not Submission.objects.exists()
        return response.content.decode()

    return post


def test_eleven_files_are_refused_and_none_is_stored(post_files):
    body = post_files([upload(f"part-{index}.pdf", PDF) for index in range(11)])

    assert "11 files were sent; 10 files at most can be added at once, so none was kept." in body


def test_a_crafted_odt_that_inflates_to_gigabytes_is_refused(post_files):
    body = post_files([upload("plan.pdf", PDF), upload("report.odt", inflating_archive(pieces=64))])

    assert "“report.odt” would expand to more than" in body


@override_settings(REVIEW_ATTACHMENT_MAX_SIZE=1024)
def test_an_oversized_file_is_refused_with_its_good_neighbour_not_stored(post_files):
    body = post_files([upload("small.pdf", PDF), upload("big.pdf", PDF + b"0" * 2048)])

    assert "“big.pdf” is" in body and "at most" in body


def test_a_file_whose_bytes_are_another_kind_is_refused(post_files):
    body = post_files([upload("minutes.odt", PDF)])

    assert "“minutes.odt” does not contain what its name says (.odt)." in body


def test_files_beyond_the_record_total_are_not_stored(people, client_for, post_files):
    staged = [upload(f"part-{index}.pdf", PDF) for index in range(6)]
    client = client_for(people.submitter)
    response = client.post(
        reverse("workspace:create", args=["need"]), {**need_data(title=""), "new_attachments": staged}
    )
    assert response.status_code == 400
    kept = list(get_document_model().objects.values_list("pk", flat=True))
    assert len(kept) == 6  # checked and within the count: offered again with the form

    body = post_files([upload(f"more-{index}.pdf", PDF) for index in range(5)], staged_documents=kept)

    assert "A record may have 10 attachments at most; remove some first." in body


def test_good_files_are_stored_once_checked(people, client_for):
    response = client_for(people.submitter).post(
        reverse("workspace:create", args=["need"]),
        {**need_data(), "new_attachments": [upload("plan.pdf", PDF), upload("notes.odt", odt_bytes())]},
    )

    assert response.status_code == 302
    page = Submission.objects.get().page.specific
    assert sorted(row.document.title for row in page.attachments.all()) == ["notes.odt", "plan.pdf"]
