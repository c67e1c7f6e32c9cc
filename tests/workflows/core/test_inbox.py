"""One inbox across flows: the review and a second flow (a checklist) feed the same inbox and task pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow import STATUS

from workflows.core import inbox
from workflows.core import tasks as core_tasks
from workflows.core.inbox import InboxConflict, InboxSource, register_inbox
from workflows.core.policy import register_policy, unregister_policy
from workflows.permissions import State

from ..helpers import drive
from .checklist import flows as checklist
from .checklist.flows import POLICY, ChecklistFlow, checklist_rows, checklist_task_filter, lock_checklist

pytestmark = pytest.mark.django_db

SOURCE = InboxSource(
    key="checklist",
    flow_class=ChecklistFlow,
    task_filter=checklist_task_filter,
    rows=checklist_rows,
    claim=checklist.claim,
    release=checklist.release,
    order=20,
)


@pytest.fixture
def checklist_flow():
    """The second flow's table and inbox source, registered for the test only."""
    register_policy(POLICY)
    register_inbox(SOURCE)
    yield ChecklistFlow
    inbox.unregister_inbox(SOURCE.key)
    unregister_policy(POLICY.name)


def start_checklist(title, checkers):
    return ChecklistFlow.start.run(title=title, checkers=checkers)


def check_tasks(process):
    return ChecklistFlow.task_class.objects.filter(process=process, flow_task=ChecklistFlow.check).order_by("pk")


def test_the_inbox_lists_the_tasks_of_both_flows(people, draft, client_for, checklist_flow):
    drive(draft, State.SCREENING, people)  # the editor's group task: screening
    start_checklist("Fire drill", [people.editor, people.reviewer_a])

    rows = inbox.inbox_rows(people.editor)
    assert {row["source"] for row in rows} == {"review", "checklist"}
    mine, group = inbox.split_by_owner(people.editor, rows)
    assert [str(row["title"]) for row in mine] == ["Tick the checklist"]  # assigned to it by the split
    assert [str(row["title"]) for row in group] == ["Screen the submission"]

    body = client_for(people.editor).get(reverse("workspace:tasks")).content.decode()
    assert "Tick the checklist" in body and "Fire drill" in body
    assert "Screen the submission" in body and draft.title in body


def test_each_flow_decides_who_sees_its_tasks(people, draft, client_for, checklist_flow):
    drive(draft, State.SCREENING, people)
    process = start_checklist("Fire drill", [people.reviewer_a])
    task = check_tasks(process).get()

    assert list(inbox.visible_tasks(people.reviewer_a)) == [task]  # a reviewer sees no screening task
    assert task not in inbox.visible_tasks(people.editor)  # nor does the editor see another's checklist
    assert not inbox.visible_tasks(people.outsider).exists()
    response = client_for(people.editor).get(reverse("workspace:task", kwargs={"task_pk": task.pk}))
    assert response.status_code == 404  # someone else's task: no hint that it exists
    response = client_for(people.reviewer_a).get(reverse("workspace:task", kwargs={"task_pk": task.pk}))
    assert response.status_code == 200 and "Tick Fire drill" in response.content.decode()


def test_an_unregistered_flow_feeds_nobody(people, checklist_flow):
    process = start_checklist("Fire drill", [people.reviewer_a])
    assert inbox.visible_tasks(people.reviewer_a).count() == 1
    inbox.unregister_inbox(SOURCE.key)
    assert not inbox.visible_tasks(people.reviewer_a).exists()
    assert check_tasks(process).count() == 1  # the task is still there, only not in an inbox


def test_the_inbox_reads_both_flows_in_a_fixed_number_of_queries(people, client_for, checklist_flow):
    def queries():
        client = client_for(people.reviewer_a)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("workspace:tasks")).status_code == 200
        return len(captured)

    start_checklist("One", [people.reviewer_a])
    queries()  # the first request fills the shared caches of the page frame
    few = queries()
    for title in ("Two", "Three", "Four", "Five"):
        start_checklist(title, [people.reviewer_a])
    assert queries() == few
    assert len(inbox.inbox_rows(people.reviewer_a)) == 5


def test_the_core_task_helpers_run_the_second_flow(people, client_for, checklist_flow):
    """Completing with the core's helper: guarded by the flow's policy, done once, the flow moves on."""
    process = start_checklist("Fire drill", [people.reviewer_a, people.reviewer_b])
    task_a, task_b = check_tasks(process)

    with pytest.raises(core_tasks.TransitionError, match="assigned to someone else"):
        core_tasks.complete_task(
            ChecklistFlow, task_a.pk, people.reviewer_b, lambda a, s: None, lock_subject=lock_checklist
        )
    response = client_for(people.reviewer_a).post(reverse("workspace:task", kwargs={"task_pk": task_a.pk}))
    assert response.status_code == 200 and response.content == b"Ticked"
    with pytest.raises(core_tasks.TransitionError, match="already done"):
        core_tasks.complete_task(
            ChecklistFlow, task_a.pk, people.reviewer_a, lambda a, s: None, lock_subject=lock_checklist
        )

    client_for(people.reviewer_b).post(reverse("workspace:task", kwargs={"task_pk": task_b.pk}))
    process.refresh_from_db()
    assert process.status == STATUS.DONE and process.data["state"] == "done"


def test_a_task_the_policy_denies_cannot_be_taken_even_when_assigned(people, checklist_flow):
    """Viewflow's owner check is not enough: the flow's policy must allow the action too."""
    process = start_checklist("Fire drill", [people.reviewer_a])
    task = check_tasks(process).get()
    process.data["checkers"] = []  # reviewer_a is no longer asked: it holds no role on the checklist
    process.save(update_fields=["data"])
    task.refresh_from_db()
    assert not ChecklistFlow.check.can_execute(people.reviewer_a, task)
    with pytest.raises(core_tasks.TransitionError):
        core_tasks.complete_task(
            ChecklistFlow, task.pk, people.reviewer_a, lambda a, s: None, lock_subject=lock_checklist
        )
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED


def test_release_and_claim_through_the_core(people, checklist_flow):
    process = start_checklist("Fire drill", [people.reviewer_a])
    task = check_tasks(process).get()
    released, claimed = [], []
    with pytest.raises(core_tasks.TransitionError, match="not yours to release"):
        core_tasks.release_task(ChecklistFlow, task.pk, people.reviewer_b, lock_subject=lock_checklist)
    core_tasks.release_task(
        ChecklistFlow,
        task.pk,
        people.reviewer_a,
        lock_subject=lock_checklist,
        on_released=lambda *args: released.append(args),
    )
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner_id is None and len(released) == 1
    with pytest.raises(core_tasks.TransitionError, match="not yours to do"):
        core_tasks.claim_task(ChecklistFlow, task.pk, people.reviewer_b, lock_subject=lock_checklist)
    core_tasks.claim_task(
        ChecklistFlow,
        task.pk,
        people.reviewer_a,
        lock_subject=lock_checklist,
        on_claimed=lambda *args: claimed.append(args),
    )
    task.refresh_from_db()
    assert task.owner_id == people.reviewer_a.pk and len(claimed) == 1
    with pytest.raises(core_tasks.TransitionError, match="already took"):
        core_tasks.claim_task(ChecklistFlow, task.pk, people.reviewer_a, lock_subject=lock_checklist)


def test_cancelling_a_process_closes_its_tasks(people, client_for, checklist_flow):
    process = start_checklist("Fire drill", [people.reviewer_a, people.reviewer_b])
    task = check_tasks(process).first()
    with ChecklistFlow.lock(process.pk):
        core_tasks.cancel_process(process)
    assert set(check_tasks(process).values_list("status", flat=True)) == {STATUS.CANCELED}
    assert not inbox.visible_tasks(people.reviewer_a).exists()
    response = client_for(people.reviewer_a).get(reverse("workspace:task", kwargs={"task_pk": task.pk}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("workspace:tasks")  # the checklist names no page to return to
    body = response.content.decode()
    assert "This task was closed." in body and "withdrew" not in body  # the core's wording, not the review's


def test_the_split_refuses_to_open_no_task(people, checklist_flow):
    from viewflow.workflow.exceptions import FlowRuntimeError

    with pytest.raises(FlowRuntimeError, match="Nobody to assign"):
        start_checklist("Empty", [])


def test_one_source_per_key_and_per_flow(checklist_flow):
    from workflows.review.flows import SubmissionFlow

    assert register_inbox(SOURCE) is SOURCE  # the same source again: harmless
    with pytest.raises(InboxConflict, match="checklist"):
        register_inbox(
            InboxSource(
                key="checklist", flow_class=SubmissionFlow, task_filter=checklist_task_filter, rows=checklist_rows
            )
        )
    with pytest.raises(InboxConflict, match="SubmissionFlow"):
        register_inbox(
            InboxSource(
                key="review-again", flow_class=SubmissionFlow, task_filter=checklist_task_filter, rows=checklist_rows
            )
        )


def test_the_inbox_pages_take_and_give_back_through_the_tasks_own_flow(people, client_for, checklist_flow):
    process = start_checklist("Fire drill", [people.reviewer_a, people.reviewer_b])
    task = check_tasks(process).first()  # reviewer_a's
    release_url = reverse("workspace:task_release", args=[task.pk])
    claim_url = reverse("workspace:task_claim", args=[task.pk])

    assert client_for(people.outsider).post(release_url).status_code == 404  # not among its tasks
    assert client_for(people.reviewer_b).post(release_url).status_code == 404  # b sees it once it is back
    task.refresh_from_db()
    assert task.owner_id == people.reviewer_a.pk

    client_for(people.reviewer_a).post(release_url)
    task.refresh_from_db()
    assert task.owner_id is None and task.status == STATUS.NEW
    _, group = inbox.split_by_owner(people.reviewer_b, inbox.inbox_rows(people.reviewer_b))
    assert [row["task"] for row in group] == [task]

    assert client_for(people.outsider).post(claim_url).status_code == 404
    response = client_for(people.reviewer_b).post(claim_url)
    assert response.status_code == 302 and response.url == reverse("workspace:task", kwargs={"task_pk": task.pk})
    task.refresh_from_db()
    assert task.owner_id == people.reviewer_b.pk


def test_a_flow_without_group_tasks_cannot_have_them_taken(people, checklist_flow):
    inbox.unregister_inbox(SOURCE.key)
    register_inbox(
        InboxSource(key="checklist", flow_class=ChecklistFlow, task_filter=checklist_task_filter, rows=checklist_rows)
    )
    process = start_checklist("Fire drill", [people.reviewer_a])
    task = check_tasks(process).get()
    with pytest.raises(core_tasks.TransitionError):
        inbox.release(task, people.reviewer_a)
    with pytest.raises(core_tasks.TransitionError):
        inbox.claim(task, people.reviewer_a)
    task.refresh_from_db()
    assert task.owner_id == people.reviewer_a.pk
