"""Bad input in the workspace's record forms: clear messages, nothing typed or uploaded lost.

Files are checked by extension, by what their bytes are, and by size: an ``.exe`` renamed ``.pdf``,
an oversized file and an unknown kind are refused by name; a good file uploaded with a form that
fails elsewhere is kept and attached once the form is fixed.
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.documents import get_document_model

from workflows.permissions import State
from workflows.review.documents import PUBLIC_COLLECTION_NAME, RESTRICTED_COLLECTION_NAME
from workflows.review.models import Submission
from workflows.review.record_forms import html_to_text, text_to_html
from workflows.review.uploads import validate_attachment

from .helpers import drive, need_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"


def docx_bytes(member="word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<document/>")
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def create_url():
    return reverse("workspace:create", args=["need"])


def test_missing_fields_are_named_and_typed_values_kept(people, client_for, create_url):
    client = client_for(people.submitter)
    data = need_data(title="", needed="", gbf_targets=[], summary="Typed with care: keep me.", submit="1")

    response = client.post(create_url, data)

    assert response.status_code == 400
    body = response.content.decode()
    assert "Please correct these problems" in body
    for field in ("id_title", "id_needed", "id_gbf_targets"):
        assert f'href="#{field}' in body
    assert "Typed with care: keep me." in body
    assert not Submission.objects.exists()


def test_an_exe_renamed_pdf_is_refused(people, client_for, create_url):
    client = client_for(people.submitter)
    documents_before = get_document_model().objects.count()

    response = client.post(create_url, {**need_data(), "new_attachments": [upload("annual-report.pdf", EXE)]})

    assert response.status_code == 400
    body = response.content.decode()
    assert "annual-report.pdf" in body and "does not contain what its name says" in body
    assert "Training in marine spatial planning" in body  # the title typed is still there
    assert get_document_model().objects.count() == documents_before
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", EXE, "not an accepted kind of file"),
        ("notes.docx", docx_bytes(member="evil/payload.bin"), "does not contain what its name says"),
        ("table.csv", b"a,b\x00,c\n", "does not contain what its name says"),
        ("empty.pdf", b"", "is empty"),
        ("script.txt", b"#!/bin/sh\nrm -rf /\n", "does not contain what its name says"),
    ],
)
def test_wrong_type_files_are_refused(people, client_for, create_url, name, content, message):
    response = client_for(people.submitter).post(
        create_url, {**need_data(), "new_attachments": [upload(name, content)]}
    )

    assert response.status_code == 400
    assert message in response.content.decode()


@override_settings(REVIEW_ATTACHMENT_MAX_SIZE=1024)
def test_an_oversized_file_is_refused(people, client_for, create_url):
    big = PDF + b"0" * 2048
    response = client_for(people.submitter).post(
        create_url, {**need_data(), "new_attachments": [upload("big.pdf", big)]}
    )

    assert response.status_code == 400
    assert "big.pdf" in response.content.decode() and "at most" in response.content.decode()


def test_a_good_file_survives_an_error_elsewhere_and_is_attached_after(people, client_for, create_url):
    client = client_for(people.submitter)

    response = client.post(create_url, {**need_data(title=""), "new_attachments": [upload("plan.pdf", PDF)]})

    assert response.status_code == 400
    staged = get_document_model().objects.get(title="plan.pdf")
    assert staged.collection.name == RESTRICTED_COLLECTION_NAME
    assert f'name="staged_documents" value="{staged.pk}"' in response.content.decode()

    response = client.post(create_url, {**need_data(), "staged_documents": [str(staged.pk)]})

    assert response.status_code == 302
    submission = Submission.objects.get()
    page = submission.page.specific
    assert [row.document_id for row in page.attachments.all()] == [staged.pk]
    assert not staged.file.name.endswith("plan.pdf")  # stored under a random name

    # The submitter downloads it from the workspace; nobody else can, not even by the documents URL.
    url = reverse("workspace:attachment", args=[submission.pk, staged.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(people.outsider).get(url).status_code == 404
    assert Client().get(staged.url).status_code in (302, 403)
    assert client_for(people.outsider).get(staged.url).status_code in (302, 403, 404)


def test_another_persons_upload_cannot_be_attached(people, client_for, create_url):
    client_for(people.other_submitter).post(
        reverse("workspace:create", args=["need"]), {**need_data(title=""), "new_attachments": [upload("x.pdf", PDF)]}
    )
    theirs = get_document_model().objects.get(title="x.pdf")

    client_for(people.submitter).post(create_url, {**need_data(), "staged_documents": [str(theirs.pk)]})

    page = Submission.objects.get(submitter=people.submitter).page.specific
    assert list(page.attachments.all()) == []


def test_attachments_become_public_on_publication(people, client_for, create_url):
    client = client_for(people.submitter)
    client.post(
        create_url, {**need_data(), "new_attachments": [upload("plan.pdf", PDF), upload("plan.docx", docx_bytes())]}
    )
    submission = Submission.objects.get()

    drive(submission, State.PUBLISHED, people)

    documents = get_document_model().objects.filter(title__in=["plan.pdf", "plan.docx"])
    assert {document.collection.name for document in documents} == {PUBLIC_COLLECTION_NAME}
    assert Client().get(documents[0].url).status_code == 200


def test_edit_keeps_what_was_typed_on_error(people, client_for, draft):
    client = client_for(people.submitter)
    url = reverse("workspace:edit", args=[draft.pk])

    response = client.post(url, need_data(title="", summary="A better summary I do not want to lose."))

    assert response.status_code == 400
    assert "A better summary I do not want to lose." in response.content.decode()
    assert draft.page.specific.get_latest_revision_as_object().title == "Training in marine spatial planning"


def test_rich_text_is_typed_as_paragraphs_and_stored_escaped():
    html = text_to_html("First <b>line</b>\nsame paragraph\n\nSecond & last")
    assert html == "<p>First &lt;b&gt;line&lt;/b&gt;<br/>same paragraph</p><p>Second &amp; last</p>"
    assert html_to_text(html) == "First <b>line</b>\nsame paragraph\n\nSecond & last"


@pytest.mark.parametrize(
    ("name", "content"),
    [("report.pdf", PDF), ("report.docx", docx_bytes()), ("data.csv", "pays,valeur\nCôte d'Ivoire,12\n".encode())],
)
def test_genuine_files_pass(name, content):
    validate_attachment(upload(name, content))


def test_validation_error_names_the_file():
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload("budget.xlsx", PDF))
    assert "budget.xlsx" in error.value.messages[0]


def test_two_records_with_the_same_title_get_their_own_addresses(people, client_for, create_url):
    client = client_for(people.submitter)
    assert client.post(create_url, need_data()).status_code == 302
    assert client.post(create_url, need_data()).status_code == 302
    slugs = sorted(Submission.objects.values_list("page__slug", flat=True))
    assert slugs == ["training-in-marine-spatial-planning", "training-in-marine-spatial-planning-2"]


def test_a_title_without_letters_still_gets_an_address(people, client_for, create_url):
    response = client_for(people.submitter).post(create_url, need_data(title="!!!"))
    assert response.status_code == 302
    assert Submission.objects.get().page.slug == "need"
