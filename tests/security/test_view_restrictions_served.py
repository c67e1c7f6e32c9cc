"""Pages served from their stored routes obey view restrictions exactly as Wagtail's check does, and
a page no restriction concerns reads none (cms/view_restrictions.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, PageViewRestriction

from cms import view_restrictions
from tests.records.factories import NeedFactory, OrganisationFactory, country

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarded(site_pages):
    """An English record and its Arabic alias (below the Arabic records section, an alias itself)."""
    record = NeedFactory(title="Guarded need", countries=[country("FR")])
    arabic = record.copy_for_translation(Locale.objects.get(language_code="ar"), copy_parents=False, alias=True)
    return record, arabic


def statuses(client, *pages) -> list[int]:
    return [client.get(page.url).status_code for page in pages]


def test_a_page_served_from_its_stored_route_reads_no_restriction(client, guarded):
    record, arabic = guarded
    assert statuses(client, record, arabic) == [200, 200]  # the routes are stored
    for page in (record, arabic):
        with CaptureQueriesContext(connection) as warm:
            assert client.get(page.url).status_code == 200
        sqls = [query["sql"] for query in warm.captured_queries]
        assert not [sql for sql in sqls if "wagtailcore_pageviewrestriction" in sql or '"alias_of_id" FROM' in sql]


def test_a_restriction_added_after_the_routes_were_stored_applies_at_once(client, guarded, site_pages, editor):
    record, arabic = guarded
    assert statuses(client, record, arabic) == [200, 200]
    # On the English section. The Arabic section is its translation, with restrictions of its own
    # (none): the Arabic alias of the record stays public, as with Wagtail's check.
    restriction = PageViewRestriction.objects.create(
        page=site_pages["records"], restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(record.url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert statuses(client, arabic) == [200]
    restriction.delete()
    assert statuses(client, record, arabic) == [200, 200]
    # On the record itself: its alias has no restrictions of its own, it has the original's.
    PageViewRestriction.objects.create(page=record, restriction_type=PageViewRestriction.LOGIN)
    assert statuses(client, record, arabic) == [302, 302]
    client.force_login(editor)
    assert statuses(client, record, arabic) == [200, 200]


def test_a_password_restriction_still_asks_for_its_password(client, guarded):
    record, _arabic = guarded
    assert statuses(client, record) == [200]
    PageViewRestriction.objects.create(page=record, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    response = client.get(record.url)
    assert response.status_code == 200 and b'name="password"' in response.content
    assert b"Guarded need" not in response.content.split(b"<main")[-1]


def about_alias(site_pages):
    """An alias of the About section and of its pages, beside it: pages below an alias of a restricted page."""
    return site_pages["about"].create_alias(recursive=True, parent=site_pages["home"], update_slug="about-again")


def test_pages_below_an_alias_have_the_restrictions_of_its_original(client, site_pages):
    alias = about_alias(site_pages)
    below = alias.get_children().first()
    assert below.alias_of_id is not None and statuses(client, below) == [200]
    PageViewRestriction.objects.create(page=site_pages["about"], restriction_type=PageViewRestriction.LOGIN)
    assert statuses(client, below) == [302]


def test_the_restrictions_found_are_wagtails_for_every_page(guarded, site_pages):
    record, arabic = guarded
    other = OrganisationFactory(title="Unrestricted organisation", countries=[country("KE")])
    about_alias(site_pages)
    for page in (site_pages["records"], record, site_pages["about"]):
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    pages = list(Page.objects.filter(depth__gt=1).specific())
    assert {record.pk, arabic.pk, other.pk} <= {page.pk for page in pages}
    for page in pages:
        wagtails = set(Page.get_view_restrictions(page).values_list("page_id", flat=True))
        view_restrictions.remember_ancestors(page)
        assert set(page.get_view_restrictions().values_list("page_id", flat=True)) == wagtails, page.url_path


def test_public_pages_are_those_wagtail_finds_without_reading_the_restrictions_each_time(guarded, site_pages):
    from wagtail.query import PageQuerySet

    wagtails = PageQuerySet.private_q.wagtails
    record, arabic = guarded

    def compare():
        everything = Page.objects.all()
        expected = set(everything.exclude(wagtails(everything)).values_list("pk", flat=True))
        assert set(Page.objects.public().values_list("pk", flat=True)) == expected
        assert (
            set(Page.objects.not_public().values_list("pk", flat=True))
            == set(everything.values_list("pk", flat=True)) - expected
        )

    compare()  # no restriction at all
    about_alias(site_pages)
    for page in (site_pages["records"], record, site_pages["about"]):
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        compare()
    assert record.pk not in set(Page.objects.public().values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as built:
        Page.objects.live().public().exists()
    assert not [query for query in built.captured_queries if "pageviewrestriction" in query["sql"]]
