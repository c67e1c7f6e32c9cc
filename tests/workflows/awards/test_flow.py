"""The evaluation as a Viewflow flow on the workflow core: one scoring task per member and nomination it
may assess, in the one inbox beside the review's tasks; conflicts and late acceptances change the
tasks; closing the scoring, the decision, each sign-off and the publication complete their tasks."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from viewflow.workflow import STATUS
from viewflow.workflow.status import PROCESS

from content_types.awards.models import Prize
from tests.workflows.helpers import new_need
from workflows.awards import services
from workflows.awards.flows import EvaluationFlow
from workflows.awards.models import EvaluationProcess, EvaluationState, Nomination
from workflows.core import inbox
from workflows.review import services as review_services

from .conftest import fresh, nominate
from .test_evaluation import full_scoring

pytestmark = pytest.mark.django_db

OPEN = [STATUS.NEW, STATUS.ASSIGNED]


def tasks(node, **filters):
    return EvaluationFlow.task_class.objects.filter(flow_task=node, **filters)


def score_pairs(world):
    """{(member username, country code)} of the open scoring tasks."""
    codes = {nomination.pk: code for code, nomination in world.nominations.items()}
    return {
        (task.owner.username, codes[task.data["nomination"]])
        for task in tasks(EvaluationFlow.score, status__in=OPEN).select_related("owner")
    }


def test_naming_the_committee_opens_a_scoring_task_per_member_and_nomination_it_may_assess(evaluating):
    process = EvaluationProcess.objects.get(committee=evaluating.committee)
    assert process.status == PROCESS.NEW
    assert score_pairs(evaluating) == {
        ("chair", "FR"),
        ("chair", "BR"),
        ("chair", "JP"),
        ("member-br", "FR"),  # never Brazil: its own country
        ("member-br", "JP"),
        ("member-cn", "FR"),
        ("member-cn", "BR"),
        ("member-cn", "JP"),
    }
    close = tasks(EvaluationFlow.close).get()
    assert close.status == STATUS.NEW and close.owner is None  # the secretariat's group task


def test_award_and_review_tasks_share_one_inbox(client, evaluating):
    draft = new_need(evaluating.focal["FR"])
    review_services.submit(draft.pk, evaluating.focal["FR"])
    secretariat = fresh(evaluating.secretariat)
    sources = {row["source"] for row in inbox.inbox_rows(secretariat)}
    assert sources == {"review", "awards"}
    client.force_login(secretariat)
    page = client.get(reverse("workspace:tasks")).content.decode()
    assert "Close the scoring" in page and "Screen the submission" in page

    chair_rows = inbox.inbox_rows(fresh(evaluating.members["chair"]))
    assert [row["title"] for row in chair_rows] == ["Score the nomination"] * 3
    assert {row["subject"].country.code for row in chair_rows} == {"FR", "BR", "JP"}
    # a nominee and an outsider of the committee have no award task
    assert inbox.inbox_rows(fresh(evaluating.focal["JP"])) == []

    # the task page sends the member to where the scoring is done; another member's task is a 404
    task = tasks(EvaluationFlow.score, owner=evaluating.members["chair"]).first()
    client.force_login(evaluating.members["chair"])
    response = client.get(reverse("workspace:task", args=[task.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("awards_flow:nomination", args=[task.data["nomination"]])
    client.force_login(evaluating.members["member-cn"])
    assert client.get(reverse("workspace:task", args=[task.pk])).status_code == 404


def test_submitting_scores_completes_the_members_task_and_a_conflict_cancels_it(evaluating):
    chair = fresh(evaluating.members["chair"])
    for criterion in evaluating.criteria:
        services.save_score(chair, evaluating.nominations["FR"], criterion, 3)
    services.submit_scores(chair, evaluating.nominations["FR"])
    done = tasks(EvaluationFlow.score, owner=chair, data__nomination=evaluating.nominations["FR"].pk).get()
    assert done.status == STATUS.DONE
    services.submit_scores(fresh(chair), evaluating.nominations["FR"])  # again: harmless

    services.declare_conflict(fresh(evaluating.members["member-cn"]), evaluating.nominations["JP"], "Co-author.")
    cancelled = tasks(EvaluationFlow.score, owner=evaluating.members["member-cn"]).get(
        data__nomination=evaluating.nominations["JP"].pk
    )
    assert cancelled.status == STATUS.CANCELED
    with pytest.raises(services.Denied):
        services.submit_scores(fresh(evaluating.members["member-cn"]), evaluating.nominations["JP"])


def test_a_nomination_accepted_during_scoring_gets_its_tasks(world):
    world.nominations = {"FR": nominate(world, "FR")}
    services.check_nomination(world.secretariat, world.nominations["FR"], services.ACCEPT)
    world.committee = services.form_committee(
        world.cycle, list(world.members.values()), world.members["chair"], actor=world.secretariat
    )
    assert len(score_pairs(world)) == 3
    brazil = nominate(world, "BR")
    services.check_nomination(fresh(world.secretariat), brazil, services.ACCEPT)
    world.nominations["BR"] = brazil
    assert score_pairs(world) == {
        ("chair", "FR"),
        ("member-br", "FR"),
        ("member-cn", "FR"),
        ("chair", "BR"),
        ("member-cn", "BR"),
    }
    # the late tasks belong to the same split: closing the scoring cancels them with the others
    services.close_scoring(fresh(world.secretariat), world.committee)
    assert score_pairs(world) == set()
    assert tasks(EvaluationFlow.score, status=STATUS.CANCELED).count() == 5
    assert tasks(EvaluationFlow.decide, status__in=OPEN).get().owner == world.members["chair"]


def test_the_steps_after_scoring_are_tasks_each_completed_once(evaluating):
    full_scoring(evaluating)
    assert not tasks(EvaluationFlow.score, status__in=OPEN).exists()  # every pair submitted
    with pytest.raises(services.Denied):  # a member may not close the scoring
        services.close_scoring(fresh(evaluating.members["chair"]), evaluating.committee)
    services.close_scoring(fresh(evaluating.secretariat), evaluating.committee)
    with pytest.raises(services.Denied):  # nor the secretariat twice: the state moved on
        services.close_scoring(fresh(evaluating.secretariat), evaluating.committee)
    decision = {evaluating.nominations["FR"]: Prize.GOLD}
    services.record_decision(fresh(evaluating.members["chair"]), evaluating.committee, decision, "Content.")
    assert tasks(EvaluationFlow.decide).get().status == STATUS.DONE
    sign_offs = tasks(EvaluationFlow.sign_off, status__in=OPEN)
    assert {task.owner.username for task in sign_offs} == {"chair", "member-br", "member-cn"}

    services.sign_off(fresh(evaluating.members["chair"]), evaluating.committee)
    # the chair revises the decision: whoever signed is asked again
    services.record_decision(
        fresh(evaluating.members["chair"]), evaluating.committee, {evaluating.nominations["JP"]: Prize.GOLD}, "Again."
    )
    assert {task.owner.username for task in tasks(EvaluationFlow.sign_off, status__in=OPEN)} == {
        "chair",
        "member-br",
        "member-cn",
    }
    assert not tasks(EvaluationFlow.publish).exists()
    for name in ("chair", "member-br", "member-cn"):
        services.sign_off(fresh(evaluating.members[name]), evaluating.committee)
    publish = tasks(EvaluationFlow.publish).get()
    assert publish.status == STATUS.NEW
    evaluating.committee.refresh_from_db()
    assert evaluating.committee.state == EvaluationState.SIGNED

    # the secretariat may take the group task; a member may not
    with pytest.raises(Exception) as refused:
        inbox.claim(publish, fresh(evaluating.members["chair"]))
    assert "not yours" in str(refused.value)
    inbox.claim(publish, fresh(evaluating.secretariat))
    services.publish(fresh(evaluating.secretariat), evaluating.committee)
    process = EvaluationProcess.objects.get(committee=evaluating.committee)
    assert process.status == PROCESS.DONE
    assert evaluating.committee.history.filter(action="task-claimed").exists()


def test_a_step_without_its_task_is_refused_with_a_message(evaluating):
    EvaluationFlow.task_class.objects.filter(flow_task=EvaluationFlow.close).update(status=STATUS.CANCELED)
    with pytest.raises(ValidationError) as refused:
        services.close_scoring(fresh(evaluating.secretariat), evaluating.committee)
    assert "no open task" in " ".join(refused.value.messages)
    assert Nomination.objects.filter(cycle=evaluating.cycle).count() == 3


def test_naming_the_committee_anew_restarts_the_evaluation(evaluating):
    first = EvaluationProcess.objects.get(committee=evaluating.committee)
    members = [evaluating.members["chair"], evaluating.members["member-cn"]]
    services.form_committee(evaluating.cycle, members, evaluating.members["chair"], actor=evaluating.secretariat)
    first.refresh_from_db()
    assert first.status == PROCESS.CANCELED
    assert {owner for owner, _code in score_pairs(evaluating)} == {"chair", "member-cn"}


def test_the_inbox_with_award_tasks_stays_flat_from_5_to_50_nominations(client, world):
    from .test_views import count_queries, populate

    world.committee = services.form_committee(world.cycle, list(world.members.values()), world.members["chair"])
    client.force_login(world.members["chair"])
    counts = {}
    for total in (5, 50):
        EvaluationFlow.task_class.objects.filter(flow_task=EvaluationFlow.score).delete()
        Nomination.objects.filter(cycle=world.cycle).delete()
        for nomination in populate(world, total):
            services.open_scoring_tasks(nomination)
        assert tasks(EvaluationFlow.score, owner=world.members["chair"]).count() == total
        counts[total] = count_queries(client, reverse("workspace:tasks"))
    print(f"\ninbox queries with award tasks: 5 nominations {counts[5]}, 50 nominations {counts[50]}")
    assert counts[5] == counts[50]
