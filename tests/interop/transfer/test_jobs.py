"""The confirmed import as a background job: started once per file, its progress readable while the
rows are written, its summary or failure on the job page, and seen only by its user and administrators."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content_types.records.models import NeedPage
from interop.transfer import jobs, models
from interop.transfer.models import ImportJob
from workflows.review.models import Submission

from .conftest import csv_bytes, need_row, signed_in
from .test_import import _capture, counts, dry_run

pytestmark = pytest.mark.django_db


def _confirm(browser, location, signature):
    with _capture()(execute=True):
        return browser.post(location + "confirm/", {"signature": signature})


def test_confirming_starts_one_job_that_writes_and_shows_its_summary(french_editor, monkeypatch):
    browser = signed_in(french_editor)
    location, response = dry_run(browser, csv_bytes([need_row("Seagrass mapping"), need_row("Coral survey")]))
    seen = []
    real_record = models.record_progress

    def watching(job_id, done, total):  # what the job page reads while the transaction is still open
        real_record(job_id, done, total)
        job = ImportJob.objects.get(pk=job_id)
        seen.append((job.state, job.progress(), browser.get(_progress_url(job)).json()))

    monkeypatch.setattr(jobs, "record_progress", watching)
    posted = _confirm(browser, location, response.context["report"].signature())
    job = ImportJob.objects.get()
    assert posted.status_code == 302 and posted["Location"] == reverse("record_import:job", kwargs={"pk": job.pk})
    assert [(state, progress) for state, progress, _json in seen] == [("running", (1, 2)), ("running", (2, 2))]
    assert seen[0][2] == {"state": "running", "done": 1, "total": 2, "finished": False}
    assert (job.state, job.user, job.mode, job.created, job.updated, job.skipped) == (
        "done",
        french_editor,
        "review",
        2,
        0,
        0,
    )
    assert job.finished_at is not None and job.progress() == (2, 2)
    page = browser.get(posted["Location"])
    text = page.content.decode()
    assert "Created: 2. Updated: 0. Skipped: 0." in text and reverse("workspace:tasks") in text
    for submission in Submission.objects.all():
        assert reverse("workspace:submission", kwargs={"pk": submission.pk}) in text
    assert 'http-equiv="refresh"' not in text and "import_job.js" not in text  # finished: no more polling
    assert browser.get(_progress_url(job)).json() == {"state": "done", "done": 2, "total": 2, "finished": True}


def _progress_url(job):
    return reverse("record_import:job_progress", kwargs={"pk": job.pk})


def test_a_double_submit_starts_one_job(french_editor, django_assert_max_num_queries):
    browser = signed_in(french_editor)
    location, response = dry_run(browser, csv_bytes([need_row("Clicked twice")]))
    signature = response.context["report"].signature()
    first = _confirm(browser, location, signature)
    with django_assert_max_num_queries(12):
        second = _confirm(browser, location, signature)
    assert first["Location"] == second["Location"]
    assert ImportJob.objects.count() == 1
    assert NeedPage.objects.filter(title="Clicked twice").count() == 1
    assert Submission.objects.count() == 1


def test_a_queued_job_and_a_job_whose_worker_died_show_as_such(french_editor, monkeypatch):
    browser = signed_in(french_editor)
    location, response = dry_run(browser, csv_bytes([need_row("Never written")]))
    monkeypatch.setattr(jobs, "_send", lambda job_id: None)  # no worker takes it
    posted = _confirm(browser, location, response.context["report"].signature())
    waiting = browser.get(posted["Location"])
    text = waiting.content.decode()
    assert waiting.context["job"].state == "queued"
    assert 'http-equiv="refresh"' in text and "transfer/import_job.js" in text and "<script>" not in text
    assert 'id="import-reload"' in text
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(state="running", started_at=timezone.now() - timedelta(minutes=5))
    assert browser.get(_progress_url(job)).json()["state"] == "running"  # quiet, but not for long yet
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - models.STALE_AFTER - timedelta(seconds=1))
    assert browser.get(_progress_url(job)).json() == {"state": "failed", "done": 0, "total": 0, "finished": True}
    failed = browser.get(posted["Location"]).content.decode()
    assert "The import stopped without finishing" in failed and "nothing was written" in failed
    assert not NeedPage.objects.filter(title="Never written").exists()
    # A failed job is started again by a new confirmation of the same file.
    monkeypatch.undo()
    _confirm(browser, location, response.context["report"].signature())
    job.refresh_from_db()
    assert job.state == "done" and NeedPage.objects.filter(title="Never written").count() == 1


def test_a_job_is_seen_only_by_its_user_and_administrators(french_editor, secretariat_editor, administrator, make_user):
    from .conftest import national_editor

    browser = signed_in(french_editor)
    location, response = dry_run(browser, csv_bytes([need_row("Private job")]))
    posted = _confirm(browser, location, response.context["report"].signature())
    job = ImportJob.objects.get()
    urls = [posted["Location"], _progress_url(job)]
    for url in urls:
        assert browser.get(url).status_code == 200
        assert signed_in(administrator).get(url).status_code == 200
        assert signed_in(secretariat_editor).get(url, follow=True).status_code == 404
        same_country = national_editor(make_user, f"editor-fr-{len(url)}", "FR")
        assert signed_in(same_country).get(url, follow=True).status_code == 404
        assert Client().get(url, follow=True).status_code in (200, 403)  # the sign-in page, or refused
        assert "Private job" not in Client().get(url, follow=True).content.decode()
    for other_id in (job.pk + 1, 0):
        assert browser.get(reverse("record_import:job", kwargs={"pk": other_id}), follow=True).status_code == 404
    # Confirming another editor's file (its token) neither starts nor reveals a job.
    before = (counts(), ImportJob.objects.count())
    other = signed_in(secretariat_editor)
    assert other.post(location + "confirm/", {"signature": "2:create"}, follow=True).status_code == 404
    assert (counts(), ImportJob.objects.count()) == before


def test_the_progress_of_a_job_that_fails_writes_nothing(french_editor, monkeypatch):
    from workflows.review import services

    browser = signed_in(french_editor)
    location, response = dry_run(browser, csv_bytes([need_row("One"), need_row("Two"), need_row("Three")]))
    real_submit, calls = services.submit, []

    def failing_third(pk, user):
        calls.append(pk)
        if len(calls) == 3:
            raise RuntimeError("the third row fails")
        return real_submit(pk, user)

    monkeypatch.setattr(services, "submit", failing_third)
    before = counts()
    posted = _confirm(browser, location, response.context["report"].signature())
    job = ImportJob.objects.get()
    assert job.state == "failed" and job.errors == [[4, "", "This row could not be written; nothing was written."]]
    assert counts() == before
    page = browser.get(posted["Location"]).content.decode()
    assert "The import failed: nothing was written." in page and 'id="import-problems"' in page
