"""Factories of networks and memberships. Networks are created, published, under the English index;
members are organisation and expert records (the records tests' factories)."""

import datetime

import factory
import wagtail_factories

from content_types.networks.models import NetworkIndexPage, NetworkMembership, NetworkPage
from content_types.vocabularies.models import Country, GBFTarget, Region, Subject
from tests.records.factories import ExpertProfileFactory, OrganisationFactory

__all__ = ["ExpertProfileFactory", "MembershipFactory", "NetworkFactory", "OrganisationFactory", "networks_index"]


def networks_index(language: str = "en") -> NetworkIndexPage:
    return NetworkIndexPage.objects.get(locale__language_code=language)


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def target(number: int) -> GBFTarget:
    return GBFTarget.objects.get(number=number)


def subject(code: str) -> Subject:
    return Subject.objects.get(code=code)


class NetworkFactory(wagtail_factories.PageFactory):
    """A global network on invasive alien species."""

    parent = factory.LazyFunction(networks_index)
    title = factory.Sequence(lambda n: f"Invasive species network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    summary = "Practitioners share experience on invasive alien species."
    kind = "network"
    scope = "global"
    established = datetime.date(2015, 5, 22)
    website = "https://network.example.org/"
    gbf_targets = factory.LazyFunction(lambda: [target(6)])
    subjects = factory.LazyFunction(lambda: [subject("SUBJ-IAS")])
    live = True

    class Meta:
        model = NetworkPage


class MembershipFactory(factory.django.DjangoModelFactory):
    """An active organisation member since 2020."""

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    expert = None
    role = "member"
    status = "active"
    since = datetime.date(2020, 1, 1)

    class Meta:
        model = NetworkMembership
