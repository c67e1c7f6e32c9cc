"""The parts of record, event and network pages kept rendered in the cache (cms.page_fragments), and
the cached routing (cms.home.routing.CachedRoutingMiddleware): what a cached page shows is what a
freshly rendered one shows, a change shows at once, and nothing personal is shared."""

import datetime
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms import content_version
from tests.events.factories import EventFactory
from tests.records.factories import RECORD_FACTORIES, ExpertProfileFactory, country, target

pytestmark = pytest.mark.django_db

WARM_BUDGET = 4  # a page whose route and own content are cached: view restrictions, little else


def article(response) -> str:
    """The page's own content (the frame around it carries a nonce that changes per request)."""
    html = response.content.decode()
    return re.search(r"<main.*</main>", html, re.S).group(0)


def head_metadata(response) -> str:
    html = response.content.decode()
    return re.search(r'<script type="application/ld\+json">.*?</script>', html, re.S).group(0)


def get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(captured)


@pytest.mark.parametrize("code", list(RECORD_FACTORIES))
def test_a_cached_record_page_shows_what_a_fresh_one_shows_for_fewer_queries(client, site_pages, code):
    record = RECORD_FACTORIES[code](title="Cached record", countries=[country("FR")], gbf_targets=[target(3)])
    first, cold = get(client, record.url)
    second, warm = get(client, record.url)

    assert article(second) == article(first)
    assert head_metadata(second) == head_metadata(first)
    assert "Cached record" in article(second)
    assert warm <= WARM_BUDGET < cold, (cold, warm)


def test_a_change_to_a_record_shows_at_once(client, site_pages):
    record = RECORD_FACTORIES["need"](title="Before the change", countries=[country("FR")])
    client.get(record.url)
    assert "Before the change" in article(client.get(record.url))

    record.title = "After the change"
    record.save_revision().publish()

    response = client.get(record.url)
    assert "After the change" in article(response)
    assert "Before the change" not in response.content.decode()


def test_a_changed_record_is_read_again_by_its_id_without_routing_its_address_again(client, site_pages):
    """The address of a page whose own content changed still names it (a new address, unpublishing or
    moving retire every kept route): the kept route's page is read again in one query instead of the
    site, the locale and every page along the address."""
    record = RECORD_FACTORIES["need"](title="Before the change", countries=[country("FR")])
    _response, cold = get(client, record.url)
    get(client, record.url)

    record.title = "After the change"
    record.save_revision().publish()
    with mock.patch("cms.home.routing.CachedRoutingMiddleware._route") as route:
        response, after_change = get(client, record.url)
    route.assert_not_called()
    assert "After the change" in article(response)
    assert after_change < cold

    old_url = record.url
    record.slug = "a-new-address"  # a new address: routed from the start, the old one is gone
    record.save_revision().publish()
    record.refresh_from_db()
    assert record.url.endswith("/a-new-address/") and record.url != old_url
    assert "After the change" in article(client.get(record.url))
    assert client.get(old_url).status_code == 404


def test_a_changed_event_and_its_own_routes_are_read_again_by_id_without_routing_again(client, site_pages):
    """An event page routes its own sub-addresses (its calendar file): after its own change, the kept
    route's page is read again by its id for the page and for that route alike."""
    event = EventFactory(title="Before the change")
    ical = event.url + "ical/"
    _response, cold = get(client, event.url)
    get(client, event.url)
    assert b"Before the change" in client.get(ical).content

    event.title = "After the change"
    event.save_revision().publish()
    with mock.patch("cms.home.routing.CachedRoutingMiddleware._route") as route:
        response, after_change = get(client, event.url)
        calendar = client.get(ical)
    route.assert_not_called()
    assert "After the change" in article(response)
    assert after_change < cold
    assert calendar.status_code == 200 and b"After the change" in calendar.content
    assert b"Before the change" not in calendar.content


def test_an_alias_shows_its_original_s_change_read_again_by_its_id(client, site_pages, translate_to):
    record = RECORD_FACTORIES["need"](title="Before the change", countries=[country("FR")])
    alias = translate_to(record, "fr", alias=True)
    _response, cold = get(client, alias.url)
    get(client, alias.url)

    record.title = "After the change"
    with mock.patch("cms.home.routing.CachedRoutingMiddleware._route") as route:
        record.save_revision().publish()  # Wagtail brings the alias up to date
        response, after_change = get(client, alias.url)
    route.assert_not_called()
    assert "After the change" in article(response)
    assert after_change < cold


def test_an_unpublished_record_is_no_longer_routed_to(client, site_pages):
    record = RECORD_FACTORIES["need"](title="Soon gone")
    assert client.get(record.url).status_code == 200
    assert client.get(record.url).status_code == 200  # now from the cached route

    record.unpublish()

    assert client.get(record.url).status_code == 404


def test_an_experts_contact_is_never_cached_for_others(client, site_pages, submitter):
    expert = ExpertProfileFactory(email="amina@example.org", phone="+221 33 123 45 67")
    client.force_login(submitter)
    assert "amina@example.org" in client.get(expert.url).content.decode()
    assert "amina@example.org" in client.get(expert.url).content.decode()  # from the members' parts
    client.logout()

    html = client.get(expert.url).content.decode()

    assert "amina@example.org" not in html
    assert "123 45 67" not in html
    assert "Contact details are shown to signed-in members only." in html


def test_members_see_an_experts_contact_after_anonymous_visitors_were_served(client, site_pages, submitter):
    expert = ExpertProfileFactory(email="amina@example.org", phone="+221 33 123 45 67")
    client.get(expert.url)
    anonymous, warm = get(client, expert.url)
    assert "amina@example.org" not in anonymous.content.decode() and warm <= WARM_BUDGET

    client.force_login(submitter)
    html = client.get(expert.url).content.decode()

    assert "amina@example.org" in html and "+221 33 123 45 67" in head_metadata(client.get(expert.url))


def test_an_event_page_says_when_registration_closes_without_an_edit(client, site_pages):
    now = timezone.now()
    event = EventFactory(
        title="Cached event",
        start=now + datetime.timedelta(days=10),
        end=now + datetime.timedelta(days=11),
        registration_url="https://example.org/register",
        registration_deadline=now + datetime.timedelta(days=2),
    )
    assert "Registration is closed" not in article(client.get(event.url))
    _, warm = get(client, event.url)
    assert warm <= WARM_BUDGET

    later = now + datetime.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get(event.url)

    assert "Registration is closed" in article(response)


def test_pages_are_rendered_when_the_cache_is_down(client, site_pages):
    record = RECORD_FACTORIES["need"](title="Without a cache", countries=[country("KE")])
    fresh = article(client.get(record.url))

    with mock.patch.object(content_version, "current", return_value=None):
        first, cold = get(client, record.url)
        second, again = get(client, record.url)

    assert article(first) == article(second) == fresh
    assert again == cold  # nothing was kept


def test_a_preview_is_never_served_from_the_cache(admin_client, site_pages):
    record = RECORD_FACTORIES["need"](title="Published title")
    admin_client.get(record.url)
    admin_client.get(record.url)
    record.title = "Draft title"
    record.save_revision()

    preview = admin_client.get(f"/admin/pages/{record.pk}/view_draft/")

    assert preview.status_code == 200
    assert "Draft title" in preview.content.decode()
    assert "Draft title" not in admin_client.get(record.url).content.decode()
