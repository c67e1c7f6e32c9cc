"""Flow nodes every flow shares: a human step guarded by the flow's policy, and a split that opens one
task per assignee.

A flow subclasses :class:`GuardedTask` once, naming its policy and how a task finds its object; its
nodes then ask that table as well as Viewflow's own owner checks, so that the flow and the views can
never disagree about who may act.
"""

from viewflow import this
from viewflow.workflow import Activation, flow
from viewflow.workflow.base import Edge
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.token import Token


class GuardedTask(flow.View):
    """A human step that the flow's policy guards: ``action`` must be allowed on the task's object.

    ``due_in_days`` dates the task from its creation (the inbox shows it); ``releasable`` lets the
    person who took a group task give it back.
    """

    policy = None  # the flow's registered Policy

    def __init__(self, view, action, due_in_days=None, releasable=False, **kwargs):
        super().__init__(view, **kwargs)
        self.matrix_action = action
        self.due_in_days = due_in_days
        self.releasable = releasable

    def subject_of(self, task):
        """The object the task acts on (a submission, a nomination); flows say how to reach it."""
        raise NotImplementedError(f"{type(self).__name__} must say how a task finds its object")

    def is_allowed(self, user, task) -> bool:
        if self.policy is None:
            return False  # a node without a table grants nothing
        return self.policy.allowed(user, self.subject_of(task), self.matrix_action)

    def can_assign(self, user, task):
        return super().can_assign(user, task) and self.is_allowed(user, task)

    def can_execute(self, user, task):
        return super().can_execute(user, task) and self.is_allowed(user, task)


class PerAssigneeSplitActivation(SplitActivation):
    """Opens one task of the split's single branch per item, each task carrying its item as data."""

    @Activation.status.super()
    def activate(self):
        items = list(self.flow_task.items_of(self))
        branch_node = self.flow_task.branch_node
        self.next_tasks = [(branch_node, dict(item)) for item in items]
        self.next_tasks += [(node, None) for node in self.flow_task.always_nodes]
        if not self.next_tasks:
            raise FlowRuntimeError(self.flow_task.empty_message(self))


class PerAssigneeSplit(flow.Split):
    """A parallel split into one task per assignee: ``items(activation)`` gives each task's data.

    ``items`` is a callable or a ``this.<method>`` reference of the flow; with nobody to assign, the
    step fails rather than silently skipping the parallel tasks. The first ``Next`` is the per-assignee
    node; further ``Always`` nodes open once each, beside them (a task that closes the parallel work
    early, say), so that an empty list is then allowed. Tasks added later through :meth:`open_more`
    join the same split, and so the same join.
    """

    activation_class = PerAssigneeSplitActivation

    def __init__(self, items, **kwargs):
        super().__init__(**kwargs)
        self._items = items
        self._always = []

    def _resolve(self, instance):
        super()._resolve(instance)
        self._items = this.resolve(instance, self._items)
        self._always = [this.resolve(instance, node) for node in self._always]

    def items_of(self, activation):
        return self._items(activation)

    def Always(self, node):
        self._always.append(node)
        return self

    def _outgoing(self):
        yield from super()._outgoing()
        for node in self._always:
            yield Edge(src=self, dst=node, edge_class="default")

    @property
    def always_nodes(self):
        return list(self._always)

    @property
    def branch_node(self):
        branches = self._branches
        if len(branches) != 1:
            raise FlowRuntimeError(f"{self.name} opens tasks of exactly one node, not {len(branches)}")
        return branches[0][0]

    def open_more(self, process, items) -> list:
        """Open one more task of the branch node per item, in the split this process already ran.

        The new tasks carry tokens of that split, so the join after them waits for them too; the
        caller holds the process lock. Returns the new tasks (none when the split has not run).
        """
        split_task = self.flow_class.task_class.objects.filter(process=process, flow_task=self).order_by("-pk").first()
        if split_task is None:
            return []
        prefix = f"{split_task.token}/{split_task.pk}_"
        used = [
            int(str(token)[len(prefix) :])
            for token in self.flow_class.task_class.objects.filter(
                process=process, token__startswith=prefix
            ).values_list("token", flat=True)
            if str(token)[len(prefix) :].isdigit()
        ]
        number = max(used, default=0)
        split_activation = self.activation_class(split_task)
        created = []
        for item in items:
            number += 1
            activation = self.branch_node._create(
                prev_activation=split_activation, token=Token(f"{prefix}{number}"), data=dict(item)
            )
            if activation.activate.can_proceed():
                activation.activate()
            created.append(activation.task)
        return created

    def empty_message(self, activation) -> str:
        return f"Nobody to assign at {self.name} for process {activation.process.pk}"
