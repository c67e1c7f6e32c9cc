"""One inbox across flows: each flow registers which of its tasks a person sees and how they read.

The inbox asks every registered flow for a filter on Viewflow's task table, reads all the visible
tasks in one query, and hands each flow its own tasks to turn into rows (what the task is about, its
state, its due date). A task of a flow that is not registered is in nobody's inbox.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone
from viewflow.workflow import STATUS

from .tasks import DEFAULT_MESSAGES, TaskMessages, TransitionError, task_closed_message

INBOX_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED]


class InboxConflict(ImproperlyConfigured):
    """Two sources under one key, or one flow registered twice."""


@dataclass(frozen=True)
class InboxSource:
    """What one flow contributes to the inbox.

    - ``task_filter(user)``: a ``Q`` on the task table for the flow's tasks ``user`` holds or may take
      (the core adds the flow, the status and the human-task conditions);
    - ``rows(user, tasks, today)``: one dict per task, with at least ``task``, ``title``, ``subject``
      (an object with a ``title``), ``state``, ``state_label`` and ``due``;
    - ``select_related``: the relations ``rows`` reads, joined in the one inbox query;
    - ``return_url(user, task)``: where to send a person after a finished task (None: the inbox);
    - ``messages``: the flow's wording of the task messages (see ``workflows.core.tasks``);
    - ``claim(task_pk, user)`` / ``release(task_pk, user)``: the flow's way to take and give back a
      group task (its lock, its audit row); a flow without them has no group tasks to take.
    """

    key: str
    flow_class: type
    task_filter: Callable
    rows: Callable
    select_related: tuple = ()
    return_url: Callable | None = None
    messages: TaskMessages = DEFAULT_MESSAGES
    claim: Callable | None = None
    release: Callable | None = None
    order: int = field(default=100)


_sources: dict[str, InboxSource] = {}


def register_inbox(source: InboxSource) -> InboxSource:
    existing = _sources.get(source.key)
    if existing is not None and existing != source:
        raise InboxConflict(f"An inbox source named {source.key!r} is already registered")
    for other in _sources.values():
        if other.key != source.key and other.flow_class is source.flow_class:
            raise InboxConflict(f"{source.flow_class.__name__} already feeds the inbox as {other.key!r}")
    _sources[source.key] = source
    return source


def unregister_inbox(key: str) -> None:
    _sources.pop(key, None)


def sources() -> list[InboxSource]:
    return sorted(_sources.values(), key=lambda source: (source.order, source.key))


def source_for(task) -> InboxSource | None:
    flow_class = task.flow_task.flow_class
    for source in _sources.values():
        if source.flow_class is flow_class:
            return source
    return None


def _task_model():
    from viewflow.workflow.models import Task

    return Task


def visible_tasks(user, active_only=True):
    """Every registered flow's human tasks that ``user`` holds or may take, as one queryset."""
    Task = _task_model()
    if user is None or not user.is_authenticated or not user.is_active:
        return Task.objects.none()
    allowed = Q(pk__in=[])
    for source in sources():
        allowed |= Q(process__flow_class=source.flow_class) & source.task_filter(user)
    tasks = Task.objects.filter(flow_task_type="HUMAN").filter(allowed)
    if active_only:
        tasks = tasks.filter(status__in=INBOX_TASK_STATUSES)
    return tasks


def inbox_rows(user, today=None) -> list[dict]:
    """The rows of the person's inbox, oldest task first, whichever flow each task belongs to."""
    today = today or timezone.localdate()
    related = {"owner", "process"}
    for source in sources():
        related.update(source.select_related)
    tasks = list(visible_tasks(user).select_related(*sorted(related)).order_by("created", "pk"))
    by_source: dict[str, list] = {}
    for task in tasks:
        source = source_for(task)
        if source is not None:
            by_source.setdefault(source.key, []).append(task)
    rows = []
    for source in sources():
        for row in source.rows(user, by_source.get(source.key, []), today):
            row.setdefault("source", source.key)
            row["overdue"] = bool(row.get("due") and row["due"] < today)
            rows.append(row)
    position = {task.pk: index for index, task in enumerate(tasks)}
    rows.sort(key=lambda row: position.get(row["task"].pk, len(position)))
    return rows


def split_by_owner(user, rows) -> tuple[list[dict], list[dict]]:
    """The person's own tasks, and its group's tasks (unassigned, or held by a colleague)."""
    mine = [row for row in rows if row["task"].owner_id == user.pk]
    group = [row for row in rows if row["task"].owner_id != user.pk]
    return mine, group


def return_url(user, task) -> str | None:
    source = source_for(task)
    if source is None or source.return_url is None:
        return None
    return source.return_url(user, task)


def closed_message(task) -> str:
    """Why a task can no longer be opened, in its flow's words."""
    source = source_for(task)
    return task_closed_message(task, source.messages if source is not None else DEFAULT_MESSAGES)


def claim(task, user) -> None:
    """Take a group task through its own flow; TransitionError when it cannot be taken."""
    source = source_for(task)
    if source is None or source.claim is None:
        raise TransitionError(str(DEFAULT_MESSAGES.not_yours))
    source.claim(task.pk, user)


def release(task, user) -> None:
    """Give a taken task back through its own flow; TransitionError when it cannot be released."""
    source = source_for(task)
    if source is None or source.release is None:
        raise TransitionError(str(DEFAULT_MESSAGES.not_releasable))
    source.release(task.pk, user)
