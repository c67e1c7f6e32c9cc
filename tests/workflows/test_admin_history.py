"""The review's steps in Wagtail's history: the page's History tab and the site history report."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import PageLogEntry

from workflows.permissions import State
from workflows.review import services

from .helpers import assign, decide, drive, new_need, review

pytestmark = pytest.mark.django_db

JOURNEY = [
    ("review.draft_created", "Draft created in the workspace"),
    ("review.submitted", "Submitted for review"),
    ("review.sent_to_review", "Screened: sent to review"),
    ("review.reviewers_named", "2 reviewer(s) named for round 1, reviews due"),
    ("review.review_sent", "Review sent by Reviewer 1 (round 1)"),
    ("review.review_sent", "Review sent by Reviewer 2 (round 1)"),
    ("review.reviews_complete", "All reviews of round 1 received"),
    ("review.revisions_requested", "Decided: revisions requested after round 1"),
    ("review.resubmitted", "Revised and resubmitted"),
    ("review.reviewers_named", "2 reviewer(s) named for round 2, reviews due"),
    ("review.review_sent", "Review sent by Reviewer 1 (round 2)"),
    ("review.review_sent", "Review sent by Reviewer 2 (round 2)"),
    ("review.reviews_complete", "All reviews of round 2 received"),
    ("review.publication_decided", "Decided: publish after round 2"),
    ("review.published", "Published through the review workflow"),
]


def full_journey(people, draft, on_commit):
    with on_commit(execute=True):
        drive(draft, State.REVISION, people)
        services.resubmit(draft.pk, people.submitter, "Budget added.")
        assign(draft, people.editor, [people.reviewer_a, people.reviewer_b])
        review(draft, people.reviewer_a, "accept", comments="Thank you.", confidential="Solid work.")
        review(draft, people.reviewer_b, "accept", comments="Thank you.")
        decide(draft, people.editor, "publish", comment="Welcome to the portal.")
    return draft


def history_messages(client, page_id) -> list[str]:
    """Every message of the page's History tab, newest first, across its pages."""
    messages = []
    for number in range(1, 5):
        response = client.get(reverse("wagtailadmin_pages:history", args=[page_id]), {"p": number})
        document = BeautifulSoup(response.content.decode(), "html.parser")
        rows = document.select("table tbody tr")
        messages += [" ".join(row.get_text(" ", strip=True).split()) for row in rows]
        if not document.select_one(f'a[href*="p={number + 1}"]'):
            return messages
    return messages


def test_page_history_shows_every_review_step_in_order(people, client_for, draft, django_capture_on_commit_callbacks):
    submission = full_journey(people, draft, django_capture_on_commit_callbacks)
    entries = PageLogEntry.objects.filter(page_id=submission.page_id, action__startswith="review.").order_by(
        "timestamp", "pk"
    )
    for (action, message), entry in zip(JOURNEY, entries, strict=True):
        assert entry.action == action and str(entry.message).startswith(message)

    rows = history_messages(client_for(people.editor), submission.page_id)
    review_rows = [row for row in rows if any(message in row for _, message in JOURNEY)]
    assert len(review_rows) == len(JOURNEY)
    for row, (_, message) in zip(reversed(review_rows), JOURNEY, strict=True):
        assert message in row
    # Wagtail's own entries stay: the resubmitted revision and the publication.
    assert any("Published" in row and "Published through the review" not in row for row in rows)


def test_the_site_history_report_lists_the_steps_with_their_labels(
    people, client_for, draft, django_capture_on_commit_callbacks
):
    full_journey(people, draft, django_capture_on_commit_callbacks)
    client = client_for(people.editor)
    body = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    for _, message in JOURNEY:
        assert message in body
    assert "Review: publication decided" in body  # the action filter offers the review's steps
    filtered = client.get(reverse("wagtailadmin_reports:site_history"), {"action": "review.submitted"})
    assert "Submitted for review" in filtered.content.decode()
    assert "Screened: sent to review" not in filtered.content.decode()


def test_anonymous_reviewers_and_what_anyone_wrote_stay_out_of_the_admin_history(
    people, client_for, draft, django_capture_on_commit_callbacks
):
    """Every editor who may open the record reads its admin history, never what the matrix keeps from it."""
    submission = full_journey(people, draft, django_capture_on_commit_callbacks)
    reviews = PageLogEntry.objects.filter(page_id=submission.page_id, action="review.review_sent")
    assert reviews.count() == 4 and not reviews.filter(user__isnull=False).exists()

    for client in (client_for(people.editor), client_for(people.national_editor)):
        text = " ".join(history_messages(client, submission.page_id))
        site = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
        for secret in ("Ada Quist", "Bruno", "reviewer-a", "reviewer-b", "Solid work.", "Thank you.", "Accept"):
            assert secret not in text and secret not in site, secret
        for comment in ("Welcome to the portal.", "Budget added.", "In scope."):
            assert comment not in text and comment not in site, comment
        assert "Review sent by Reviewer 2 (round 2)" in text


def test_named_reviewers_are_named_in_the_admin_history(people, client_for, draft):
    drive(draft, State.ASSIGNMENT, people)
    assign(draft, people.editor, [people.reviewer_a], anonymous=False)
    review(draft, people.reviewer_a, "accept")
    entry = PageLogEntry.objects.get(page_id=draft.page_id, action="review.review_sent")
    assert entry.user == people.reviewer_a
    assert "Ada Quist" in " ".join(history_messages(client_for(people.editor), draft.page_id))


def test_rejections_and_withdrawals_are_logged(people, draft):
    rejected = drive(draft, State.REJECTED, people)
    assert PageLogEntry.objects.get(page_id=rejected.page_id, action="review.rejected").message == (
        "Rejected at screening"
    )

    after_review = drive(new_need(people.submitter, title="Rejected after review"), State.DECISION, people)
    decide(after_review, people.editor, "reject")
    assert PageLogEntry.objects.get(page_id=after_review.page_id, action="review.rejected").message == (
        "Rejected after review round 1"
    )

    withdrawn = drive(new_need(people.submitter, title="Withdrawn need"), State.SCREENING, people)
    services.withdraw(withdrawn.pk, people.submitter, "Not ready.")
    entry = PageLogEntry.objects.get(page_id=withdrawn.page_id, action="review.withdrawn")
    assert entry.user == people.submitter and entry.message == "Withdrawn by its submitter"
