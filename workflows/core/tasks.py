"""Taking, giving back, completing and cancelling a flow's human tasks, the same way in every flow.

Each helper locks the process row (``select_for_update``) before it reads anything, so that of two
people acting at once one does the step and the other is told why not. A flow passes how to lock its
object and, where it wants its own wording, the messages people read.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow import STATUS
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import PROCESS

ACTIVE_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


class TransitionError(Exception):
    """A transition that cannot happen now; its message is shown to the person who tried."""


@dataclass(frozen=True)
class TaskMessages:
    """What people read when a task cannot be done; a flow may word them for its own objects."""

    busy: str | Promise = _("Someone is acting on this right now; try again in a moment.")
    not_yours: str | Promise = _("This task is not yours to do.")
    someone_elses: str | Promise = _("This task is assigned to someone else.")
    not_now: str | Promise = _("This step cannot be taken now.")
    done: str | Promise = _("This task is already done; nothing more is needed from you.")
    cancelled: str | Promise = _("This task was closed.")
    taken: str | Promise = _("Someone already took this task.")
    not_releasable: str | Promise = _("This task cannot be released.")
    not_yours_to_release: str | Promise = _("This task is not yours to release.")


DEFAULT_MESSAGES = TaskMessages()


def task_closed_message(task, messages: TaskMessages = DEFAULT_MESSAGES) -> str:
    return str(messages.cancelled if task.status == STATUS.CANCELED else messages.done)


def complete_task(flow_class, task_pk, user, perform, *, lock_subject, messages: TaskMessages = DEFAULT_MESSAGES):
    """Run ``perform(activation, subject)`` as ``user``'s completion of a task, exactly once.

    ``lock_subject(task)`` locks and returns the task's object inside the process lock; the node's
    guards (its policy, its owner) are asked again there.
    """
    task = flow_class.task_class.objects.select_related("process").get(pk=task_pk)
    try:
        with flow_class.lock(task.process_id):
            task.refresh_from_db()
            node = task.flow_task
            if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
                raise TransitionError(task_closed_message(task, messages))
            subject = lock_subject(task)
            activation = node.activation_class(task)
            if task.status == STATUS.NEW:
                if not node.can_assign(user, task):
                    raise TransitionError(str(messages.not_yours))
                activation.assign(user)
            if not node.can_execute(user, task):
                raise TransitionError(str(messages.someone_elses))
            activation.start(None)
            result = perform(activation, subject)
            activation.execute()
            return result
    except FlowLockFailed as error:
        raise TransitionError(str(messages.busy)) from error
    except TransitionNotAllowed as error:
        raise TransitionError(str(messages.not_now)) from error


def claim_task(flow_class, task_pk, user, *, lock_subject, on_claimed=None, messages=DEFAULT_MESSAGES) -> None:
    """Take an unassigned group task so that colleagues see who handles it.

    ``on_claimed(subject, user, node)`` records it (an audit row) inside the same lock.
    """
    task = flow_class.task_class.objects.get(pk=task_pk)
    try:
        with flow_class.lock(task.process_id):
            task.refresh_from_db()
            if task.status != STATUS.NEW or task.owner_id:
                raise TransitionError(str(messages.taken))
            if not task.flow_task.can_assign(user, task):
                raise TransitionError(str(messages.not_yours))
            task.flow_task.activation_class(task).assign(user)
            subject = lock_subject(task)
            if on_claimed is not None:
                on_claimed(subject, user, task.flow_task)
    except FlowLockFailed as error:
        raise TransitionError(str(messages.busy)) from error


def release_task(flow_class, task_pk, user, *, lock_subject, on_released=None, messages=DEFAULT_MESSAGES) -> None:
    """Give a taken group task back (its holder, or a manager of the flow); only releasable nodes."""
    task = flow_class.task_class.objects.get(pk=task_pk)
    try:
        with flow_class.lock(task.process_id):
            task.refresh_from_db()
            node = task.flow_task
            if task.status != STATUS.ASSIGNED or not getattr(node, "releasable", False):
                raise TransitionError(str(messages.not_releasable))
            if not node.can_unassign(user, task):
                raise TransitionError(str(messages.not_yours_to_release))
            node.activation_class(task).unassign()
            subject = lock_subject(task)
            if on_released is not None:
                on_released(subject, user, node)
    except FlowLockFailed as error:
        raise TransitionError(str(messages.busy)) from error


def cancel_process(process) -> None:
    """Cancel every open task of ``process`` and close it (inside the caller's lock)."""
    now = timezone.now()
    for task in process.task_set.filter(status__in=ACTIVE_TASK_STATUSES):
        activation = task.flow_task.activation_class(task)
        cancel = getattr(activation, "cancel", None)
        if cancel is not None and cancel.can_proceed():
            cancel()
        else:
            task.status = STATUS.CANCELED
            task.finished = now
            task.save(update_fields=["status", "finished"])
    process.status = PROCESS.CANCELED
    process.finished = now
    process.save(update_fields=["status", "finished"])
