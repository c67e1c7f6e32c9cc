"""A newcomer's review journey, once, in a real browser.

Submitter drafts and submits a Need; the editor screens it and names two reviewers; each reviewer
recommends; the editor asks for revisions; the submitter revises and resubmits; after a second round
the editor publishes; the record is live in the Records listing.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.workflows import conftest as review_fixtures

# The review tests' fixture: the people of a review.
people = review_fixtures.people

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Seagrass mapping for the Mediterranean coast"


class Person:
    """One person's own browser context, signed in."""

    def __init__(self, browser, base_url, user):
        self.context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.page.goto(f"{base_url}/en/accounts/login/?next=/en/workspace/")
        self.page.get_by_label("User name").fill(user.username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page.get_by_role("heading", name="My submissions")).to_be_visible()

    def open_task(self, name):
        self.page.goto(f"{self.base_url}/en/workspace/tasks/")
        self.page.get_by_role("link", name=name).first.click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(TITLE)

    def send(self):
        self.page.get_by_role("button", name="Send").click()
        expect(self.page.locator(".message-success, .message").first).to_be_visible()

    def close(self):
        self.context.close()


def review_round(browser, base_url, reviewers, recommendation, comment):
    for user in reviewers:
        reviewer = Person(browser, base_url, user)
        reviewer.open_task("Review the record")
        expect(reviewer.page.get_by_text("Two weeks of training")).to_be_visible()  # it reads the record
        reviewer.page.get_by_label(recommendation).check()
        reviewer.page.get_by_label("Comments to the submitter").fill(comment)
        reviewer.send()
        reviewer.close()


def test_a_record_goes_from_draft_through_two_review_rounds_to_the_listing(live_site, browser, people):
    base_url = live_site.url
    reviewers = [people.reviewer_a, people.reviewer_b]

    # The submitter drafts a Need and submits it.
    submitter = Person(browser, base_url, people.submitter)
    submitter.page.get_by_role("link", name="Need", exact=True).click()
    form = submitter.page
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("Summary").fill("Maps of seagrass meadows to plan marine protected areas.")
    form.get_by_label("What is needed").fill("Two weeks of training for ten people.")
    form.get_by_label("Kind of support").select_option("training")
    targets = form.get_by_role("combobox", name=re.compile("^GBF targets"))  # the type-ahead
    targets.fill("Conserve 30")
    targets.press("Enter")
    form.get_by_role("button", name="Save and submit for review").click()
    expect(form.get_by_text("Submitted.")).to_be_visible()
    expect(form.locator(".state")).to_have_text("Screening")

    # The editor screens it and names two reviewers.
    editor = Person(browser, base_url, people.editor)
    editor.open_task("Screen the submission")
    editor.page.get_by_label("Send to review").check()
    editor.send()
    editor.open_task("Name reviewers")
    editor.page.get_by_label(re.compile("Ada Quist")).check()
    editor.page.get_by_label(re.compile("Bruno Lefèvre")).check()
    editor.send()

    # Each reviewer recommends.
    review_round(browser, base_url, reviewers, "Minor revisions", "Please add a budget.")

    # The editor asks for revisions.
    editor.open_task("Decide on the submission")
    expect(editor.page.get_by_text("Please add a budget.").first).to_be_visible()
    editor.page.get_by_label("Request revisions").check()
    editor.page.get_by_label("Comment to the submitter").fill("Add the budget the reviewers ask for.")
    editor.send()

    # The submitter reads the reviews and revises.
    submitter.page.goto(f"{base_url}/en/workspace/")
    # On the smallest screen the table of submissions scrolls in its own region; the page does not.
    submitter.page.set_viewport_size({"width": 320, "height": 700})
    expect(submitter.page.get_by_role("region", name="Your records and where each one stands")).to_be_visible()
    assert submitter.page.evaluate("document.documentElement.scrollWidth") <= 320
    submitter.page.set_viewport_size({"width": 1280, "height": 900})
    submitter.page.get_by_role("link", name=TITLE).click()
    expect(submitter.page.get_by_text("Add the budget the reviewers ask for.")).to_be_visible()
    expect(submitter.page.get_by_role("heading", name=re.compile("Reviewer 1"))).to_be_visible()
    submitter.page.get_by_role("link", name="Revise the record").click()
    submitter.page.get_by_label("Summary").fill("Maps of seagrass meadows; budget: 40 000 EUR.")
    submitter.page.get_by_role("button", name="Save and resubmit").click()
    expect(submitter.page.get_by_text("sent back to the editors")).to_be_visible()

    # Second round: the same reviewers (already ticked), both accept; the editor publishes.
    editor.open_task("Name reviewers")
    expect(editor.page.get_by_label(re.compile("Ada Quist"))).to_be_checked()
    editor.send()
    review_round(browser, base_url, reviewers, "Accept", "Thank you, ready.")
    editor.open_task("Decide on the submission")
    editor.page.get_by_label("Publish").check()
    editor.send()

    # The record is live and in its listing.
    visitor = browser.new_context(locale="en-GB").new_page()
    visitor.goto(f"{base_url}/en/records/")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_text("budget: 40 000 EUR")).to_be_visible()
    visitor.context.close()
    submitter.close()
    editor.close()


def test_the_record_form_and_the_decision_tracker_fit_the_smallest_screen(live_site, browser, people):
    """At 320 pixels: a select as wide as its longest option, a textarea of 40 columns, the file input and
    the tracker's filters shrink to the screen, in Chinese and in French; the page never scrolls sideways."""
    submitter = Person(browser, live_site.url, people.submitter)
    submitter.page.set_viewport_size({"width": 320, "height": 700})
    for path in ("/zh-hans/workspace/new/need/", "/fr/workspace/new/need/", "/fr/decisions/tracker/?q=parties"):
        submitter.page.goto(f"{live_site.url}{path}")
        expect(submitter.page.locator("main form").last).to_be_visible()
        assert submitter.page.evaluate("document.documentElement.scrollWidth") <= 320, path
    submitter.close()
