"""The whole review journey through the URLs, as the people who do it, with only their own rights.

submitter drafts and submits → editor screens and names two reviewers → each reviewer recommends →
editor requests revisions → submitter revises and resubmits → second round → editor publishes →
the record is live and listed.
"""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from content_types.records.models import NeedPage, RecordIndexPage
from workflows.permissions import State
from workflows.review.flows import SubmissionFlow
from workflows.review.models import AuditEntry, Submission

from .helpers import need_data, open_task

pytestmark = pytest.mark.django_db


def task_url(task):
    return reverse("workspace:task", kwargs={"task_pk": task.pk})


def inbox_task_ids(client):
    response = client.get(reverse("workspace:tasks"))
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'/workspace/tasks/(\d+)/"', response.content.decode())}


def test_the_whole_journey(people, client_for, django_capture_on_commit_callbacks):
    submitter, editor = client_for(people.submitter), client_for(people.editor)
    reviewer_a, reviewer_b = client_for(people.reviewer_a), client_for(people.reviewer_b)
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()

    # The submitter drafts a Need and saves it; it is an unpublished page it owns, in its locale.
    assert submitter.get(reverse("workspace:create", args=["need"])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = submitter.post(reverse("workspace:create", args=["need"]), need_data())
    submission = Submission.objects.get(submitter=people.submitter)
    assert response.status_code == 302 and response.url == reverse("workspace:submission", args=[submission.pk])
    page = submission.page.specific
    assert isinstance(page, NeedPage) and not page.live and page.owner == people.submitter
    assert page.get_parent().specific_class is RecordIndexPage and page.locale.language_code == "en"
    assert submission.state == State.DRAFT and submission.acting_for_country.code == "FR"

    # It comes back later, then submits.
    assert "Training in marine spatial planning" in submitter.get(reverse("workspace:home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = submitter.post(reverse("workspace:submit", args=[submission.pk]))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == State.SCREENING
    assert any("Submission received" in message.subject for message in mail.outbox)

    # The editor finds the screening task in its group's inbox and sends the record to review.
    screening = open_task(submission, SubmissionFlow.screen)
    assert screening.pk in inbox_task_ids(editor)
    assert screening.pk not in inbox_task_ids(reviewer_a)
    assert editor.get(task_url(screening)).status_code == 200
    response = editor.post(task_url(screening), {"outcome": "review", "comment": "In scope."})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == State.ASSIGNMENT

    # It names two reviewers and a due date; each gets a task of its own.
    assignment = open_task(submission, SubmissionFlow.assign_reviewers)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            task_url(assignment),
            {
                "reviewers": [people.reviewer_a.pk, people.reviewer_b.pk],
                "due_date": due,
                "anonymous_reviewers": "on",
            },
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == State.IN_REVIEW and submission.round == 1
    review_a = open_task(submission, SubmissionFlow.review, owner=people.reviewer_a)
    review_b = open_task(submission, SubmissionFlow.review, owner=people.reviewer_b)
    assert inbox_task_ids(reviewer_a) == {review_a.pk}
    assert inbox_task_ids(reviewer_b) == {review_b.pk}
    assert {m.to[0] for m in mail.outbox if m.subject.startswith("Review requested")} >= {people.reviewer_a.email}

    # Each reviewer reads the record and recommends.
    assert "Two weeks of training" in reviewer_a.get(task_url(review_a)).content.decode()
    response = reviewer_a.post(
        task_url(review_a),
        {"recommendation": "minor", "comments_to_submitter": "Add a budget.", "confidential_comments": "Solid."},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == State.IN_REVIEW  # still waiting for the second review
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_b.post(task_url(review_b), {"recommendation": "major", "comments_to_submitter": "Name partners."})
    submission.refresh_from_db()
    assert submission.state == State.DECISION

    # The editor reads both reviews (with names and confidential notes) and asks for revisions.
    decision = open_task(submission, SubmissionFlow.decide)
    body = editor.get(task_url(decision)).content.decode()
    assert "Solid." in body and "Ada Quist" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(task_url(decision), {"outcome": "revise", "comment": "Please answer both reviews."})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == State.REVISION

    # The submitter reads the reviews, anonymised, without the confidential notes, and revises.
    body = submitter.get(reverse("workspace:submission", args=[submission.pk])).content.decode()
    assert "Add a budget." in body and "Reviewer 1" in body
    assert "Ada Quist" not in body and "Solid." not in body
    edit_url = reverse("workspace:edit", args=[submission.pk])
    assert submitter.get(edit_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = submitter.post(
            edit_url,
            need_data(summary="Revised: budget and partners named.", submit="1", comment="Budget added."),
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == State.ASSIGNMENT  # a new round of review

    # Second round: the same reviewers, both accept; the editor publishes.
    editor.post(
        task_url(open_task(submission, SubmissionFlow.assign_reviewers)),
        {"reviewers": [people.reviewer_a.pk, people.reviewer_b.pk], "due_date": due, "anonymous_reviewers": "on"},
    )
    submission.refresh_from_db()
    assert submission.round == 2
    for client, person in ((reviewer_a, people.reviewer_a), (reviewer_b, people.reviewer_b)):
        task = open_task(submission, SubmissionFlow.review, owner=person)
        client.post(task_url(task), {"recommendation": "accept", "comments_to_submitter": "Thank you."})
    submission.refresh_from_db()
    assert submission.state == State.DECISION
    assert not NeedPage.objects.get(pk=page.pk).live  # nothing public before the decision
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(task_url(open_task(submission, SubmissionFlow.decide)), {"outcome": "publish"})
    assert response.status_code == 302

    submission.refresh_from_db()
    page = NeedPage.objects.get(pk=page.pk)
    assert submission.state == State.PUBLISHED
    assert page.live and page.summary == "Revised: budget and partners named."
    assert page.revisions.count() >= 2  # history and compare keep working
    listing = submitter.get(page.get_parent().url)
    assert "Training in marine spatial planning" in listing.content.decode()
    assert submitter.get(page.url).status_code == 200
    assert any("Published" in message.subject for message in mail.outbox)

    actions = list(submission.audit_entries.values_list("action", flat=True))
    assert actions[:3] == [AuditEntry.Action.CREATED, AuditEntry.Action.SUBMITTED, AuditEntry.Action.SCREENED]
    assert actions.count(AuditEntry.Action.REVIEW_SUBMITTED) == 4
    assert actions[-1] == AuditEntry.Action.PUBLISHED
