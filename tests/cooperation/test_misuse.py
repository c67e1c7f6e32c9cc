"""Matchmaking used wrongly: a need's owner who repeats or answers too late, an attacker who changes
ids, drops the CSRF token or sends garbage, and a national editor of another country. Each gets a
clear message in their language or a 403/404, never a 500, and nothing in the database changes."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cooperation.models import MatchAuditEntry, MatchProposal, ProposalState
from workflows.notifications.models import Notification

pytestmark = pytest.mark.django_db


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def propose(client, need, candidate, **extra):
    return client.post(reverse("cooperation:propose"), {"need": need.pk, "candidate": candidate.pk, **extra})


def said(response) -> str:
    """The message this response added (earlier ones wait in the cookie of a client that follows no redirect)."""
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    return messages[-1] if messages else ""


def snapshot():
    """What matchmaking wrote: proposals with their answers, audit entries and notifications."""
    return (
        list(MatchProposal.objects.order_by("pk").values_list("pk", "state", "need_answer", "provider_answer")),
        MatchAuditEntry.objects.count(),
        Notification.objects.count(),
    )


@pytest.fixture
def proposal(people, pair):
    need, offer = pair
    propose(signed_in(people["secretariat"]), need, offer)
    return MatchProposal.objects.get()


# A need's owner who makes mistakes


def test_proposing_the_same_match_twice_says_so_in_the_readers_language(people, pair):
    need, offer = pair
    owner = signed_in(people["need_owner"])
    propose(owner, need, offer)
    before = snapshot()
    with translation.override("fr"):
        again = owner.post(
            reverse("cooperation:propose"), {"need": need.pk, "candidate": offer.pk}, HTTP_ACCEPT_LANGUAGE="fr"
        )
    assert again.status_code == 302
    assert "déjà été proposée" in said(again)
    assert snapshot() == before


def test_proposing_an_unpublished_offer_is_refused_with_a_message(people, pair):
    need, offer = pair
    offer.unpublish()
    response = propose(signed_in(people["need_owner"]), need, offer)
    assert response.status_code == 302 and response.url == need.url
    assert said(response) == "This offer or expert profile is not published."
    assert not MatchProposal.objects.exists()


def test_a_matched_need_tells_its_owner_it_is_no_longer_open(people, pair):
    need, offer = pair
    type(need).objects.filter(pk=need.pk).update(status="matched")
    response = propose(signed_in(people["need_owner"]), need, offer)
    assert response.status_code == 302
    assert said(response) == "This need is no longer open: no match can be proposed for it."
    assert not MatchProposal.objects.exists()


def test_accepting_twice_and_declining_after_accepting_leave_the_answer_alone(people, proposal):
    answer = reverse("cooperation:answer", args=[proposal.pk])
    owner = signed_in(people["need_owner"])
    owner.post(answer, {"decision": "accept"})
    before = snapshot()
    twice = owner.post(answer, {"decision": "accept"})
    assert twice.status_code == 302 and said(twice) == "You have already answered this proposal."
    change = owner.post(answer, {"decision": "decline"})
    assert change.status_code == 302 and said(change) == "You have already answered this proposal."
    assert snapshot() == before


def test_answering_or_withdrawing_a_closed_proposal_is_a_message_for_its_parties(people, proposal):
    answer = reverse("cooperation:answer", args=[proposal.pk])
    signed_in(people["need_owner"]).post(answer, {"decision": "accept"})
    signed_in(people["provider"]).post(answer, {"decision": "accept"})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED
    before = snapshot()
    late = signed_in(people["need_owner"]).post(answer, {"decision": "decline"})
    assert late.status_code == 302 and said(late) == "This proposal is closed: it can no longer be answered."
    withdraw = signed_in(people["secretariat"]).post(reverse("cooperation:withdraw", args=[proposal.pk]))
    assert withdraw.status_code == 302
    assert said(withdraw) == "This proposal is closed: it can no longer be withdrawn."
    # Someone who is no party to it still learns nothing.
    assert signed_in(people["kenya_editor"]).post(answer, {"decision": "decline"}).status_code == 403
    assert snapshot() == before


def test_a_closed_proposal_message_is_in_the_readers_language(people, proposal):
    signed_in(people["secretariat"]).post(reverse("cooperation:withdraw", args=[proposal.pk]))
    owner = signed_in(people["need_owner"])
    with translation.override("fr"):
        response = owner.post(
            reverse("cooperation:answer", args=[proposal.pk]), {"decision": "accept"}, HTTP_ACCEPT_LANGUAGE="fr"
        )
        expected = translation.gettext("This proposal is closed: it can no longer be answered.")
    assert response.status_code == 302 and said(response) == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_proposes_once(people, pair):
    need, offer = pair
    barrier = threading.Barrier(2)
    statuses = []

    def click():
        try:
            client = signed_in(people["need_owner"])
            barrier.wait(timeout=10)
            statuses.append(propose(client, need, offer).status_code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [302, 302]
    assert MatchProposal.objects.count() == 1
    assert MatchAuditEntry.objects.filter(action="proposed").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_on_accept_answers_once(people, pair):
    need, offer = pair
    propose(signed_in(people["secretariat"]), need, offer)
    proposal = MatchProposal.objects.get()
    barrier = threading.Barrier(2)
    statuses = []

    def click():
        try:
            client = signed_in(people["need_owner"])
            barrier.wait(timeout=10)
            statuses.append(client.post(reverse("cooperation:answer", args=[proposal.pk]), {"decision": "accept"}))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(response.status_code for response in statuses) == [302, 302]
    assert MatchAuditEntry.objects.filter(action="accepted").count() == 1
    assert sorted(said(response) for response in statuses) == [
        "You have already answered this proposal.",
        "Your answer was recorded.",
    ]


# An attacker


GARBAGE = ["'", "99999999999999999999", "%ff", "-1", "0", "1.5", "", "1 OR 1=1"]


@pytest.mark.parametrize("value", GARBAGE)
def test_garbage_ids_in_a_proposal_are_404(people, pair, value):
    need, offer = pair
    client = signed_in(people["secretariat"])
    for data in ({"need": value, "candidate": offer.pk}, {"need": need.pk, "candidate": value}):
        assert client.post(reverse("cooperation:propose"), data).status_code == 404
    assert not MatchProposal.objects.exists()


@pytest.mark.parametrize("value", ["'", "99999999999999999999", "%ff", "-1", "abc"])
def test_garbage_ids_in_the_addresses_are_404(people, proposal, value):
    client = signed_in(people["secretariat"])
    before = snapshot()
    for suffix in ("", "answer/", "withdraw/"):
        path = f"/en/workspace/matches/proposals/{value}/{suffix}"
        response = client.post(path, {"decision": "accept"}) if suffix else client.get(path)
        assert response.status_code == 404, path
    assert snapshot() == before


def test_a_huge_proposal_id_is_404(people, proposal):
    client = signed_in(people["secretariat"])
    for name in ("proposal", "answer", "withdraw"):
        url = reverse(f"cooperation:{name}", args=[99999999999999999999])
        response = client.get(url) if name == "proposal" else client.post(url, {"decision": "accept"})
        assert response.status_code == 404


def test_get_on_the_post_only_addresses_is_405_and_changes_nothing(people, proposal):
    client = signed_in(people["need_owner"])
    before = snapshot()
    for url in (
        reverse("cooperation:propose") + f"?need={proposal.need_id}&candidate={proposal.candidate_id}",
        reverse("cooperation:answer", args=[proposal.pk]) + "?decision=accept",
        reverse("cooperation:withdraw", args=[proposal.pk]),
    ):
        assert client.get(url).status_code == 405, url
    assert snapshot() == before


def test_without_the_csrf_token_nothing_happens(people, pair):
    need, offer = pair
    owner = signed_in(people["need_owner"], enforce_csrf_checks=True)
    assert propose(owner, need, offer).status_code == 403
    assert not MatchProposal.objects.exists()
    propose(signed_in(people["secretariat"]), need, offer)
    proposal = MatchProposal.objects.get()
    before = snapshot()
    assert owner.post(reverse("cooperation:answer", args=[proposal.pk]), {"decision": "accept"}).status_code == 403
    editor = signed_in(people["secretariat"], enforce_csrf_checks=True)
    assert editor.post(reverse("cooperation:withdraw", args=[proposal.pk])).status_code == 403
    assert snapshot() == before


def test_a_national_editor_of_another_country_changes_nothing(people, pair, make_need, publish):
    need, offer = pair
    propose(signed_in(people["need_owner"]), need, offer)
    proposal = MatchProposal.objects.get()
    kenya = signed_in(people["kenya_editor"])
    before = snapshot()
    assert propose(kenya, need, offer).status_code == 403
    assert kenya.get(reverse("cooperation:proposal", args=[proposal.pk])).status_code == 403
    for name, data in (("answer", {"decision": "accept"}), ("answer", {"decision": "decline"}), ("withdraw", {})):
        assert kenya.post(reverse(f"cooperation:{name}", args=[proposal.pk]), data).status_code == 403
    assert kenya.get(reverse("cooperation:board")).status_code == 200  # the board lists, it does not act
    assert snapshot() == before


def test_another_users_need_and_offer_ids_are_refused(people, pair, make_need, publish):
    need, offer = pair
    # A stranger (same country, no editor) tries someone else's need, and the provider its own offer.
    for who in ("stranger", "provider"):
        assert propose(signed_in(people[who]), need, offer).status_code == 403
    # An unpublished need of another person: refused, not revealed.
    draft = make_need(owner=people["provider"], title="Draft need")
    assert propose(signed_in(people["need_owner"]), draft, offer).status_code == 403
    assert not MatchProposal.objects.exists()


def test_a_record_that_is_not_an_offer_or_expert_is_no_candidate(people, pair, index):
    need, _offer = pair
    response = propose(signed_in(people["need_owner"]), need, index)
    assert response.status_code == 404
    assert not MatchProposal.objects.exists()


def test_an_outside_next_address_is_ignored(people, pair):
    need, offer = pair
    offer.unpublish()
    response = propose(signed_in(people["need_owner"]), need, offer, next="https://evil.example/")
    assert response.status_code == 302 and response.url == need.url
