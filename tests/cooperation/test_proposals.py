"""Proposals: who may propose, see, answer and withdraw (denials too, also by changing ids in the
addresses), notifications to both sides, the audit trail, and the link made when both accept."""

import pytest
from django.urls import reverse

from content_types.records.models import NeedPage
from cooperation.models import MatchAuditEntry, MatchProposal, ProposalState
from workflows.notifications.models import Notification

pytestmark = pytest.mark.django_db


def client_for(client, user):
    client.force_login(user)
    return client


def propose(client, need, candidate, **extra):
    return client.post(reverse("cooperation:propose"), {"need": need.pk, "candidate": candidate.pk, **extra})


@pytest.mark.parametrize("who", ["need_owner", "secretariat", "senegal_editor"])
def test_the_needs_owner_and_its_editors_propose(client, people, pair, who):
    need, offer = pair
    response = propose(client_for(client, people[who]), need, offer, message="Worth a call?")
    proposal = MatchProposal.objects.get()
    assert response.status_code == 302 and response.url == reverse("cooperation:proposal", args=[proposal.pk])
    assert proposal.state == ProposalState.PROPOSED and proposal.proposed_by == people[who]
    told = set(Notification.objects.filter(event="match_proposed").values_list("recipient__username", flat=True))
    assert told == {"need-owner", "provider"}
    entry = MatchAuditEntry.objects.get(proposal=proposal)
    assert (entry.action, entry.actor, entry.to_state, entry.comment) == (
        "proposed",
        people[who],
        "proposed",
        "Worth a call?",
    )


@pytest.mark.parametrize("who", ["provider", "kenya_editor", "stranger"])
def test_others_may_not_propose(client, people, pair, who):
    need, offer = pair
    assert propose(client_for(client, people[who]), need, offer).status_code == 403
    assert not MatchProposal.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, pair):
    need, offer = pair
    response = propose(client, need, offer)
    assert response.status_code == 302 and "login" in response.url
    assert not MatchProposal.objects.exists()


def test_bad_input_is_refused_without_an_error_page(client, people, pair, make_need):
    need, offer = pair
    logged_in = client_for(client, people["secretariat"])
    assert logged_in.post(reverse("cooperation:propose"), {"need": "x", "candidate": offer.pk}).status_code == 404
    assert logged_in.post(reverse("cooperation:propose"), {"need": need.pk, "candidate": 99999999}).status_code == 404
    other_need = make_need()
    response = propose(logged_in, need, other_need)  # a need is no candidate
    assert response.status_code == 302
    assert not MatchProposal.objects.exists()
    propose(logged_in, need, offer)
    again = propose(logged_in, need, offer)  # already proposed
    assert again.status_code == 302 and MatchProposal.objects.count() == 1
    assert logged_in.get(reverse("cooperation:propose")).status_code == 405


def test_a_matched_need_takes_no_more_proposals(client, people, pair):
    need, offer = pair
    NeedPage.objects.filter(pk=need.pk).update(status="matched")
    response = propose(client_for(client, people["secretariat"]), need, offer)
    assert response.status_code == 302 and not MatchProposal.objects.exists()  # a message says why


def test_both_sides_accept_then_the_need_links_the_offer_and_is_matched(client, people, pair, publish):
    need, offer = pair
    propose(client_for(client, people["secretariat"]), need, offer)
    proposal = MatchProposal.objects.get()
    answer = reverse("cooperation:answer", args=[proposal.pk])

    client_for(client, people["need_owner"])
    assert client.get(reverse("cooperation:proposal", args=[proposal.pk])).status_code == 200
    client.post(answer, {"decision": "accept"})
    proposal.refresh_from_db()
    assert proposal.need_answer == "accepted" and proposal.state == "proposed"
    assert client.post(answer, {"decision": "accept"}).status_code == 302  # already answered: a message
    assert MatchAuditEntry.objects.filter(proposal=proposal, action="accepted").count() == 1

    client_for(client, people["provider"])
    client.post(answer, {"decision": "accept", "comment": "Glad to help"})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED and proposal.provider_answer == "accepted"
    need = NeedPage.objects.get(pk=need.pk)
    assert need.status == "matched" and need.live and not need.has_unpublished_changes
    assert [link.record_id for link in need.related_records.all()] == [offer.pk]
    actions = list(MatchAuditEntry.objects.filter(proposal=proposal).values_list("action", "actor__username"))
    assert actions == [
        ("proposed", "secretariat"),
        ("accepted", "need-owner"),
        ("accepted", "provider"),
        ("matched", "provider"),
    ]
    told = set(Notification.objects.filter(event="match_accepted").values_list("recipient__username", flat=True))
    assert told == {"need-owner", "provider"}
    response = client.get(need.url)
    assert response.status_code == 200
    assert b"Matched" in response.content and offer.title.encode() in response.content


