"""Membership rules (exactly one member, one open membership each, originals), and the JSON-LD."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from content_types.networks.models import NetworkMembership

from .factories import ExpertProfileFactory, MembershipFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_membership_names_an_organisation_or_an_expert(index):
    network = NetworkFactory()
    neither = NetworkMembership(network=network)
    both = NetworkMembership(network=network, organisation=OrganisationFactory(), expert=ExpertProfileFactory())

    with pytest.raises(ValidationError) as caught:
        neither.full_clean()
    assert caught.value.message_dict["organisation"] == ["Choose an organisation or an expert."]
    with pytest.raises(ValidationError) as caught:
        both.full_clean()
    assert caught.value.message_dict["expert"] == ["Choose either an organisation or an expert, not both."]


def test_the_database_refuses_a_membership_with_no_member(index):
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkMembership.objects.create(network=NetworkFactory())


def test_one_open_membership_per_organisation_and_network(index):
    existing = MembershipFactory(status="pending")
    duplicate = NetworkMembership(network=existing.network, organisation=existing.organisation, status="active")

    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "This organisation has already asked to join or is a member." in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_declined_organisation_may_ask_again(index):
    declined = MembershipFactory(status="declined")
    again = NetworkMembership(network=declined.network, organisation=declined.organisation, status="pending")

    again.full_clean()
    again.save()


def test_memberships_point_at_the_original_pages(index, translate_to):
    network = NetworkFactory()
    organisation = OrganisationFactory()
    french_network = translate_to(network, "fr", title="Réseau", draft_title="Réseau")
    french_organisation = translate_to(organisation, "fr", title="Institut", draft_title="Institut")
    membership = NetworkMembership(network=french_network, organisation=french_organisation, status="active")

    membership.full_clean()
    membership.save()

    assert (membership.network_id, membership.organisation_id) == (network.pk, organisation.pk)
    assert membership.since is not None
    assert list(french_network.memberships()) == [membership]


def test_active_members_are_shown_in_the_page_language_coordinators_first(index, translate_to):
    network = NetworkFactory()
    member = MembershipFactory(network=network, role="member", organisation=OrganisationFactory(title="Alpha"))
    coordinator = MembershipFactory(network=network, role="coordinator", organisation=OrganisationFactory(title="Zeta"))
    MembershipFactory(network=network, status="pending")
    MembershipFactory(network=network, status="declined")
    french_network = translate_to(network, "fr", title="Réseau", draft_title="Réseau")
    translate_to(member.organisation, "fr", title="Alpha (fr)", draft_title="Alpha (fr)")

    members = french_network.active_members()

    assert [m.pk for m in members] == [coordinator.pk, member.pk]
    assert [m.display_member.title for m in members] == ["Zeta", "Alpha (fr)"]


def test_jsonld_is_an_organization_with_members_and_roles(rf, index):
    network = NetworkFactory(website="https://ias.example.org/")
    MembershipFactory(network=network, role="coordinator", organisation=OrganisationFactory(title="Institute A"))
    MembershipFactory(
        network=network, organisation=None, expert=ExpertProfileFactory(title="Dr Expert"), role="observer"
    )
    MembershipFactory(network=network, status="pending", organisation=OrganisationFactory(title="Hopeful"))

    data = network.get_jsonld(rf.get("/"))

    assert data["@type"] == "Organization"
    assert data["sameAs"] == "https://ias.example.org/"
    assert data["foundingDate"] == "2015-05-22"
    members = {entry["member"]["name"]: entry for entry in data["member"]}
    assert set(members) == {"Institute A", "Dr Expert"}
    assert members["Institute A"]["roleName"] == "Coordinator"
    assert members["Institute A"]["member"]["@type"] == "Organization"
    assert members["Dr Expert"]["member"]["@type"] == "Person"
    assert members["Dr Expert"]["startDate"] == "2020-01-01"
