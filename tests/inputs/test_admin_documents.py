"""The Wagtail admin's document uploads pass the same validator, before anything is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

from .archives import odt_bytes

pytestmark = pytest.mark.django_db

EXE_AS_PDF = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def root_collection():
    return Collection.get_first_root_node()


def test_a_crafted_odt_is_refused_by_the_admin_upload(admin_client, two_gigabyte_odt, stored_files, root_collection):
    before = stored_files()
    response = admin_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Report", "file": upload("report.odt", two_gigabyte_odt), "collection": root_collection.pk},
    )

    assert response.status_code == 200  # the form again, with the error
    assert "“report.odt” would expand to more than" in response.content.decode()
    assert not get_document_model().objects.exists()
    assert stored_files() == before


def test_a_program_named_pdf_is_refused_by_the_multiple_uploader(admin_client, stored_files, root_collection):
    before = stored_files()
    response = admin_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": upload("minutes.pdf", EXE_AS_PDF), "collection": root_collection.pk},
    )

    assert response.status_code == 200
    data = response.json()
    assert data["success"] is False
    assert "does not contain what its name says" in str(data)
    assert not get_document_model().objects.exists()
    assert stored_files() == before


def test_a_good_document_is_stored(admin_client, stored_files, root_collection):
    before = stored_files()
    response = admin_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Notes", "file": upload("notes.odt", odt_bytes()), "collection": root_collection.pk},
    )

    assert response.status_code == 302
    document = get_document_model().objects.get()
    assert stored_files() == before | {document.file.name}
