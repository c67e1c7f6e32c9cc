"""The evaluation's part of the one inbox: which award tasks a person sees, and how they read.

A member sees its scoring and sign-off tasks, the chair its decision; the secretariat sees the group
tasks of closing the scoring and publishing, which any of its editors may take.
"""

from django.db.models import Q
from django.urls import reverse

from workflows.core.inbox import InboxSource, register_inbox
from workflows.core.people import is_secretariat_editor

from .models import Nomination

COMMITTEE = "process__evaluationprocess__committee"


def _flow():
    from .flows import EvaluationFlow

    return EvaluationFlow


# The date each step is due by: the end of the phase it belongs to (the cycle's timeline). Scoring
# and its closing end the evaluation phase; the decision, its sign-off and the publication the
# decision phase, which the announcement closes.
DUE_BY = {
    "score": "evaluation_deadline",
    "close": "evaluation_deadline",
    "decide": "announcement",
    "sign_off": "announcement",
    "publish": "announcement",
}


def task_due_date(task, cycle):
    """When ``task`` of the evaluation is due, from its cycle's dates (None for a step without one)."""
    field = DUE_BY.get(task.flow_task.name)
    return getattr(cycle, field) if field else None


def secretariat_nodes():
    return [_flow().close, _flow().publish]


def task_filter(user) -> Q:
    mine = Q(owner=user)
    if is_secretariat_editor(user):
        return mine | Q(flow_task__in=secretariat_nodes())
    return mine


def rows(user, tasks, today) -> list[dict]:
    nominations = Nomination.objects.select_related("country", "category").in_bulk(
        [task.data["nomination"] for task in tasks if task.data.get("nomination")]
    )
    result = []
    for task in tasks:
        committee = task.process.evaluationprocess.committee
        subject = nominations.get(task.data.get("nomination")) or committee
        cycle = committee.cycle
        result.append(
            {
                "task": task,
                "subject": subject,
                "state": subject.state,
                "state_label": subject.get_state_display(),
                "title": task.flow_task.task_title,
                "due": task_due_date(task, cycle),
            }
        )
    return result


def return_url(user, task) -> str:
    committee = task.process.evaluationprocess.committee
    return reverse("awards_flow:cycle", kwargs={"cycle_pk": committee.cycle_id})


def claim_task(task_pk, user):
    from .services import claim_task as claim

    claim(task_pk, user)


def release_task(task_pk, user):
    from .services import release_task as release

    release(task_pk, user)


def register_award_inbox() -> None:
    from .services import TASK_MESSAGES

    register_inbox(
        InboxSource(
            key="awards",
            flow_class=_flow(),
            task_filter=task_filter,
            rows=rows,
            select_related=(f"{COMMITTEE}__cycle",),
            return_url=return_url,
            messages=TASK_MESSAGES,
            claim=claim_task,
            release=release_task,
            order=20,
        )
    )
