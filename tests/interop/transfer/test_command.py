"""``manage.py import_records``: the admin's import from the command line, with its progress."""

import io

import pytest
from django.core.management import CommandError, call_command

from content_types.records.models import NeedPage
from workflows.review.models import Submission
from workflows.review.policy import State

from .conftest import csv_bytes, need_row

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_records", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_reports_then_submits_with_progress(french_editor, tmp_path):
    path = tmp_path / "needs.csv"
    path.write_bytes(csv_bytes([need_row("From the command"), need_row("Wrong code", targets="GBF-T99")]))
    out, _err = run(str(path), "--user", french_editor.username, "--dry-run")
    assert "row 3, targets: Unknown code: GBF-T99." in out and "Nothing was written." in out
    assert not Submission.objects.exists()
    out, err = run(str(path), "--user", french_editor.username)
    assert "to create 1, to update 0, skipped 1" in out
    assert "import: 1/1 records" in err
    submission = Submission.objects.get()
    assert submission.page.title == "From the command" and submission.state == State.SCREENING


def test_the_command_refuses_who_may_not_import_or_publish(french_editor, submitter, tmp_path):
    path = tmp_path / "needs.csv"
    path.write_bytes(csv_bytes([need_row()]))
    with pytest.raises(CommandError, match="not an active editor"):
        run(str(path), "--user", submitter.username)
    with pytest.raises(CommandError, match="may not publish"):
        run(str(path), "--user", french_editor.username, "--publish")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("type,title,language\nneed,Écosystèmes,en\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not in UTF-8"):
        run(str(latin), "--user", french_editor.username)
    assert not NeedPage.objects.exists()