def test_one_side_declines(client, people, pair):
    need, offer = pair
    propose(client_for(client, people["need_owner"]), need, offer)
    proposal = MatchProposal.objects.get()
    client_for(client, people["provider"]).post(
        reverse("cooperation:answer", args=[proposal.pk]), {"decision": "decline"}
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DECLINED and proposal.provider_answer == "declined"
    assert NeedPage.objects.get(pk=need.pk).status == "open"
    assert Notification.objects.filter(event="match_declined").count() == 2


@pytest.mark.parametrize("who", ["kenya_editor", "stranger"])
def test_only_the_parties_see_and_answer_other_ids_are_refused(client, people, pair, who):
    need, offer = pair
    propose(client_for(client, people["secretariat"]), need, offer)
    proposal = MatchProposal.objects.get()
    client_for(client, people[who])
    assert client.get(reverse("cooperation:proposal", args=[proposal.pk])).status_code == 403
    for name in ("answer", "withdraw"):
        assert (
            client.post(reverse(f"cooperation:{name}", args=[proposal.pk]), {"decision": "accept"}).status_code == 403
        )
    assert client.get(reverse("cooperation:proposal", args=[proposal.pk + 1000])).status_code == 404
    proposal.refresh_from_db()
    assert (proposal.state, proposal.need_answer, proposal.provider_answer) == ("proposed", "pending", "pending")


def test_an_editor_cannot_answer_for_a_side_and_a_party_cannot_answer_for_the_other(client, people, pair):
    need, offer = pair
    propose(client_for(client, people["senegal_editor"]), need, offer)
    proposal = MatchProposal.objects.get()
    answer = reverse("cooperation:answer", args=[proposal.pk])
    assert client.post(answer, {"decision": "accept"}).status_code == 403  # the editor follows it only
    client_for(client, people["need_owner"]).post(answer, {"decision": "accept"})
    proposal.refresh_from_db()
    assert proposal.provider_answer == "pending"  # the need's owner answered its own side only
    assert client.post(reverse("cooperation:withdraw", args=[proposal.pk])).status_code == 403
    client_for(client, people["senegal_editor"]).post(reverse("cooperation:withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert client.post(answer, {"decision": "accept"}).status_code == 302  # closed: a message says so
    proposal.refresh_from_db()
    assert (proposal.state, proposal.need_answer) == (ProposalState.WITHDRAWN, "accepted")


def test_the_owner_is_the_submitter_of_the_record(client, people, pair):
    from workflows.review.models import Submission

    need, offer = pair
    offer.owner = None
    offer.save()
    Submission.objects.create(page=offer, submitter=people["stranger"], state="published")
    propose(client_for(client, people["need_owner"]), need, offer)
    proposal = MatchProposal.objects.get()
    client_for(client, people["stranger"])
    assert client.get(reverse("cooperation:proposal", args=[proposal.pk])).status_code == 200
    client_for(client, people["provider"])
    assert client.get(reverse("cooperation:proposal", args=[proposal.pk])).status_code == 403


def test_a_need_is_matched_with_an_expert_whose_profile_owner_accepts(client, people, pair, make_expert):
    need, _offer = pair
    expert = make_expert(owner=people["provider"])
    propose(client_for(client, people["need_owner"]), need, expert)
    proposal = MatchProposal.objects.get()
    assert proposal.kind == "expert"
    answer = reverse("cooperation:answer", args=[proposal.pk])
    client.post(answer, {"decision": "accept"})
    client_for(client, people["provider"]).post(answer, {"decision": "accept"})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED
    need = NeedPage.objects.get(pk=need.pk)
    assert need.status == "matched" and [link.record_id for link in need.related_records.all()] == [expert.pk]
    assert client.post(answer, {"decision": "maybe"}).status_code == 302  # a clear message, not an error
