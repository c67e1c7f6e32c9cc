"""Where suggestions show: signed-in readers of need, offer and expert pages only (never in the
anonymous, cacheable response nor in the cached fragments), the editors' board and the workspace."""

import pytest
from django.urls import reverse

from cms.accounts import roles
from tests.records.factories import country, target

pytestmark = pytest.mark.django_db

BLOCK = b'data-testid="match-suggestions"'


@pytest.fixture
def records(make_need, make_offer, make_expert, publish, make_user):
    owner = make_user("need-owner", roles.SUBMITTER)
    offer = make_offer(title="Mangrove nursery training", offer_kind="training", gbf_targets=[target(8)])
    expert = make_expert(gbf_targets=[target(2)], email="hidden-expert@example.org", phone="+221 77 123 45 67")
    need = publish(make_need(owner=owner))
    return {"need": need, "offer": offer, "expert": expert, "owner": owner}


def test_anonymous_visitors_see_nothing_of_it_even_after_a_member_filled_the_cache(client, records, make_user):
    need = records["need"]
    client.force_login(make_user("member", roles.SUBMITTER))
    member_view = client.get(need.url)
    assert BLOCK in member_view.content and b"Mangrove nursery training" in member_view.content
    assert b"Shares GBF target 8" in member_view.content
    assert "private" in member_view["Cache-Control"]
    client.logout()
    anonymous = client.get(need.url)  # the page's fragments are now cached
    assert anonymous.status_code == 200
    assert BLOCK not in anonymous.content and b"Mangrove nursery training" not in anonymous.content
    assert b"Propose this match" not in anonymous.content
    assert "public" in anonymous["Cache-Control"]
    # A shared cache keys the public copy on the cookie: a signed-in reader never gets it, nor the reverse.
    assert "Cookie" in anonymous["Vary"] and "private" not in anonymous["Cache-Control"]
    assert "no-cache" in member_view["Cache-Control"] and "public" not in member_view["Cache-Control"]
    client.force_login(make_user("member-2", roles.SUBMITTER))
    again = client.get(need.url)  # fragments from the cache, the block rendered anew
    assert BLOCK in again.content and b"Mangrove nursery training" in again.content


def test_expert_contact_details_never_show_in_suggestions(client, records, make_user):
    client.force_login(records["owner"])
    content = client.get(records["need"].url).content
    assert records["expert"].title.encode() in content
    assert b"hidden-expert@example.org" not in content and b"+221 77 123 45 67" not in content


def test_offer_pages_list_the_needs_they_could_answer(client, records, make_user):
    offer = records["offer"]
    assert BLOCK not in client.get(offer.url).content
    client.force_login(make_user("member", roles.SUBMITTER))
    content = client.get(offer.url).content
    assert BLOCK in content and records["need"].title.encode() in content
    assert b"Propose this match" not in content  # proposing is done from the need's side


def test_the_propose_button_shows_to_those_who_may_propose(client, records, make_user):
    client.force_login(make_user("member", roles.SUBMITTER))
    assert b"Propose this match" not in client.get(records["need"].url).content
    client.force_login(records["owner"])
    assert b"Propose this match" in client.get(records["need"].url).content


def test_the_board_is_for_editors(client, records, make_user):
    client.force_login(make_user("member", roles.SUBMITTER))
    assert client.get(reverse("cooperation:board")).status_code == 403
    client.logout()
    assert client.get(reverse("cooperation:board")).status_code == 302
    client.force_login(make_user("editor", roles.EDITOR))
    response = client.get(reverse("cooperation:board"))
    assert response.status_code == 200
    assert records["need"].title.encode() in response.content
    assert b"Mangrove nursery training" in response.content


def test_board_filters_by_target_and_region(client, records, make_user, make_need, publish):
    other = publish(make_need(title="Forest inventory", gbf_targets=[target(15)], countries=[country("FR")]))
    client.force_login(make_user("editor", roles.EDITOR))
    by_target = client.get(reverse("cooperation:board"), {"target": "GBF-T15"}).content
    assert other.title.encode() in by_target and records["need"].title.encode() not in by_target
    africa = client.get(reverse("cooperation:board"), {"region": "002"}).content
    assert records["need"].title.encode() in africa and other.title.encode() not in africa
    unknown = client.get(reverse("cooperation:board"), {"region": "<script>", "target": "nope"})
    assert unknown.status_code == 200 and other.title.encode() in unknown.content


def test_the_board_costs_the_same_queries_for_few_or_many_needs(
    client, records, make_user, make_need, publish, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_user("editor", roles.EDITOR))
    client.get(reverse("cooperation:board"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cooperation:board"))
    for number in range(6):
        publish(make_need(title=f"Need number {number}", slug=f"board-need-{number}"))
    client.get(reverse("cooperation:board"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("cooperation:board"))
    assert response.content.count(b"Propose this match") >= 7
    assert len(many) == len(few)


def test_the_submitter_sees_suggestions_for_its_own_needs(client, records, make_user):
    client.force_login(records["owner"])
    response = client.get(reverse("cooperation:mine"))
    assert response.status_code == 200
    assert records["need"].title.encode() in response.content
    assert b"Mangrove nursery training" in response.content
    client.force_login(make_user("someone-else", roles.SUBMITTER))
    other = client.get(reverse("cooperation:mine"))
    assert records["need"].title.encode() not in other.content


def test_a_need_page_costs_the_same_queries_with_two_or_five_suggestions(
    client, make_user, make_need, make_offer, publish
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cooperation.suggestions import refresh_need

    for number in range(2):
        make_offer(title=f"Offer {number}", offer_kind="training", gbf_targets=[target(8)], slug=f"o-{number}")
    need = publish(make_need())
    client.force_login(make_user("member", roles.SUBMITTER))

    def count() -> int:
        client.get(need.url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(need.url)
        assert response.status_code == 200
        return len(captured), response.content.count(b'class="match-item"')

    few = count()
    for number in range(2, 5):
        make_offer(title=f"Offer {number}", offer_kind="training", gbf_targets=[target(8)], slug=f"o-{number}")
    refresh_need(need)
    many = count()
    assert (few[1], many[1]) == (2, 5)
    assert many[0] == few[0]
