"""Demo pages written in batches: the same pages, identifiers, translations and aliases as one by one."""

import datetime
from decimal import Decimal

import pytest
from wagtail.models import Locale, Page

from cms.demo.pages import PageBatch, get_or_create_child, translate
from content_types.records.identifiers import allocate_identifier, allocate_identifiers
from content_types.records.models import NeedPage, OrganisationPage, RecordPage
from content_types.vocabularies.models import Country, GBFTarget

pytestmark = pytest.mark.django_db


def organisation_fields(number: int, country) -> dict:
    return {
        "title": f"Organisation {number}",
        "summary": "Works on the framework.",
        "organisation_type": "ngo",
        "country": country,
        "latitude": Decimal("48.8"),
        "longitude": Decimal("2.3"),
        "publication_date": datetime.date(2024, 5, 1),
        "gbf_targets": [GBFTarget.objects.get(number=3)],
    }


def test_allocate_identifiers_gives_what_allocating_one_by_one_gives():
    prefix = "CHM-NEED-FR-2024-"
    used = [f"{prefix}0007"]  # stored without the counter (typed or harvested)

    assert [allocate_identifier(prefix, used) for _ in range(2)] == [f"{prefix}0008", f"{prefix}0009"]
    assert allocate_identifiers(prefix, used, 3) == [f"{prefix}{n:04d}" for n in (10, 11, 12)]
    assert allocate_identifiers(prefix, used, 0) == []
    assert allocate_identifier(prefix, used) == f"{prefix}0013"  # the counter moved past the batch
    other = "CHM-NEED-KE-2024-"
    assert allocate_identifiers(other, [f"{other}0041"], 2) == [f"{other}0042", f"{other}0043"]


def test_a_batch_writes_what_one_by_one_would(index):
    """Derived fields (the type's code, its country among the countries), identifiers in order, a
    translation where asked, an alias in every other locale; a page asked again is the same page."""
    france = Country.objects.get(code="FR")
    batch = PageBatch(index, OrganisationPage, size=2)
    pages = []
    for number in range(3):
        page, created = batch.get_or_create(f"organisation-{number}", **organisation_fields(number, france))
        assert created
        pages.append(page)
    again, created = batch.get_or_create("organisation-1", **organisation_fields(1, france))
    assert again is pages[1] and not created
    batch.translate(pages[2], "fr", title="Organisation deux", draft_title="Organisation deux")
    batch.flush()
    batch.translate(pages[0], "fr", title="Organisation zéro", draft_title="Organisation zéro")  # already written

    # One by one, for comparison: the next identifier of the same prefix.
    single, _created = get_or_create_child(index, OrganisationPage, "organisation-9", **organisation_fields(9, france))
    translate(single, "fr", title="Organisation neuf", draft_title="Organisation neuf")

    written = [OrganisationPage.objects.get(pk=page.pk) for page in pages]
    assert [page.identifier for page in written] + [single.identifier] == [
        f"CHM-ORG-FR-2024-{n:04d}" for n in range(1, 5)
    ]
    for page in [*written, single]:
        assert page.live and page.record_type == "ORG" and page.url_path.startswith(index.url_path)
        assert list(page.countries.all()) == [france]
    for page in written:  # one by one, the aliases come from the tree synchronisation at the end
        versions = RecordPage.objects.filter(translation_key=page.translation_key)
        assert versions.count() == Locale.objects.count()
        assert all(version.identifier == page.identifier for version in versions)
    french = Locale.objects.get(language_code="fr")
    for page, title in (
        (written[0], "Organisation zéro"),
        (written[2], "Organisation deux"),
        (single, "Organisation neuf"),
    ):
        translation = OrganisationPage.objects.get(translation_key=page.translation_key, locale=french)
        assert translation.alias_of_id is None and translation.title == title
        assert list(translation.countries.all()) == [france]
        assert [target.number for target in translation.gbf_targets.all()] == [3]
    aliases = OrganisationPage.objects.filter(translation_key=written[1].translation_key, alias_of__isnull=False)
    assert aliases.count() == Locale.objects.count() - 1
    for alias in aliases:
        assert alias.get_parent().locale_id == alias.locale_id and alias.title == "Organisation 1"
        assert [target.number for target in alias.gbf_targets.all()] == [3]
    assert Page.find_problems() == ([], [], [], [], [])

    # A second run finds them all.
    rerun = PageBatch(index, OrganisationPage)
    found, created = rerun.get_or_create("organisation-2", **organisation_fields(2, france))
    assert not created and found.pk == pages[2].pk
    rerun.flush()
    assert OrganisationPage.objects.filter(locale=index.locale).count() == 4


def test_a_batch_writes_in_a_few_statements_whatever_its_size(index):
    """Bounded round trips: a batch of 40 pages is written with the statements a batch of 10 takes;
    only what publishing tells the rest of the portal (``page_published``, read per page) grows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def write(count: int, start: int) -> tuple[int, int]:
        batch = PageBatch(index, NeedPage, size=1000)
        for number in range(start, start + count):
            batch.get_or_create(
                f"need-{number}",
                title=f"Need {number}",
                summary="Training.",
                needed="<p>Training.</p>",
                support_kind="training",
                urgency="high",
                status="open",
                publication_date=datetime.date(2024, 1, 1),
                gbf_targets=[GBFTarget.objects.get(number=3)],
            )
        with CaptureQueriesContext(connection) as queries:
            batch.flush()
        statements = [query["sql"] for query in queries.captured_queries]
        return len([sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))]), len(statements)

    small_writes, small_total = write(10, 0)
    large_writes, large_total = write(40, 100)
    assert large_writes == small_writes
    assert large_total - small_total <= 2 * 30  # the tombstone receiver: two reads a page
