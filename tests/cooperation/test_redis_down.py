"""Redis down (cache and broker at a closed loopback port): need pages, the board and the proposal flow
keep working, and a suggestion refresh that fails does not undo or break a publication."""

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from cooperation.models import MatchProposal, ProposalState
from tests.resilience.conftest import celery_broker, free_port, redis_cache_settings

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{free_port()}/0"
    with celery_broker(url):
        redis_cache_settings(settings, url)
        yield


def test_need_page_board_and_proposals_work_with_redis_down(people, pair, redis_down):
    need, offer = pair
    assert Client().get(need.url).status_code == 200
    owner = signed_in(people["need_owner"])
    page = owner.get(need.url)
    assert page.status_code == 200 and b"Propose this match" in page.content
    assert signed_in(people["secretariat"]).get(reverse("cooperation:board")).status_code == 200
    response = owner.post(reverse("cooperation:propose"), {"need": need.pk, "candidate": offer.pk})
    assert response.status_code == 302
    proposal = MatchProposal.objects.get()
    answer = reverse("cooperation:answer", args=[proposal.pk])
    assert owner.post(answer, {"decision": "accept"}).status_code == 302
    assert signed_in(people["provider"]).post(answer, {"decision": "accept"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED
    assert owner.get(reverse("cooperation:mine")).status_code == 200


def test_a_failing_refresh_does_not_break_publishing(people, make_need, publish, redis_down):
    need = make_need(owner=people["need_owner"], title="Seagrass survey")
    with mock.patch("cooperation.suggestions.refresh_families", side_effect=RuntimeError("search down")) as refresh:
        publish(need)
    assert refresh.called
    need.refresh_from_db()
    assert need.live and not need.has_unpublished_changes
    assert Client().get(need.url).status_code == 200
