"""The review's part of the one inbox: which review tasks a person sees, and how they read.

A person sees the tasks it holds, and an editor the group tasks (screening, naming reviewers,
deciding) of the submissions it handles, never those of its own submissions.
"""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from workflows.core.inbox import InboxSource, register_inbox
from workflows.core.people import is_secretariat_editor, national_editor_country_id

from .models import ReviewAssignment, Submission
from .services import TASK_MESSAGES, claim_task, release_task

SUBMISSION = "process__submissionprocess__submission"


def _flow():
    from .flows import SubmissionFlow

    return SubmissionFlow


def editor_nodes():
    flow_class = _flow()
    return [flow_class.screen, flow_class.assign_reviewers, flow_class.decide]


def task_filter(user) -> Q:
    """Review tasks the person holds, plus the editor tasks of the submissions it edits."""
    mine = Q(owner=user)
    group = Q(pk__in=[])
    if is_secretariat_editor(user):
        group = Q(flow_task__in=editor_nodes())
    else:
        country_id = national_editor_country_id(user)
        if country_id is not None:
            group = Q(flow_task__in=editor_nodes(), **{f"{SUBMISSION}__acting_for_country_id": country_id})
    group &= ~Q(**{f"{SUBMISSION}__submitter": user})
    return mine | group


def task_due_date(task, assignments: dict):
    node = task.flow_task
    if node is _flow().review:
        assignment = assignments.get(task.data.get("assignment"))
        return assignment.due_date if assignment else None
    submission = task.process.submissionprocess.submission
    if node is _flow().revise:
        return submission.revision_due
    days = getattr(node, "due_in_days", None)
    return (timezone.localdate(task.created) + datetime.timedelta(days=days)) if days else None


def rows(user, tasks, today) -> list[dict]:
    assignment_ids = [task.data.get("assignment") for task in tasks if task.data.get("assignment")]
    assignments = ReviewAssignment.objects.in_bulk(assignment_ids)
    result = []
    for task in tasks:
        submission = task.process.submissionprocess.submission
        result.append(
            {
                "task": task,
                "subject": submission,
                "state": submission.state,
                "state_label": submission.get_state_display(),
                "title": task.flow_task.task_title,
                "due": task_due_date(task, assignments),
            }
        )
    return result


def return_url(user, task) -> str:
    """After a finished task: its submission if the person may still see it, else the inbox."""
    submission_id = task.process.submissionprocess.submission_id
    if Submission.objects.visible_to(user).filter(pk=submission_id).exists():
        return reverse("workspace:submission", kwargs={"pk": submission_id})
    return reverse("workspace:tasks")


def register_review_inbox() -> None:
    register_inbox(
        InboxSource(
            key="review",
            flow_class=_flow(),
            task_filter=task_filter,
            rows=rows,
            select_related=(f"{SUBMISSION}__page",),
            return_url=return_url,
            messages=TASK_MESSAGES,
            claim=claim_task,
            release=release_task,
            order=10,
        )
    )
