"""Helpers of the review tests: form data for a record, and driving a submission to any state.

``drive`` goes through the same services the views call (locks, matrix, audit), so that the states
it produces are the real ones, not rows written by hand.
"""

import datetime

from django.utils import timezone
from viewflow.workflow import STATUS

from content_types.records.models import NeedPage
from content_types.vocabularies.models import GBFTarget
from workflows.permissions import State
from workflows.review import services
from workflows.review.flows import SubmissionFlow
from workflows.review.models import Submission
from workflows.review.record_forms import record_form_class


def need_data(**overrides) -> dict:
    data = {
        "title": "Training in marine spatial planning",
        "summary": "Help with mapping marine ecosystems for spatial planning.",
        "publication_date": "2026-01-15",
        "licence": "CC-BY-4.0",
        "needed": "Two weeks of training for ten people.\n\nData sharing agreements.",
        "support_kind": "training",
        "urgency": "high",
        "status": "open",
        "needed_by": "",
        "gbf_targets": [str(GBFTarget.objects.get(number=3).pk)],
    }
    data.update(overrides)
    return data


def new_need(user, **overrides) -> Submission:
    """A draft Need created through the workspace form and the draft service (in English unless
    ``language`` says otherwise)."""
    form_class = record_form_class(NeedPage)
    form = form_class(need_data(**{"language": "en", **overrides}), {}, instance=NeedPage(), user=user)
    assert form.is_valid(), form.errors
    return services.create_draft(form.save_to_instance(), form.parent, user)


def open_task(submission, node, **filters):
    return SubmissionFlow.task_class.objects.filter(
        process__submissionprocess__submission=submission,
        flow_task=node,
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
        **filters,
    ).get()


def screen(submission, editor, outcome="review", comment="In scope."):
    task = open_task(submission, SubmissionFlow.screen)
    services.complete_task(task.pk, editor, lambda a, s: services.perform_screening(a, s, editor, outcome, comment))


def assign(submission, editor, reviewers, due=None, anonymous=True):
    due = due or timezone.localdate() + datetime.timedelta(days=14)
    task = open_task(submission, SubmissionFlow.assign_reviewers)
    services.complete_task(
        task.pk, editor, lambda a, s: services.perform_assignment(a, s, editor, list(reviewers), due, anonymous)
    )


def review(submission, reviewer, recommendation="minor", comments="Clear; add a budget.", confidential=""):
    task = open_task(submission, SubmissionFlow.review, owner=reviewer)
    services.complete_task(
        task.pk,
        reviewer,
        lambda a, s: services.perform_review(a, s, reviewer, recommendation, comments, confidential),
    )


def decide(submission, editor, outcome, comment="See the reviews."):
    task = open_task(submission, SubmissionFlow.decide)
    services.complete_task(
        task.pk, editor, lambda a, s: services.perform_decision(a, s, editor, outcome, comment, None)
    )


def drive(submission, state, users) -> Submission:
    """Take a fresh draft to ``state`` the way people would (``users``: submitter, editor, reviewers)."""
    if state == State.DRAFT:
        return refreshed(submission)
    services.submit(submission.pk, submission.submitter)
    if state == State.SCREENING:
        return refreshed(submission)
    if state == State.REJECTED:
        screen(submission, users.editor, "reject", "Out of scope.")
        return refreshed(submission)
    screen(submission, users.editor)
    if state == State.ASSIGNMENT:
        return refreshed(submission)
    assign(submission, users.editor, [users.reviewer_a, users.reviewer_b])
    if state == State.IN_REVIEW:
        return refreshed(submission)
    review(submission, users.reviewer_a)
    review(submission, users.reviewer_b)
    if state == State.DECISION:
        return refreshed(submission)
    if state == State.REVISION:
        decide(submission, users.editor, "revise")
        return refreshed(submission)
    decide(submission, users.editor, "publish")
    assert state == State.PUBLISHED
    return refreshed(submission)


def refreshed(submission) -> Submission:
    submission = Submission.objects.get(pk=submission.pk)
    return submission
