"""Scoring with hidden scores, audited score changes, the ranking with ties and disagreements, the
decision with its sign-off, and the publication that fills the public results."""

import pytest
from django.core.exceptions import ValidationError

from content_types.awards.models import AwardResult, Prize
from workflows.awards import services
from workflows.awards.models import EvaluationState, Score
from workflows.awards.ranking import evaluation
from workflows.notifications.models import Notification

from .conftest import fresh

pytestmark = pytest.mark.django_db


def score_all(world, member, code, values, submit=True):
    """``values``: one score per criterion of the cycle, in order."""
    user = fresh(world.members[member])
    for criterion, value in zip(world.criteria, values, strict=True):
        services.save_score(user, world.nominations[code], criterion, value, f"{member} on {criterion.name}")
    if submit:
        services.submit_scores(user, world.nominations[code])


def test_members_are_assigned_everything_but_their_own_country(evaluating):
    assigned = {
        name: sorted(n.country.code for n in services.assignable_nominations(user, evaluating.cycle))
        for name, user in evaluating.members.items()
    }
    assert assigned == {"chair": ["BR", "FR", "JP"], "member-br": ["FR", "JP"], "member-cn": ["BR", "FR", "JP"]}
    with pytest.raises(services.Denied):
        services.save_score(
            fresh(evaluating.members["member-br"]), evaluating.nominations["BR"], evaluating.criteria[0], 3
        )


def test_a_conflict_removes_the_nomination_from_the_members_work(evaluating):
    services.declare_conflict(fresh(evaluating.members["member-cn"]), evaluating.nominations["JP"], "Co-author.")
    assert "JP" not in {
        n.country.code for n in services.assignable_nominations(evaluating.members["member-cn"], evaluating.cycle)
    }
    with pytest.raises(services.Denied):
        services.save_score(
            fresh(evaluating.members["member-cn"]), evaluating.nominations["JP"], evaluating.criteria[0], 3
        )


def test_other_members_scores_are_hidden_until_ones_own_are_submitted(evaluating):
    score_all(evaluating, "chair", "FR", [4, 3, 5])
    cn = fresh(evaluating.members["member-cn"])
    assert list(services.visible_scores(cn, evaluating.nominations["FR"])) == []
    score_all(evaluating, "member-cn", "FR", [2, 3, 1], submit=False)
    seen = services.visible_scores(fresh(cn), evaluating.nominations["FR"])
    assert {score.member.user.username for score in seen} == {"member-cn"}
    with pytest.raises(ValidationError):
        services.submit_scores(fresh(evaluating.members["member-br"]), evaluating.nominations["FR"])  # nothing scored
    services.submit_scores(fresh(cn), evaluating.nominations["FR"])
    seen = services.visible_scores(fresh(cn), evaluating.nominations["FR"])
    assert {score.member.user.username for score in seen} == {"member-cn", "chair"}
    # the nominating Party and a member excluded by its country see none, the secretariat all
    assert list(services.visible_scores(fresh(evaluating.focal["FR"]), evaluating.nominations["FR"])) == []
    assert services.visible_scores(fresh(evaluating.secretariat), evaluating.nominations["FR"]).count() == 6
    assert list(services.visible_scores(fresh(evaluating.members["member-br"]), evaluating.nominations["BR"])) == []


def test_every_score_change_is_audited_with_old_and_new_value(evaluating):
    chair = fresh(evaluating.members["chair"])
    criterion = evaluating.criteria[0]
    services.save_score(chair, evaluating.nominations["FR"], criterion, 2, "thin")
    services.save_score(chair, evaluating.nominations["FR"], criterion, 2, "thin")  # no change, no row
    services.save_score(chair, evaluating.nominations["FR"], criterion, 4, "rich after all")
    entries = list(evaluating.committee.history.filter(action="score"))
    assert [(entry.details["old"], entry.details["new"]) for entry in entries] == [(None, 2), (2, 4)]
    assert entries[1].details["old_comment"] == "thin"
    assert entries[1].actor == evaluating.members["chair"]
    with pytest.raises(ValidationError):
        services.save_score(chair, evaluating.nominations["FR"], criterion, 9)
    assert Score.objects.get(member__user=chair, criterion=criterion).value == 4


def full_scoring(world):
    """Content (×2), usability (×1), visit (independent). FR and JP tie at 11; BR is disputed."""
    score_all(world, "chair", "FR", [4, 3, 4])
    score_all(world, "member-cn", "FR", [4, 3, 2])
    score_all(world, "member-br", "FR", [4, 3, 3])
    score_all(world, "chair", "JP", [5, 1, 2])
    score_all(world, "member-cn", "JP", [3, 5, 2])
    score_all(world, "member-br", "JP", [4, 3, 2])
    score_all(world, "chair", "BR", [5, 5, 4])
    score_all(world, "member-cn", "BR", [0, 0, 4])


