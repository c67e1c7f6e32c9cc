"""Nominations: saved and come back to, edited until the deadline, one per country and category,
and the secretariat's eligibility check."""

import pytest
from django.core.exceptions import ValidationError

from workflows.awards import services
from workflows.awards.models import Nomination, NominationEntry, NominationState
from workflows.notifications.models import Notification

from .conftest import fresh, nominate, past_deadline

pytestmark = pytest.mark.django_db


def test_a_focal_point_saves_a_draft_comes_back_and_submits(world):
    draft = nominate(world, "FR", submit=False)
    assert draft.state == NominationState.DRAFT
    again = services.save_nomination(
        fresh(world.focal["FR"]),
        world.cycle,
        category=world.categories[1],
        website="https://chm.example.org/france/",
        nomination=draft,
        submit=True,
    )
    again.refresh_from_db()
    assert (again.state, again.category, again.website) == (
        NominationState.SUBMITTED,
        world.categories[1],
        "https://chm.example.org/france/",
    )
    assert [entry.action for entry in NominationEntry.objects.filter(nomination=draft)] == ["create", "edit", "submit"]
    assert Notification.objects.filter(event="award_nomination_submitted", recipient=world.secretariat).exists()


def test_one_nomination_per_country_category_and_cycle(world):
    nominate(world, "FR")
    with pytest.raises(ValidationError) as error:
        nominate(world, "FR")
    assert "already has a nomination" in str(error.value)
    nominate(world, "FR", category=1)  # another category is fine
    assert Nomination.objects.filter(country__code="FR").count() == 2


def test_after_the_deadline_nothing_can_be_created_or_changed(world):
    nomination = nominate(world, "FR", submit=False)
    with pytest.raises(ValidationError) as error:
        services.save_nomination(
            world.focal["FR"],
            world.cycle,
            category=world.categories[0],
            website="https://late.example.org/",
            nomination=nomination,
            today=past_deadline(world.cycle),
        )
    assert "deadline" in str(error.value)
    with pytest.raises(ValidationError):
        nominate(world, "BR", today=past_deadline(world.cycle))
    nomination.refresh_from_db()
    assert nomination.website == "https://chm.example.org/fr/"
    assert not services.may_edit(world.focal["FR"], nomination, today=past_deadline(world.cycle))
    assert services.may_edit(world.focal["FR"], nomination)


def test_a_correction_asked_after_the_deadline_can_still_be_made(world):
    nomination = nominate(world, "FR")
    services.check_nomination(world.secretariat, nomination, services.CORRECT, "Give the website in English.")
    nomination.refresh_from_db()
    assert nomination.state == NominationState.CORRECTION
    assert Notification.objects.filter(event="award_nomination_correction", recipient=world.focal["FR"]).exists()
    services.save_nomination(
        fresh(world.focal["FR"]),
        world.cycle,
        category=world.categories[0],
        website="https://chm.example.org/fr/en/",
        nomination=nomination,
        submit=True,
        today=past_deadline(world.cycle),
    )
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SUBMITTED


def test_the_check_needs_a_reason_to_reject_and_only_the_secretariat_checks(world):
    nomination = nominate(world, "FR")
    with pytest.raises(ValidationError):
        services.check_nomination(world.secretariat, nomination, services.REJECT, "")
    for outsider in (world.focal["FR"], world.members["chair"]):
        with pytest.raises(services.Denied):
            services.check_nomination(outsider, nomination, services.ACCEPT)
    services.check_nomination(world.secretariat, nomination, services.REJECT, "Established in 2022: new category.")
    nomination.refresh_from_db()
    assert nomination.state == NominationState.REJECTED
    assert nomination.history.last().comment == "Established in 2022: new category."


def test_only_a_focal_point_of_a_party_nominates(world, make_user):
    from cms.accounts import roles

    stranger = make_user("no-country", roles.SUBMITTER)
    with pytest.raises(services.Denied):
        services.save_nomination(stranger, world.cycle, category=world.categories[0], website="https://x.example.org/")
    with pytest.raises(services.Denied):
        services.save_nomination(
            world.members["chair"], world.cycle, category=world.categories[0], website="https://x.example.org/"
        )
