"""Networks in the Wagtail admin: Editors manage memberships and create networks; others may not."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from content_types.networks.models import NetworkMembership, NetworkPage
from tests.events.factories import EventFactory

from .factories import ExpertProfileFactory, MembershipFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def errors(response) -> str:
    document = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(node.get_text(" ", strip=True) for node in document.select(".error-message, .help-critical"))


def test_an_editor_lists_memberships(client, editor, index):
    membership = MembershipFactory(status="pending")
    client.force_login(editor)

    response = client.get(reverse("network_memberships:index"))

    assert response.status_code == 200
    assert membership.organisation.title in response.content.decode()


def test_an_editor_adds_a_membership_and_must_choose_one_member(client, editor, index):
    network, organisation, expert = NetworkFactory(), OrganisationFactory(), ExpertProfileFactory()
    client.force_login(editor)
    data = {"network": network.pk, "role": "partner", "status": "active", "since": "2024-05-01", "message": ""}

    both = client.post(
        reverse("network_memberships:add"), {**data, "organisation": organisation.pk, "expert": expert.pk}
    )
    one = client.post(reverse("network_memberships:add"), {**data, "organisation": organisation.pk})

    assert both.status_code == 200
    assert "Choose either an organisation or an expert, not both." in errors(both)
    assert one.status_code == 302
    membership = NetworkMembership.objects.get()
    assert (membership.organisation_id, membership.role, membership.status) == (organisation.pk, "partner", "active")


def test_an_editor_cannot_add_a_second_open_membership(client, editor, index):
    existing = MembershipFactory()
    client.force_login(editor)

    response = client.post(
        reverse("network_memberships:add"),
        {
            "network": existing.network_id,
            "organisation": existing.organisation_id,
            "role": "member",
            "status": "pending",
        },
    )

    assert response.status_code == 200
    assert "This organisation has already asked to join or is a member." in response.content.decode()
    assert NetworkMembership.objects.count() == 1


@pytest.mark.parametrize("who", ["submitter", "reviewer"])
def test_other_roles_cannot_manage_memberships(request, client, index, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("network_memberships:index"))

    assert response.status_code in (302, 403)


def test_the_network_form_offers_events_of_its_language_only(client, editor, index, translate_to):
    event = EventFactory(title="Restoration week")
    french_event = translate_to(event, "fr", title="Semaine de la restauration", draft_title="Semaine")
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:add", args=("networks", "networkpage", index.pk)))

    assert response.status_code == 200
    document = BeautifulSoup(response.content.decode(), "html.parser")
    values = [option["value"] for option in document.select('select[name="linked_events"] option')]
    assert str(event.pk) in values and str(french_event.pk) not in values
    assert Locale.objects.get(pk=french_event.locale_id).language_code == "fr"


def test_an_editor_creates_a_network(client, editor, index):
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "Seagrass network",
            "slug": "seagrass-network",
            "summary": "Seagrass practitioners.",
            "kind": "community-of-practice",
            "scope": "thematic",
            "established": "2019-04-01",
            "coordinator": str(editor.pk),
            "website": "https://seagrass.example.org/",
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )

    response = client.post(reverse("wagtailadmin_pages:add", args=("networks", "networkpage", index.pk)), data)

    assert response.status_code == 302, errors(response)
    network = NetworkPage.objects.get(slug="seagrass-network", locale__language_code="en")
    assert (network.live, network.coordinator, network.kind) == (True, editor, "community-of-practice")
