"""Records as models: identifiers, record types, validation by ``full_clean``, moderation off."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from content_types.records.identifiers import next_identifier
from content_types.records.models import (
    NationalReportPage,
    NeedPage,
    OrganisationPage,
    RecordPage,
    RecordType,
    record_types,
)

from .factories import (
    RECORD_FACTORIES,
    DecisionFactory,
    ExpertProfileFactory,
    NationalReportFactory,
    NeedFactory,
    OrganisationFactory,
    ProjectFactory,
    country,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(RECORD_FACTORIES))
def test_each_factory_makes_a_live_record_with_type_and_identifier(index, name):
    record = RECORD_FACTORIES[name]()

    assert record.live
    assert record.get_parent().pk == index.pk
    assert record.record_type == type(record).record_type_code
    assert record.identifier.startswith(f"CHM-{record.record_type}-")
    assert RecordPage.objects.get(pk=record.pk).identifier == record.identifier


def test_base_record_page_is_concrete_but_not_creatable():
    assert not RecordPage._meta.abstract
    assert RecordPage.is_creatable is False
    assert all(model.is_creatable for model in record_types())
    assert {model.record_type_code for model in record_types()} == set(RecordType.values)


def test_identifier_uses_type_country_year_and_a_sequence(index):
    first = NeedFactory(publication_date=datetime.date(2026, 3, 1))
    second = NeedFactory(publication_date=datetime.date(2026, 5, 1))
    other_year = NeedFactory(publication_date=datetime.date(2025, 5, 1))

    assert first.identifier == "CHM-NEED-FR-2026-0001"
    assert second.identifier == "CHM-NEED-FR-2026-0002"
    assert other_year.identifier == "CHM-NEED-FR-2025-0001"


def test_identifier_of_international_record_says_int(index):
    decision = DecisionFactory(publication_date=datetime.date(2024, 11, 1))
    several = NeedFactory(countries=[country("FR"), country("KE")], publication_date=datetime.date(2024, 1, 1))

    assert decision.identifier == "CHM-DECISION-INT-2024-0001"
    assert several.identifier == "CHM-NEED-INT-2024-0001"


def test_identifier_of_organisation_and_expert_follows_their_country(index):
    organisation = OrganisationFactory(publication_date=datetime.date(2023, 1, 1))
    expert = ExpertProfileFactory(publication_date=datetime.date(2023, 1, 1))

    assert organisation.identifier == "CHM-ORG-KE-2023-0001"
    assert expert.identifier == "CHM-EXPERT-SN-2023-0001"
    # The country field also classifies the record, so the Country filter finds it.
    assert [item.code for item in organisation.countries.all()] == ["KE"]


def test_typed_identifier_is_kept(index):
    record = NeedFactory(identifier="CHM-NEED-BR-2020-0042")

    assert record.identifier == "CHM-NEED-BR-2020-0042"


def test_duplicate_identifier_is_refused_with_a_clear_message(index):
    existing = NeedFactory()
    duplicate = NeedPage(
        title="Copy", slug="copy", needed="<p>x</p>", support_kind="data", identifier=existing.identifier
    )

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert "identifier" in error.value.message_dict
    assert existing.identifier in error.value.message_dict["identifier"][0]
    assert "already has the identifier" in error.value.message_dict["identifier"][0]


@pytest.mark.parametrize("value", ["NEED-1", "CHM-NEED-FRA-2026-0001", "chm-need-fr-2026-0001", "CHM-NEED-FR-26-1"])
def test_malformed_identifier_is_refused(index, value):
    record = NeedPage(title="Bad", slug="bad", needed="<p>x</p>", support_kind="data", identifier=value)

    with pytest.raises(ValidationError) as error:
        record.full_clean()

    assert "CHM-TYPE-COUNTRY-YEAR-NUMBER" in error.value.message_dict["identifier"][0]


def test_translations_and_aliases_share_the_identifier(index, translate_to):
    record = NeedFactory()
    french = translate_to(record, "fr", title="Besoin")
    arabic = translate_to(record, "ar", alias=True)

    assert french.identifier == record.identifier
    assert arabic.identifier == record.identifier
    # Sharing is not a duplicate: each row of the same translation_key still validates.
    french.full_clean()
    arabic.full_clean()


def test_a_copy_gets_its_own_identifier(index):
    record = NeedFactory()
    copy = record.copy(update_attrs={"slug": "need-copy", "title": "Copy"}, reset_translation_key=True)

    assert copy.identifier != record.identifier
    assert copy.identifier.startswith("CHM-NEED-FR-")


def test_next_identifier_skips_the_highest_number():
    prefix = "CHM-NEED-FR-2026-"
    assert next_identifier([], prefix) == "CHM-NEED-FR-2026-0001"
    assert next_identifier([f"{prefix}0001", f"{prefix}0007", "CHM-NEED-KE-2026-0099"], prefix) == f"{prefix}0008"


def test_reporting_period_cannot_be_inverted(index):
    report = NationalReportFactory.build(
        reporting_period_start=datetime.date(2024, 1, 1), reporting_period_end=datetime.date(2019, 1, 1)
    )

    with pytest.raises(ValidationError) as error:
        report.full_clean()

    assert "reporting_period_end" in error.value.message_dict


def test_project_cannot_end_before_it_starts_nor_have_negative_funding(index):
    project = ProjectFactory.build(
        start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2024, 1, 1), funding_amount=Decimal("-5")
    )

    with pytest.raises(ValidationError) as error:
        project.full_clean()

    messages = error.value.message_dict
    assert "funding_amount" in messages
    assert "cannot be negative" in messages["funding_amount"][0]


def test_project_end_before_start_alone(index):
    project = ProjectFactory.build(start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2024, 1, 1))

    with pytest.raises(ValidationError) as error:
        project.full_clean()

    assert error.value.message_dict["end_date"] == ["The project cannot end before it starts."]


@pytest.mark.parametrize(("latitude", "longitude", "field"), [(200, 10, "latitude"), (10, 500, "longitude")])
def test_coordinates_out_of_range_are_refused(index, latitude, longitude, field):
    organisation = OrganisationFactory.build(latitude=Decimal(latitude), longitude=Decimal(longitude))

    with pytest.raises(ValidationError) as error:
        organisation.full_clean()

    assert field in error.value.message_dict


def test_latitude_without_longitude_is_refused(index):
    organisation = OrganisationFactory.build(latitude=Decimal("10"), longitude=None)

    with pytest.raises(ValidationError) as error:
        organisation.full_clean()

    assert "longitude" in error.value.message_dict


def test_wagtail_moderation_is_off_for_records(index):
    record = NeedFactory()

    assert record.get_workflow() is None
    assert record.has_workflow is False


def test_translatable_fields_keep_identifiers_synchronised():
    from wagtail_localize.fields import get_translatable_fields

    kinds = {field.field_name: type(field).__name__ for field in get_translatable_fields(NationalReportPage)}
    assert kinds["identifier"] == "SynchronizedField"
    assert kinds["title"] == "TranslatableField"
    assert kinds["sections"] == "TranslatableField"
    organisation = {field.field_name: type(field).__name__ for field in get_translatable_fields(OrganisationPage)}
    assert organisation["acronym"] == "SynchronizedField"
