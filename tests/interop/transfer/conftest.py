"""Fixtures of the import tests: editors of each reach, files to upload, and the admin's import URLs."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cms.accounts import roles
from content_types.vocabularies.models import Country

HEADER = [
    "type",
    "title",
    "language",
    "summary",
    "countries",
    "targets",
    "subjects",
    "languages",
    "needed",
    "support_kind",
    "urgency",
]


def need_row(title="Training in marine spatial planning", **overrides) -> dict:
    row = {
        "type": "need",
        "title": title,
        "language": "en",
        "summary": "Help with mapping marine ecosystems.",
        "countries": "FR",
        "targets": "GBF-T3",
        "subjects": "",
        "languages": "en;fr",
        "needed": "A trainer and data.",
        "support_kind": "training",
        "urgency": "high",
    }
    row.update(overrides)
    return row


def csv_bytes(rows, header=None, bom=True) -> bytes:
    header = header or list(rows[0]) if rows else header or HEADER
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    text = buffer.getvalue()
    return ("\ufeff" + text if bom else text).encode("utf-8")


def upload(content: bytes, name="records.csv", content_type="text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def national_editor(make_user, username, code):
    user = make_user(username, roles.EDITOR)
    user.profile.country = Country.objects.get(code=code)
    user.profile.save()
    return user


@pytest.fixture
def french_editor(make_user, site_pages):
    return national_editor(make_user, "editor-fr", "FR")


@pytest.fixture
def secretariat_editor(editor, site_pages):
    return editor


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser
