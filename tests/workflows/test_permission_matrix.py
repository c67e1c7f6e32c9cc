"""Every cell of the permission matrix, grants and denials, for real submissions in every state.

For each state and each kind of person, a submission is driven to that state through the flow, and
``allowed()`` must answer exactly what ``MATRIX`` says for every action. The same people then try
the workspace's pages: what they may see answers 200, what they may not see is a 404 (no hint that
it exists), what they see but may not do is a 403; denied POSTs change nothing.
"""

import pytest
from django.urls import reverse

from workflows.permissions import MATRIX, Action, Role, State, allowed, roles_allowed
from workflows.review.flows import SubmissionFlow
from workflows.review.models import Submission

from .helpers import drive, open_task

pytestmark = pytest.mark.django_db

# person (attribute of the ``people`` fixture) -> the role it holds on the submission, if any.
PEOPLE = {
    "submitter": Role.SUBMITTER,
    "reviewer_a": Role.REVIEWER,  # named for round 1; its review is open in IN_REVIEW, sent afterwards
    "editor": Role.EDITOR,
    "national_editor": Role.NATIONAL_EDITOR,  # same country (FR) as the submitter
    "other_national_editor": None,  # Kenya's editor: not its country
    "other_submitter": None,
    "reviewer_c": None,  # a reviewer nobody named
    "outsider": None,  # signed in, no role at all
}


def role_in_state(person: str, state: str):
    role = PEOPLE[person]
    if role == Role.REVIEWER and state in (State.DECISION, State.REVISION):
        return Role.PAST_REVIEWER  # its review is in and the process goes on
    if role == Role.REVIEWER and state != State.IN_REVIEW:
        return None
    return role


@pytest.fixture
def in_state(people, draft):
    def make(state):
        return drive(draft, state, people)

    return make


def test_every_state_and_action_is_in_the_matrix():
    assert set(MATRIX) == set(State.values)
    for actions in MATRIX.values():
        assert set(actions) <= set(Action.values)
        for roles in actions.values():
            assert roles <= set(Role.values)


def _task_for(submission, node):
    return (
        SubmissionFlow.task_class.objects.filter(process__submissionprocess__submission=submission, flow_task=node)
        .order_by("-pk")
        .first()
    )


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("person", PEOPLE)
def test_matrix_cell(state, person, people, in_state, client_for):
    """One state, one person: ``allowed()`` for every action, then the pages and the denied POSTs."""
    submission = in_state(state)
    user = getattr(people, person)
    client = client_for(user)
    role = role_in_state(person, state)

    expected = {action: role is not None and role in roles_allowed(state, action) for action in Action.values}
    actual = {action: allowed(user, Submission.objects.get(pk=submission.pk), action) for action in Action.values}
    assert actual == expected

    def may(action):
        return role is not None and role in roles_allowed(state, action)

    def expected(action):
        if not may(Action.VIEW):
            return 404
        return 200 if may(action) else 403

    pk = submission.pk
    assert client.get(reverse("workspace:submission", args=[pk])).status_code == expected(Action.VIEW)
    assert client.get(reverse("workspace:history", args=[pk])).status_code == expected(Action.VIEW_HISTORY)
    assert client.get(reverse("workspace:edit", args=[pk])).status_code == expected(Action.EDIT)
    assert client.get(reverse("workspace:withdraw", args=[pk])).status_code == expected(Action.WITHDRAW)

    if may(Action.VIEW):
        body = client.get(reverse("workspace:submission", args=[pk])).content.decode()
        admin_link = reverse("wagtailadmin_pages:edit", args=[submission.page_id])
        assert (admin_link in body) == may(Action.OPEN_IN_ADMIN)

    # Denied actions, tried by POST: refused, and the submission has not moved.
    posts = {
        Action.SUBMIT: reverse("workspace:submit", args=[pk]),
        Action.WITHDRAW: reverse("workspace:withdraw", args=[pk]),
        Action.REVISE_LIVE: reverse("workspace:start_revision", args=[pk]),
        Action.EDIT: reverse("workspace:edit", args=[pk]),
    }
    for action, url in posts.items():
        if action == Action.SUBMIT and state == State.REVISION:
            continue  # the same address resubmits in revision: checked below with RESUBMIT
        if not may(action):
            response = client.post(url, {"title": "Hijacked"})
            assert response.status_code in (302, 403, 404)
            current = Submission.objects.get(pk=pk)
            assert current.state == state and Submission.objects.filter(page=submission.page).count() == 1
            assert current.page.specific.get_latest_revision_as_object().title != "Hijacked"
    if state == State.REVISION and not may(Action.RESUBMIT):
        client.post(reverse("workspace:submit", args=[pk]))
        assert Submission.objects.get(pk=pk).state == State.REVISION

    # The task pages of the flow: only the people the matrix names may act on them.
    task_nodes = {
        Action.SCREEN: SubmissionFlow.screen,
        Action.ASSIGN: SubmissionFlow.assign_reviewers,
        Action.DECIDE: SubmissionFlow.decide,
    }
    for action, node in task_nodes.items():
        task = _task_for(submission, node)
        if task is None or task.status not in ("NEW", "ASSIGNED"):
            continue
        response = client.get(reverse("workspace:task", args=[task.pk]))
        if may(action):
            field = 'name="reviewers"' if action == Action.ASSIGN else 'name="outcome"'
            assert response.status_code == 200 and field in response.content.decode()
        else:
            assert response.status_code == 404
            client.post(reverse("workspace:task", args=[task.pk]), {"outcome": "reject", "comment": "No."})
            assert Submission.objects.get(pk=pk).state == state
    if state == State.IN_REVIEW:
        task = open_task(submission, SubmissionFlow.review, owner=people.reviewer_a)
        response = client.post(
            reverse("workspace:task", args=[task.pk]), {"recommendation": "reject", "comments_to_submitter": "x"}
        )
        if may(Action.REVIEW):
            assert response.status_code == 302
        else:
            assert response.status_code == 404
            task.refresh_from_db()
            assert task.status == "ASSIGNED"
