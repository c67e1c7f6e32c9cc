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


def test_demo_targets_follow_the_subjects_the_text_is_about(index):
    """As an editor would classify: a record's GBF targets are its subjects' targets (main one first),
    with one target the text does not support on a few records only; subjects follow the title."""
    from content_types.records import demo_data as data
    from content_types.records.models import (
        DecisionPage,
        DocumentRecordPage,
        GoodPracticePage,
        NeedPage,
        OfferPage,
        ProjectPage,
    )
    from content_types.vocabularies.models import Subject

    assert set(data.SUBJECT_TARGETS) == set(Subject.objects.values_list("code", flat=True))
    build_records(DemoContext(progress=silent, scale=0.3))

    records = RecordPage.objects.filter(locale__language_code="en").specific()
    written_from_one_subject = [
        page
        for page in records
        if isinstance(page, (DocumentRecordPage, GoodPracticePage, NeedPage, OfferPage, ProjectPage))
    ]
    assert len(written_from_one_subject) >= 30
    noisy = 0
    for page in written_from_one_subject:
        (subject,) = page.subjects.all()
        assert subject.name_en.lower() in page.title.lower() + page.summary.lower()
        mapped = set(data.SUBJECT_TARGETS[subject.code])
        targets = {target.number for target in page.gbf_targets.all()}
        assert data.SUBJECT_TARGETS[subject.code][0] in targets, page.title  # the main target, always
        assert len(targets - mapped) <= 1, page.title
        noisy += bool(targets - mapped)
    # About one in ten (NOISE_TARGET_SHARE), with room for a small sample; random targets: nearly all.
    assert noisy <= len(written_from_one_subject) * 0.3

    decisions = DecisionPage.objects.filter(locale__language_code="en").prefetch_related("gbf_targets", "subjects")
    assert decisions
    for decision in decisions:
        named = data.DECISION_SUBJECTS[decision.number]
        subjects = {subject.code for subject in decision.subjects.all()}
        assert named[0] in subjects and subjects <= set(named), decision.title
        targets = {target.number for target in decision.gbf_targets.all()}
        assert data.SUBJECT_TARGETS[named[0]][0] in targets, decision.title
