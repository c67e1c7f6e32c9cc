"""A cycle in evaluation: nominations from France, Brazil and Japan, a committee of three (a chair
from Norway, a member from Brazil, one from China), and the Parties' focal points."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from cms.accounts import roles
from cms.accounts.models import UserProfile
from content_types.vocabularies.models import Country
from tests.awards.factories import make_cycle
from workflows.awards import services
from workflows.awards.models import Nomination, NominationState


@pytest.fixture
def awards(site_pages):
    return site_pages["awards"]


def with_country(user, code, language="en"):
    UserProfile.objects.update_or_create(
        user=user, defaults={"country": Country.objects.get(code=code), "preferred_language": language}
    )
    for cached in ("_workflow_country_id", "_workflow_group_names"):
        user.__dict__.pop(cached, None)
    return user


@dataclass
class World:
    cycle: object
    categories: list
    criteria: list
    focal: dict
    members: dict
    secretariat: object
    committee: object = None
    nominations: dict = None


@pytest.fixture
def world(awards, make_user):
    cycle = make_cycle(awards)
    focal = {
        code: with_country(make_user(f"focal-{code.lower()}", roles.SUBMITTER), code, language)
        for code, language in (("FR", "fr"), ("BR", "es"), ("JP", "en"))
    }
    members = {
        name: with_country(make_user(name, roles.AWARD_COMMITTEE), code)
        for name, code in (("chair", "NO"), ("member-br", "BR"), ("member-cn", "CN"))
    }
    secretariat = make_user("secretariat", roles.EDITOR)
    return World(
        cycle=cycle,
        categories=list(cycle.categories.all()),
        criteria=list(cycle.criteria.all()),
        focal=focal,
        members=members,
        secretariat=secretariat,
    )


def nominate(world, code, category=0, submit=True, today=None):
    return services.save_nomination(
        world.focal[code],
        world.cycle,
        category=world.categories[category],
        website=f"https://chm.example.org/{code.lower()}/",
        answers={"q-1": "2015"},
        submit=submit,
        today=today,
    )


@pytest.fixture
def evaluating(world):
    """Three accepted nominations in the first category, the committee named, scoring open."""
    world.nominations = {}
    for code in ("FR", "BR", "JP"):
        nomination = nominate(world, code)
        services.check_nomination(world.secretariat, nomination, services.ACCEPT)
        world.nominations[code] = Nomination.objects.get(pk=nomination.pk)
    world.committee = services.form_committee(
        world.cycle, list(world.members.values()), world.members["chair"], actor=world.secretariat
    )
    world.cycle = type(world.cycle).objects.get(pk=world.cycle.pk)
    assert all(n.state == NominationState.ACCEPTED for n in world.nominations.values())
    return world


def fresh(user):
    """The same person as a new request sees it (no cached roles)."""
    return type(user).objects.get(pk=user.pk)


def past_deadline(cycle):
    return cycle.nomination_deadline + datetime.timedelta(days=1)


def today():
    return timezone.localdate()
