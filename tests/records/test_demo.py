"""The records demo: every type, classified and located, partly in French; deterministic and idempotent."""

import pytest

from cms.demo.registry import DemoContext
from content_types.records.demo import build_records
from content_types.records.models import OrganisationPage, RecordPage, record_types

pytestmark = pytest.mark.django_db


def silent(iterable, *args, **kwargs):
    return iterable


def snapshot() -> list[tuple]:
    return list(
        RecordPage.objects.order_by("locale__language_code", "identifier").values_list(
            "locale__language_code", "identifier", "title", "slug"
        )
    )


def test_demo_builds_every_type_deterministically_and_idempotently(index):
    context = DemoContext(progress=silent, scale=0.1)

    build_records(context)
    first = snapshot()
    build_records(context)

    assert snapshot() == first  # nothing added or changed by a second run
    english = RecordPage.objects.filter(locale__language_code="en")
    assert {type(page) for page in english.specific()} == set(record_types())
    assert english.filter(gbf_targets__isnull=False).distinct().count() >= english.count() * 0.8
    assert english.filter(countries__isnull=False).distinct().exists()
    assert RecordPage.objects.filter(locale__language_code="fr", alias_of__isnull=True).exists()
    assert all(page.has_coordinates for page in OrganisationPage.objects.filter(locale__language_code="en"))
    assert len({identifier for _language, identifier, _title, _slug in first}) == english.count()
