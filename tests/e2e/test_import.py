"""A national editor imports records in the admin, in a real browser: upload, a dry run that finds a
wrong code, the corrected file uploaded again, confirmation (a background job, with its page), and the
records waiting for screening; and the job page that follows a job's progress without reloading."""

import re

import pytest
from playwright.sync_api import expect

from interop.transfer.models import ImportJob, record_progress
from tests.conftest import PASSWORD
from tests.interop.transfer.conftest import csv_bytes, national_editor, need_row
from workflows.review.models import Submission
from workflows.review.policy import State

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_three_steps_of_an_import_with_an_error_fixed(browser, live_site, make_user, tmp_path):
    editor = national_editor(make_user, "editor-fr-import", "FR")
    wrong = tmp_path / "needs.csv"
    wrong.write_bytes(csv_bytes([need_row("Seagrass mapping"), need_row("Coral survey", targets="GBF-T99")]))
    fixed = tmp_path / "needs-fixed.csv"
    fixed.write_bytes(csv_bytes([need_row("Seagrass mapping"), need_row("Coral survey", targets="GBF-T2")]))
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(f"{live_site.url}/admin/login/")
        page.get_by_label("Username").fill(editor.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Import records").click()

        # Step 1 → 2: the wrong file; the report names the row, the column and the problem.
        page.get_by_label("File (CSV or XLSX)").set_input_files(str(wrong))
        page.get_by_role("button", name="Check the file").click()
        expect(page.locator('[data-count="created"]')).to_have_text("1")
        expect(page.locator('[data-count="skipped"]')).to_have_text("1")
        problem = page.locator("#import-problems tbody tr")
        expect(problem).to_have_count(1)
        expect(problem).to_contain_text("3")
        expect(problem).to_contain_text("targets")
        expect(problem).to_contain_text("Unknown code: GBF-T99.")
        assert not Submission.objects.exists()

        # The corrected file, uploaded again: nothing left to fix.
        page.get_by_role("link", name="Upload another file").click()
        page.get_by_label("File (CSV or XLSX)").set_input_files(str(fixed))
        page.get_by_role("button", name="Check the file").click()
        expect(page.locator('[data-count="created"]')).to_have_text("2")
        expect(page.get_by_text("No problem found.")).to_be_visible()

        # Step 3: written, and waiting for an editor's screening.
        page.get_by_role("button", name="Confirm: write 2 records").click()
        expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
        expect(page.locator("#import-done")).to_contain_text("Created: 2")
        expect(page.get_by_role("link", name="Coral survey")).to_be_visible()
        submissions = Submission.objects.select_related("page").order_by("pk")
        assert [(s.page.title, s.state) for s in submissions] == [
            ("Seagrass mapping", State.SCREENING),
            ("Coral survey", State.SCREENING),
        ]
    finally:
        context.close()


def test_the_job_page_follows_the_progress_and_shows_the_summary(browser, live_site, make_user):
    editor = national_editor(make_user, "editor-fr-job", "FR")
    job = ImportJob.objects.create(user=editor, token="0" * 32, mode="review", signature="2:create", state="running")
    record_progress(job.pk, 1, 4)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(f"{live_site.url}/admin/login/")
        page.get_by_label("Username").fill(editor.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{live_site.url}/admin/records-import/jobs/{job.pk}/")
        expect(page.locator("#import-rows-done")).to_have_text("1")
        expect(page.locator("#import-rows-total")).to_have_text("4")
        expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)  # the script polls instead
        record_progress(job.pk, 3, 4)
        expect(page.locator("#import-rows-done")).to_have_text("3")
        expect(page.locator("#import-progress")).to_have_attribute("value", "3")
        ImportJob.objects.filter(pk=job.pk).update(state="done", created=4, rows_done=4, rows_total=4)
        expect(page.locator("#import-done")).to_contain_text("Created: 4")
    finally:
        context.close()
