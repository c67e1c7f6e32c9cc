"""Asking to join a network and answering requests, through the public site's URLs, as the people
who hold only the rights they need — and the denials: visitors, other members, the coordinator of
another network, guessed ids, missing CSRF token."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.test import Client

from cms.accounts import roles
from content_types.networks.models import NetworkMembership

from .factories import ExpertProfileFactory, MembershipFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def join_url(network) -> str:
    return f"{network.url}join/"


def requests_url(network) -> str:
    return f"{network.url}requests/"


def decide_url(network, membership) -> str:
    return f"{network.url}requests/{membership.pk}/"


@pytest.fixture
def member_user(make_user):
    """A submitter who owns an organisation record and an expert profile."""
    return make_user("org-focal-point", roles.SUBMITTER, first_name="Wanjiru", last_name="Mwangi")


@pytest.fixture
def own_organisation(index, member_user):
    return OrganisationFactory(title="Kenya Forest Institute", owner=member_user)


@pytest.fixture
def coordinator(make_user):
    return make_user("network-coordinator", roles.SUBMITTER)


@pytest.fixture
def network(index, coordinator):
    return NetworkFactory(title="Forest restoration network", coordinator=coordinator)


@pytest.fixture
def pending(network, own_organisation, member_user):
    return MembershipFactory(
        network=network,
        organisation=own_organisation,
        status="pending",
        since=None,
        message="Please",
        requested_by=member_user,
    )


# --- the join form on the network page ------------------------------------------------------------
def test_visitors_see_a_sign_in_link_and_no_form(client, network):
    document = soup(client.get(network.url))

    join = document.select_one("section.join")
    assert join.select_one("form") is None
    assert "accounts/login/?next=" in join.select_one("a")["href"]
    assert "csrfmiddlewaretoken" not in client.get(network.url).content.decode()


def test_a_visitor_posting_is_sent_to_sign_in(client, network, own_organisation):
    response = client.post(join_url(network), {"member": f"organisation:{own_organisation.pk}", "message": "Hi"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not NetworkMembership.objects.exists()


def test_a_person_with_no_record_is_told_how_to_join_and_may_not_post(client, submitter, network, own_organisation):
    client.force_login(submitter)

    document = soup(client.get(network.url))
    response = client.post(join_url(network), {"member": f"organisation:{own_organisation.pk}", "message": "Hi"})

    assert "you need an organisation or expert profile record that you manage" in document.get_text()
    assert response.status_code == 403
    assert not NetworkMembership.objects.exists()


def test_a_member_asks_to_join_and_the_request_waits_for_the_coordinator(
    client, member_user, network, own_organisation
):
    client.force_login(member_user)
    form = soup(client.get(network.url)).select_one("section.join form")
    options = [option["value"] for option in form.select("select[name=member] option")]
    assert options == [f"organisation:{own_organisation.pk}"]

    response = client.post(
        join_url(network), {"member": options[0], "message": "We restore forests in Kenya."}, follow=True
    )

    membership = NetworkMembership.objects.get()
    assert (membership.network_id, membership.organisation_id) == (network.pk, own_organisation.pk)
    assert (membership.status, membership.role, membership.requested_by) == ("pending", "member", member_user)
    assert membership.message == "We restore forests in Kenya."
    text = soup(response).get_text(" ", strip=True)
    assert "Your request to join as Kenya Forest Institute has been sent to the coordinator." in text
    assert "Kenya Forest Institute asked to join on" in text


def test_an_expert_profile_can_ask_to_join_too(client, member_user, network):
    expert = ExpertProfileFactory(title="Dr Mwangi", owner=member_user)
    client.force_login(member_user)

    client.post(join_url(network), {"member": f"expert:{expert.pk}", "message": "Forest ecologist."})

    assert NetworkMembership.objects.get().expert_id == expert.pk


def test_a_missing_message_comes_back_with_what_was_chosen(client, member_user, network, own_organisation):
    client.force_login(member_user)

    response = client.post(join_url(network), {"member": f"organisation:{own_organisation.pk}", "message": ""})

    assert response.status_code == 200
    form = soup(response).select_one("section.join form")
    assert "This field is required." in form.get_text()
    assert form.select_one("option[selected]")["value"] == f"organisation:{own_organisation.pk}"
    assert not NetworkMembership.objects.exists()


def test_a_duplicate_pending_request_is_refused_with_a_clear_message(client, member_user, network, pending):
    client.force_login(member_user)

    response = client.post(
        join_url(network), {"member": f"organisation:{pending.organisation_id}", "message": "Again, please"}
    )

    assert response.status_code == 200
    form = soup(response).select_one("section.join form")
    assert "Kenya Forest Institute already asked to join on" in form.get_text()
    assert "the coordinator has not answered yet" in form.get_text()
    assert form.select_one("textarea").get_text().strip() == "Again, please"
    assert NetworkMembership.objects.count() == 1


def test_an_active_member_is_told_it_is_already_one(client, member_user, network, own_organisation):
    MembershipFactory(network=network, organisation=own_organisation)
    client.force_login(member_user)

    response = client.post(join_url(network), {"member": f"organisation:{own_organisation.pk}", "message": "Hi"})

    assert "Kenya Forest Institute is already a member of this network." in soup(response).get_text()
    assert NetworkMembership.objects.count() == 1


def test_after_a_decline_the_member_sees_it_and_may_ask_again(client, member_user, network, own_organisation):
    MembershipFactory(network=network, organisation=own_organisation, status="declined", since=None)
    client.force_login(member_user)

    page = soup(client.get(network.url)).select_one("section.join")
    client.post(join_url(network), {"member": f"organisation:{own_organisation.pk}", "message": "Once more"})

    assert "The request of Kenya Forest Institute was declined on" in page.get_text()
    assert page.select_one("form") is not None
    assert NetworkMembership.objects.filter(status="pending").count() == 1


def test_nobody_can_ask_in_the_name_of_a_record_they_do_not_own(client, member_user, network, own_organisation):
    someone_else = OrganisationFactory(title="Not mine")
    client.force_login(member_user)

    response = client.post(join_url(network), {"member": f"organisation:{someone_else.pk}", "message": "Hi"})

    assert "Choose one of the organisations or expert profiles you manage." in soup(response).get_text()
    assert not NetworkMembership.objects.exists()


def test_asking_from_the_french_page_joins_the_one_network(
    client, member_user, network, own_organisation, translate_to
):
    french = translate_to(network, "fr", title="Réseau de restauration", draft_title="Réseau de restauration")
    client.force_login(member_user)

    client.post(join_url(french), {"member": f"organisation:{own_organisation.pk}", "message": "Bonjour"})

    assert NetworkMembership.objects.get().network_id == network.pk


def test_the_join_form_needs_a_csrf_token(member_user, network, own_organisation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_user)

    response = client.post(join_url(network), {"member": f"organisation:{own_organisation.pk}", "message": "Hi"})

    assert response.status_code == 403
    assert not NetworkMembership.objects.exists()


# --- the coordinator's page ----------------------------------------------------------------------
def test_the_coordinator_sees_the_requests_of_the_network(client, coordinator, network, pending):
    client.force_login(coordinator)

    network_page = soup(client.get(network.url))
    response = client.get(requests_url(network))

    assert "Manage members: 1 request to answer" in network_page.get_text()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    row = soup(response).select_one("tbody tr")
    assert "Kenya Forest Institute" in row.get_text()
    assert "Please" in row.get_text()
    assert "Wanjiru Mwangi" in row.get_text()


def test_the_coordinator_accepts_with_a_role(client, coordinator, network, pending):
    client.force_login(coordinator)

    response = client.post(decide_url(network, pending), {"decision": "accept", "role": "partner"}, follow=True)

    pending.refresh_from_db()
    assert (pending.status, pending.role, pending.decided_by) == ("active", "partner", coordinator)
    assert pending.since is not None and pending.decided_at is not None
    assert "Kenya Forest Institute is now a member of the network (Partner)." in soup(response).get_text()
    assert "Kenya Forest Institute" in soup(client.get(network.url)).select_one("ul.members").get_text()


def test_the_coordinator_declines(client, coordinator, network, pending):
    client.force_login(coordinator)

    client.post(decide_url(network, pending), {"decision": "decline"})

    pending.refresh_from_db()
    assert pending.status == "declined"
    assert pending.since is None


def test_an_editor_may_answer_any_network(client, editor, network, pending):
    client.force_login(editor)

    assert client.get(requests_url(network)).status_code == 200
    client.post(decide_url(network, pending), {"decision": "accept", "role": "member"})

    pending.refresh_from_db()
    assert pending.status == "active"


def test_an_answered_request_is_not_answered_twice(client, coordinator, network, pending):
    client.force_login(coordinator)
    client.post(decide_url(network, pending), {"decision": "decline"})

    response = client.post(decide_url(network, pending), {"decision": "accept", "role": "coordinator"}, follow=True)

    pending.refresh_from_db()
    assert pending.status == "declined"
    assert "This request has already been answered." in soup(response).get_text()


def test_a_bad_decision_changes_nothing(client, coordinator, network, pending):
    client.force_login(coordinator)

    client.post(decide_url(network, pending), {"decision": "maybe"})
    client.post(decide_url(network, pending), {"decision": "accept", "role": "overlord"})

    pending.refresh_from_db()
    assert pending.status == "pending"


def test_decisions_are_posts_with_a_csrf_token(coordinator, network, pending):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)

    assert client.get(decide_url(network, pending)).status_code == 405
    assert client.post(decide_url(network, pending), {"decision": "accept"}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"


# --- denials -------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["member_user", "submitter", "reviewer", "committee_member"])
def test_others_may_neither_see_nor_answer_requests(request, client, network, pending, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(requests_url(network)).status_code == 403
    assert client.post(decide_url(network, pending), {"decision": "accept"}).status_code == 403
    assert "Manage members" not in client.get(network.url).content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_visitors_are_sent_to_sign_in(client, network, pending):
    assert "/accounts/login/" in client.get(requests_url(network))["Location"]
    assert "/accounts/login/" in client.post(decide_url(network, pending), {"decision": "accept"})["Location"]
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_the_coordinator_of_another_network_is_refused(client, make_user, network, pending):
    other_coordinator = make_user("other-coordinator", roles.SUBMITTER)
    NetworkFactory(coordinator=other_coordinator)
    client.force_login(other_coordinator)

    assert client.get(requests_url(network)).status_code == 403
    assert client.post(decide_url(network, pending), {"decision": "accept"}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_guessing_an_id_of_another_network_finds_nothing(client, make_user, pending):
    other_coordinator = make_user("other-coordinator", roles.SUBMITTER)
    other_network = NetworkFactory(coordinator=other_coordinator)
    client.force_login(other_coordinator)

    response = client.post(decide_url(other_network, pending), {"decision": "accept", "role": "member"})

    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_a_coordinator_named_only_on_a_translation_has_no_rights(client, make_user, network, pending, translate_to):
    intruder = make_user("intruder", roles.SUBMITTER)
    french = translate_to(network, "fr", title="Réseau", draft_title="Réseau")
    type(french).objects.filter(pk=french.pk).update(coordinator=intruder)
    client.force_login(intruder)

    assert client.get(requests_url(french)).status_code == 403
    assert client.post(decide_url(french, pending), {"decision": "accept"}).status_code == 403


def test_a_user_with_only_the_view_permission_may_not_answer(client, make_user, network, pending):
    viewer = make_user("viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_networkmembership"))
    client.force_login(viewer)

    assert client.post(decide_url(network, pending), {"decision": "accept"}).status_code == 403
