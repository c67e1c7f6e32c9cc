"""The core's role × state × action policies: deny by default, exact grants, one table per name and model."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from workflows.core import policy as core_policy
from workflows.core.policy import Policy, PolicyConflict, get_policy, policy_for, register_policy

pytestmark = pytest.mark.django_db


class Ticket:
    def __init__(self, state, owner_id=None):
        self.state = state
        self.owner_id = owner_id


def owner_roles(user, ticket):
    return {"owner"} if user.pk == ticket.owner_id else set()


def ticket_policy(name="tickets", model=None, **overrides):
    options = {
        "states": ["open", "closed"],
        "roles": ["owner", "auditor"],
        "actions": ["edit", "read"],
        "matrix": {"open": {"edit": {"owner"}, "read": {"owner", "auditor"}}, "closed": {"read": {"auditor"}}},
        "roles_for": owner_roles,
        "model": model,
    }
    options.update(overrides)
    return Policy(name, **options)


@pytest.fixture
def registry():
    """The registry as the project left it, restored after the test whatever it registered."""
    saved = dict(core_policy._policies)
    yield
    core_policy._policies.clear()
    core_policy._policies.update(saved)


def test_grants_exactly_the_table_and_nothing_else(make_user):
    owner, other = make_user("ticket-owner"), make_user("ticket-other")
    policy = ticket_policy()
    ticket = Ticket("open", owner_id=owner.pk)
    assert policy.allowed(owner, ticket, "edit") and policy.allowed(owner, ticket, "read")
    assert policy.allowed_actions(owner, ticket) == {"edit", "read"}
    assert not policy.allowed(other, ticket, "read")  # no role: nothing
    assert policy.allowed_actions(other, ticket) == set()
    closed = Ticket("closed", owner_id=owner.pk)
    assert not policy.allowed(owner, closed, "edit")  # the owner's grants end with the state
    assert not policy.allowed(owner, closed, "read")  # "read" is the auditor's only, when closed
    assert policy.states_where("auditor", "read") == ["open", "closed"]
    assert policy.states_where("owner", "edit") == ["open"]


def test_unknown_states_actions_and_people_are_denied(make_user):
    owner = make_user("ticket-owner")
    policy = ticket_policy()
    assert not policy.allowed(owner, Ticket("archived", owner_id=owner.pk), "read")  # a state not in the table
    assert not policy.allowed(owner, Ticket("open", owner_id=owner.pk), "delete")  # an action not in the table
    assert policy.roles_allowed("open", "delete") == frozenset()
    assert policy.roles_for(AnonymousUser(), Ticket("open")) == frozenset()
    assert policy.roles_for(None, Ticket("open")) == frozenset()
    owner.is_active = False
    assert not policy.allowed(owner, Ticket("open", owner_id=owner.pk), "read")  # a deactivated account


@pytest.mark.parametrize(
    "matrix, mistake",
    [
        ({"archived": {"read": {"owner"}}}, "unknown state"),
        ({"open": {"delete": {"owner"}}}, "unknown action"),
        ({"open": {"read": {"janitor"}}}, "unknown role"),
    ],
)
def test_a_table_naming_what_its_flow_does_not_have_is_refused(matrix, mistake):
    with pytest.raises(ImproperlyConfigured, match=mistake):
        ticket_policy(matrix=matrix)


def test_one_table_per_name(registry):
    first = register_policy(ticket_policy())
    assert register_policy(first) is first  # the same table again: harmless (a reloaded module)
    with pytest.raises(PolicyConflict, match="tickets"):
        register_policy(ticket_policy())
    assert get_policy("tickets") is first
    with pytest.raises(LookupError):
        get_policy("no-such-flow")


def test_one_table_per_kind_of_object(registry):
    from workflows.review.models import Submission

    with pytest.raises(PolicyConflict, match="review.Submission"):
        register_policy(ticket_policy(name="other-submissions", model=Submission))
    with pytest.raises(PolicyConflict):
        register_policy(ticket_policy(name="other-submissions", model="review.Submission"))
    assert "other-submissions" not in {policy.name for policy in core_policy.registered_policies()}


def test_the_review_is_a_client_of_the_core(people, draft):
    """The review's table is registered under its name and model, and the old module path answers the same."""
    from workflows import permissions
    from workflows.review import policy as review_policy

    assert get_policy("review") is review_policy.POLICY
    assert policy_for(draft) is review_policy.POLICY
    assert permissions.allowed == review_policy.POLICY.allowed  # the same bound method
    assert review_policy.allowed(people.submitter, draft, review_policy.Action.EDIT)
    assert not review_policy.allowed(people.outsider, draft, review_policy.Action.VIEW)
    with pytest.raises(LookupError):
        policy_for(people.submitter)  # nothing governs users
