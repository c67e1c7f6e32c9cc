"""The join form in the shared rendering: its error summary, "Error:" title, counter and length check."""

import pytest

from content_types.networks.models import NetworkMembership

from . import test_join
from .test_join import join_url, soup

# The join tests' fixtures: a member owning an organisation record, a network and its coordinator.
member_user = test_join.member_user
own_organisation = test_join.own_organisation
coordinator = test_join.coordinator
network = test_join.network

pytestmark = pytest.mark.django_db


def test_the_join_form_shows_its_limit_and_refuses_a_longer_message_keeping_it(
    client, member_user, network, own_organisation
):
    client.force_login(member_user)
    page = soup(client.get(network.url))
    message = page.select_one("section.join textarea#id_message")
    assert not message.has_attr("maxlength")
    assert page.select_one("#id_message_count_hint").get_text() == "You can enter up to 1000 characters."
    assert page.select_one("label[for=id_message] .required-marker") is not None
    assert not page.title.get_text().startswith("Error")
    assert page.select_one("script[src='/static/js/forms.js']") is not None

    text = "Why we join. " * 77 + "!"  # 1002 characters
    response = client.post(join_url(network), {"member": f"organisation:{own_organisation.pk}", "message": text})

    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    summary = page.select_one("section.join [data-error-summary]")
    assert summary.select_one("a")["href"] == "#id_message"
    assert "at most 1000 characters (it has 1002)" in page.select_one("#id_message_error").get_text()
    assert page.select_one("textarea#id_message").get_text().strip() == text.strip()
    assert page.select_one("textarea#id_message")["aria-invalid"] == "true"
    assert not NetworkMembership.objects.exists()


def test_visitors_get_no_form_assets(client, network):
    page = soup(client.get(network.url))
    assert page.select_one("script[src='/static/js/forms.js']") is None
