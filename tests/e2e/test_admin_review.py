"""An editor who lives in the Wagtail admin finds the review there, in a real browser.

The dashboard lists the submission waiting for its screening; the record's edit view says it is
locked by the review, with its state and due date, and offers no save or publish.
"""

import datetime

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.workflows import conftest as review_fixtures
from tests.workflows.helpers import drive, new_need
from workflows.permissions import State

people = review_fixtures.people

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Coral reef monitoring in the Indian Ocean"


def test_the_editor_finds_the_review_in_the_admin(browser, live_site, people):
    submission = drive(new_need(people.submitter, title=TITLE), State.SCREENING, people)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(f"{live_site.url}/admin/login/")
        page.get_by_label("Username").fill(people.editor.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        panel = page.locator("#review-queue-section")
        expect(panel.get_by_role("heading", name="To screen (1)")).to_be_visible()
        expect(panel.get_by_role("link", name=TITLE)).to_be_visible()

        page.goto(f"{live_site.url}/admin/pages/{submission.page_id}/edit/")
        banner = page.locator(".review-lock")
        expect(banner).to_contain_text("Locked by the review")
        expect(banner).to_contain_text("Screening")
        due = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
        expect(banner.locator(f'time[datetime="{due}"]')).to_be_visible()
        expect(banner.get_by_role("link", name="Open the submission in the workspace")).to_be_visible()
        expect(page.get_by_role("button", name="Page locked")).to_be_disabled()
        expect(page.locator('button[name="action-publish"]')).to_have_count(0)
    finally:
        context.close()
