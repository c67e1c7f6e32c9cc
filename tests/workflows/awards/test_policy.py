"""The cycle's two tables, cell by cell: every role in every state for every action, the denials
included, and people with no role on the object."""

import pytest
from django.contrib.auth.models import AnonymousUser

from workflows.awards import policy as P
from workflows.awards.models import EvaluationState, NominationState

from .conftest import fresh

pytestmark = pytest.mark.django_db


def actors_of_nomination(world):
    """role → a person who holds exactly that role on France's nomination (or on Brazil's, for the
    member excluded by its own country)."""
    return {
        P.NOMINEE: (world.focal["FR"], "FR"),
        P.SECRETARIAT: (world.secretariat, "FR"),
        P.SCORER: (world.members["member-cn"], "FR"),
        P.EXCLUDED: (world.members["member-br"], "BR"),
    }


def test_each_person_holds_exactly_its_role(evaluating):
    for role, (user, code) in actors_of_nomination(evaluating).items():
        assert P.NOMINATION_POLICY.roles_for(fresh(user), evaluating.nominations[code]) == {role}


@pytest.mark.parametrize("state", NominationState.values)
@pytest.mark.parametrize("action", P.NOMINATION_POLICY.actions)
def test_nomination_table_cell_by_cell(evaluating, state, action):
    allowed_roles = P.NOMINATION_POLICY.roles_allowed(state, action)
    for role, (user, code) in actors_of_nomination(evaluating).items():
        nomination = evaluating.nominations[code]
        nomination.state = state
        assert P.NOMINATION_POLICY.allowed(fresh(user), nomination, action) == (role in allowed_roles), (
            role,
            state,
            action,
        )
    nomination = evaluating.nominations["FR"]
    nomination.state = state
    for nobody in (AnonymousUser(), fresh(evaluating.focal["JP"])):
        assert not P.NOMINATION_POLICY.allowed(nobody, nomination, action)


def test_the_excluded_role_is_granted_nothing_and_parties_never_see_scores():
    for state in NominationState.values:
        assert all(P.EXCLUDED not in roles for roles in P.NOMINATION_POLICY.matrix.get(state, {}).values())
        assert P.NOMINEE not in P.NOMINATION_POLICY.roles_allowed(state, P.SEE_SCORES)
        assert P.NOMINEE not in P.NOMINATION_POLICY.roles_allowed(state, P.SCORE)


def test_a_declared_conflict_turns_a_scorer_into_an_excluded_member(evaluating):
    from workflows.awards import services

    services.declare_conflict(fresh(evaluating.members["member-cn"]), evaluating.nominations["FR"], "Former adviser.")
    assert P.NOMINATION_POLICY.roles_for(fresh(evaluating.members["member-cn"]), evaluating.nominations["FR"]) == {
        P.EXCLUDED
    }
    entry = evaluating.committee.history.get(action="conflict")
    assert (entry.comment, entry.details, entry.actor) == (
        "Former adviser.",
        {"nomination": evaluating.nominations["FR"].pk},
        evaluating.members["member-cn"],
    )


def actors_of_committee(world):
    return {
        P.SECRETARIAT: world.secretariat,
        P.MEMBER: world.members["member-cn"],
        P.CHAIR: world.members["chair"],
    }


@pytest.mark.parametrize("state", EvaluationState.values)
@pytest.mark.parametrize("action", P.COMMITTEE_POLICY.actions)
def test_committee_table_cell_by_cell(evaluating, state, action):
    committee = evaluating.committee
    committee.state = state
    allowed_roles = P.COMMITTEE_POLICY.roles_allowed(state, action)
    for role, user in actors_of_committee(evaluating).items():
        held = P.COMMITTEE_POLICY.roles_for(fresh(user), committee)
        assert P.COMMITTEE_POLICY.allowed(fresh(user), committee, action) == bool(held & allowed_roles), (
            role,
            state,
            action,
        )
    chair_only = {P.CHAIR} == set(allowed_roles)
    if chair_only:
        assert not P.COMMITTEE_POLICY.allowed(fresh(evaluating.members["member-cn"]), committee, action)
    for nobody in (AnonymousUser(), fresh(evaluating.focal["FR"])):
        assert not P.COMMITTEE_POLICY.allowed(nobody, committee, action)


def test_the_ranking_is_the_secretariats_alone_while_scoring(evaluating):
    committee = evaluating.committee
    assert P.COMMITTEE_POLICY.allowed(fresh(evaluating.secretariat), committee, P.VIEW_RANKING)
    for user in evaluating.members.values():
        assert not P.COMMITTEE_POLICY.allowed(fresh(user), committee, P.VIEW_RANKING)