def test_the_ranking_flags_the_tie_and_the_disagreement(evaluating):
    full_scoring(evaluating)
    view = evaluation(evaluating.cycle)
    rows = {row.nomination.country.code: row for row in view.rows}
    assert (rows["FR"].total, rows["JP"].total, rows["BR"].total) == (11, 11, 7.5)
    assert (rows["FR"].rank, rows["JP"].rank, rows["BR"].rank) == (1, 1, 3)
    assert rows["FR"].tied and rows["JP"].tied and not rows["BR"].tied
    assert rows["BR"].flagged and not rows["FR"].flagged
    assert rows["FR"].result.criteria[evaluating.criteria[2].pk].summary.mean == 3  # independent: not in the total
    assert (rows["BR"].result.received, rows["BR"].result.expected) == (4, 4)  # Brazil's member is not expected
    assert rows["FR"].normalised.total is not None


def decide(world):
    services.close_scoring(fresh(world.secretariat), world.committee)
    return services.record_decision(
        fresh(world.members["chair"]),
        world.committee,
        {world.nominations["FR"]: Prize.GOLD, world.nominations["JP"]: Prize.SILVER},
        "Content made the difference.",
        {world.nominations["FR"].pk: "Outstanding content.", world.nominations["JP"].pk: "Clear navigation."},
    )


def test_the_decision_needs_every_non_conflicted_members_sign_off_before_publication(evaluating):
    full_scoring(evaluating)
    services.declare_conflict(fresh(evaluating.members["member-br"]), evaluating.nominations["JP"], "Advised Japan.")
    with pytest.raises(services.Denied):  # the chair decides only once scoring is closed
        services.record_decision(fresh(evaluating.members["chair"]), evaluating.committee, {}, "Too early.")
    committee = decide(evaluating)
    assert committee.state == EvaluationState.SIGN_OFF
    assert {n.recipient.username for n in Notification.objects.filter(event="award_sign_off_needed")} == {
        "chair",
        "member-cn",
    }
    with pytest.raises(services.Denied):
        services.publish(fresh(evaluating.secretariat), committee)
    with pytest.raises(services.Denied):  # conflicted: not asked to sign
        services.sign_off(fresh(evaluating.members["member-br"]), committee)
    with pytest.raises(services.Denied):
        services.record_decision(fresh(evaluating.members["member-cn"]), committee, {}, "Not the chair.")
    committee = services.sign_off(fresh(evaluating.members["chair"]), committee)
    assert committee.state == EvaluationState.SIGN_OFF
    committee = services.sign_off(fresh(evaluating.members["member-cn"]), committee)
    committee.refresh_from_db()
    assert committee.state == EvaluationState.SIGNED
    assert not AwardResult.objects.filter(cycle=evaluating.cycle, is_published=True).exists()
    with pytest.raises(services.Denied):
        services.publish(fresh(evaluating.members["chair"]), committee)

    result = services.publish(fresh(evaluating.secretariat), committee)

    assert result.is_published
    entries = {entry.country.code: entry for entry in result.entries.all()}
    assert (entries["FR"].prize, entries["JP"].prize, entries["BR"].prize) == ("gold", "silver", "")
    assert (entries["FR"].rank, entries["BR"].rank) == (1, 3)
    assert float(entries["FR"].total) == 11
    assert entries["FR"].scores.count() == 3
    assert [(m.name, m.is_chair) for m in result.jury.all()][0][1] is True
    feedback = Notification.objects.filter(event="award_feedback")
    assert {(n.recipient.username, n.extra.get("prize"), n.extra.get("feedback")) for n in feedback} == {
        ("focal-fr", "Gold", "Outstanding content."),
        ("focal-jp", "Silver", "Clear navigation."),
        ("focal-br", None, None),
    }
    assert committee.history.filter(action="publish").exists()


def test_a_decision_cannot_exceed_the_categorys_prizes(evaluating):
    services.close_scoring(fresh(evaluating.secretariat), evaluating.committee)
    with pytest.raises(ValidationError):
        services.record_decision(
            fresh(evaluating.members["chair"]),
            evaluating.committee,
            {evaluating.nominations["FR"]: Prize.GOLD, evaluating.nominations["JP"]: Prize.GOLD},
            "Two golds.",
        )


def test_a_committee_without_a_region_is_warned_about(evaluating):
    missing = services.missing_regions(evaluating.committee)
    names = {str(region) for region in missing}
    assert {"Africa", "Oceania"} <= names  # Norway, Brazil and China: Europe, the Americas and Asia
    assert not names & {"Europe", "Asia", "Americas"}
