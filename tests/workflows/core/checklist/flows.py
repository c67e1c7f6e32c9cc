"""A second flow on the workflow core, for its tests: a checklist that named people each tick.

Its object is the Viewflow process itself (its ``data`` holds the state and the checkers), so the
flow needs no table of its own. Its policy is registered by the tests that use it.
"""

from django.http import HttpResponse
from django.views import View
from viewflow import this
from viewflow.workflow import flow, lock

from workflows.core import tasks as core_tasks
from workflows.core.nodes import GuardedTask, PerAssigneeSplit
from workflows.core.policy import Policy

OPEN, DONE = "open", "done"
CHECKER, STRANGER = "checker", "stranger"
CHECK, VIEW = "check", "view"


class Checklist:
    """The checklist a process carries: its title, its state and who is asked to tick it."""

    def __init__(self, process):
        self.process = process
        self.title = process.data.get("title", "")
        self.state = process.data.get("state", OPEN)
        self.checker_ids = set(process.data.get("checkers", []))


def checklist_roles(user, checklist):
    return {CHECKER} if user.pk in checklist.checker_ids else set()


POLICY = Policy(
    "checklist",
    states=[OPEN, DONE],
    roles=[CHECKER, STRANGER],
    actions=[CHECK, VIEW],
    matrix={OPEN: {CHECK: {CHECKER}, VIEW: {CHECKER}}, DONE: {VIEW: {CHECKER}}},
    roles_for=checklist_roles,
)


class ChecklistTask(GuardedTask):
    policy = POLICY

    def subject_of(self, task):
        return Checklist(task.process)


def lock_checklist(task):
    return Checklist(type(task.process).objects.select_for_update().get(pk=task.process_id))


class CheckView(View):
    """GET names the task; POST ticks it through the core's task helper."""

    def setup(self, request, *args, task=None, **kwargs):
        super().setup(request, *args, **kwargs)
        self.task = task

    def get(self, request, *args, **kwargs):
        return HttpResponse(f"Tick {Checklist(self.task.process).title}")

    def post(self, request, *args, **kwargs):
        try:
            core_tasks.complete_task(
                ChecklistFlow,
                self.task.pk,
                request.user,
                lambda activation, checklist: None,
                lock_subject=lock_checklist,
            )
        except core_tasks.TransitionError as error:
            return HttpResponse(str(error), status=409)
        return HttpResponse("Ticked")


class ChecklistFlow(flow.Flow):
    """Checklist

    Each named checker ticks the list, in parallel.
    """

    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.checks)
    checks = PerAssigneeSplit(this.one_task_per_checker).Next(this.check)
    check = (
        ChecklistTask(CheckView.as_view(), action=CHECK, due_in_days=3, releasable=True)
        .Annotation(title="Tick the checklist")
        .Assign(this.checker_of)
        .Next(this.all_checked)
    )
    all_checked = flow.Join().Next(this.close)
    close = flow.Function(this.mark_done).Next(this.end)
    end = flow.End()

    def start_process(self, activation, title, checkers):
        activation.process.data = {"title": title, "state": OPEN, "checkers": [user.pk for user in checkers]}
        return activation.process

    def one_task_per_checker(self, activation):
        return [{"checker": pk} for pk in activation.process.data["checkers"]]

    def checker_of(self, activation):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(pk=activation.task.data["checker"])

    def mark_done(self, activation):
        activation.process.data["state"] = DONE
        activation.process.save(update_fields=["data"])


def checklist_rows(user, tasks, today):
    return [
        {
            "task": task,
            "subject": Checklist(task.process),
            "state": Checklist(task.process).state,
            "state_label": Checklist(task.process).state.title(),
            "title": task.flow_task.task_title,
            "due": None,
        }
        for task in tasks
    ]


def checklist_task_filter(user):
    """A checker's own task, and the untaken checks of the lists it is asked to tick."""
    from django.db.models import Q

    return Q(owner=user) | Q(owner__isnull=True, process__data__checkers__contains=[user.pk])


def claim(task_pk, user):
    core_tasks.claim_task(ChecklistFlow, task_pk, user, lock_subject=lock_checklist)


def release(task_pk, user):
    core_tasks.release_task(ChecklistFlow, task_pk, user, lock_subject=lock_checklist)
