"""The Wagtail dashboard panel of the submissions waiting for the signed-in editor.

Editors live in the admin; this panel brings the workspace's editor queue there: submissions to
screen, reviewers to name, decisions due and reviews overdue, each with its due date and a link.
Who sees what is the workspace's own rule (its task queryset and the permission matrix), read in a
fixed number of queries whatever the number of submissions.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from workflows.review.policy import EDITORS, State, is_editor, roles_for

from .models import ReviewAssignment, Submission

ROWS_PER_GROUP = 10


def _row(submission, due, today, url, **extra) -> dict:
    return {"submission": submission, "due": due, "overdue": bool(due and due < today), "url": url, **extra}


def _by_due(rows: list[dict]) -> list[dict]:
    """Soonest due first; rows without a due date last."""
    return sorted(rows, key=lambda row: (row["due"] or datetime.date.max, row["submission"].pk))


def editor_tasks(user, today) -> dict[str, list[dict]]:
    """Screening, naming reviewers and deciding: the inbox's editor tasks not taken by a colleague."""
    from workflows.core.inbox import visible_tasks

    from .flows import SubmissionFlow
    from .inbox import task_due_date

    groups = {State.SCREENING: [], State.ASSIGNMENT: [], State.DECISION: []}
    node_state = {
        SubmissionFlow.screen: State.SCREENING,
        SubmissionFlow.assign_reviewers: State.ASSIGNMENT,
        SubmissionFlow.decide: State.DECISION,
    }
    tasks = (
        visible_tasks(user)
        .filter(flow_task__in=list(node_state))
        .filter(Q(owner__isnull=True) | Q(owner=user))
        .select_related("process__submissionprocess__submission__page")
    )
    for task in tasks:
        url = reverse("workspace:task", kwargs={"task_pk": task.pk})
        submission = task.process.submissionprocess.submission
        due = task_due_date(task, {})
        groups[node_state[task.flow_task]].append(_row(submission, due, today, url, taken=task.owner_id == user.pk))
    return groups


def overdue_reviews(user, today) -> list[dict]:
    """Submissions in review that the person handles as an editor, with a review of this round overdue."""
    overdue = ReviewAssignment.objects.overdue(today).filter(submission=OuterRef("pk"), round=OuterRef("round"))
    submissions = list(
        Submission.objects.visible_to(user)
        .filter(Exists(overdue), state=State.IN_REVIEW)
        .select_related("page")
        .order_by("pk")
    )
    open_reviews: dict[int, list] = {submission.pk: [] for submission in submissions}
    rounds = {submission.pk: submission.round for submission in submissions}
    for assignment in ReviewAssignment.objects.open().filter(submission_id__in=list(open_reviews)):
        if assignment.round == rounds[assignment.submission_id]:
            open_reviews[assignment.submission_id].append(assignment)
    sent_reviews: dict[int, set] = {pk: set() for pk in open_reviews}
    sent = ReviewAssignment.objects.sent_in_running_process().filter(submission_id__in=list(open_reviews))
    for submission_id, reviewer_id in sent.values_list("submission_id", "reviewer_id"):
        sent_reviews[submission_id].add(reviewer_id)
    rows = []
    for submission in submissions:
        reviews = open_reviews[submission.pk]
        submission._open_reviewer_ids = {assignment.reviewer_id for assignment in reviews}
        submission._past_reviewer_ids = sent_reviews[submission.pk]
        if not roles_for(user, submission) & EDITORS:
            continue  # seen only as one of its reviewers
        late = [assignment for assignment in reviews if assignment.due_date < today]
        url = reverse("workspace:submission", args=[submission.pk])
        rows.append(_row(submission, min(a.due_date for a in late), today, url, count=len(late)))
    return rows


def waiting_for(user) -> list[dict]:
    """The panel's groups, in the order an editor works through them."""
    today = timezone.localdate()
    tasks = editor_tasks(user, today)
    groups = [
        (State.SCREENING, _("To screen"), tasks[State.SCREENING]),
        (State.ASSIGNMENT, _("Reviewers to name"), tasks[State.ASSIGNMENT]),
        (State.DECISION, _("Decisions due"), tasks[State.DECISION]),
        (State.IN_REVIEW, _("Overdue reviews"), overdue_reviews(user, today)),
    ]
    return [
        {"key": key, "heading": heading, "rows": _by_due(rows)[:ROWS_PER_GROUP], "count": len(rows)}
        for key, heading, rows in groups
    ]


class ReviewQueuePanel(Component):
    """Shown to editors only (secretariat, or national for their country's submissions)."""

    name = "review_queue"
    template_name = "review/admin/dashboard_panel.html"
    order = 150

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        groups = waiting_for(self.user)
        return {
            "groups": groups,
            "total": sum(group["count"] for group in groups),
            "inbox_url": reverse("workspace:tasks"),
        }


def panel_for(user):
    return ReviewQueuePanel(user) if is_editor(user) else None
