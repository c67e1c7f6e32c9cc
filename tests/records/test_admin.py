"""Editing records in the Wagtail admin as an Editor: creation, validation messages, kept input."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content_types.records.models import NeedPage, RecordPage, record_types

from .factories import NeedFactory, country, target

pytestmark = pytest.mark.django_db


def add_url(model, parent) -> str:
    return reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def record_data(**fields) -> dict:
    """What the admin form posts for a record: shared fields, empty inlines, then ``fields``."""
    m2m = {
        name: fields.pop(name)
        for name in ("countries", "regions", "gbf_targets", "subjects", "languages")
        if name in fields
    }
    inlines = {name: fields.pop(name) for name in ("sections", "paragraphs") if name in fields}
    data = nested_form_data(
        {
            "title": "Typed title",
            "slug": "typed-title",
            "summary": "Typed summary",
            "identifier": "",
            "publication_date": "2026-02-01",
            "licence": "CC-BY-4.0",
            "source_portal": "",
            "source_url": "",
            "harvested_at": "",
            "body": streamfield([]),
            "attachments": inline_formset([]),
            "related_records": inline_formset([]),
            "comments": inline_formset([]),
            **inlines,
            **fields,
        }
    )
    data.update({name: [item.pk for item in items] for name, items in m2m.items()})
    return data


def need_data(**fields) -> dict:
    defaults = {
        "needed": rich_text("<p>Typed need text</p>"),
        "support_kind": "training",
        "urgency": "high",
        "status": "open",
        "needed_by": "",
        "countries": [country("FR")],
        "gbf_targets": [target(3)],
    }
    return record_data(**{**defaults, **fields})


def errors_of(response) -> str:
    document = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(
        node.get_text(" ", strip=True) for node in document.select(".error-message, .help-critical, .w-field__errors")
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_editor_creates_and_publishes_a_need_with_a_generated_identifier(editor_client, index):
    response = editor_client.post(add_url(NeedPage, index), {**need_data(), "action-publish": "action-publish"})

    assert response.status_code == 302, errors_of(response)
    need = NeedPage.objects.get(slug="typed-title", locale__language_code="en")
    assert need.live
    assert need.identifier == "CHM-NEED-FR-2026-0001"
    assert [item.code for item in need.gbf_targets.all()] == ["GBF-T3"]
    assert need.get_parent().pk == index.pk


def test_need_without_gbf_target_is_refused_and_input_kept(editor_client, index):
    response = editor_client.post(add_url(NeedPage, index), need_data(gbf_targets=[], title="My typed need"))

    assert response.status_code == 200
    assert "Choose at least one value for “GBF targets”." in response.content.decode()
    form = response.context["form"]
    assert form.data["title"] == "My typed need"
    assert 'value="My typed need"' in response.content.decode()
    assert "Typed need text" in response.content.decode()
    assert not NeedPage.objects.filter(slug="typed-title").exists()


def test_removing_every_target_from_an_existing_need_is_refused(editor_client, index):
    need = NeedFactory()

    response = editor_client.post(edit_url(need), need_data(gbf_targets=[], title=need.title, slug=need.slug))

    assert response.status_code == 200
    assert "Choose at least one value for “GBF targets”." in response.content.decode()
    need.refresh_from_db()
    assert need.gbf_targets.count() == 1


def test_duplicate_identifier_is_refused_in_the_admin(editor_client, index):
    existing = NeedFactory()

    response = editor_client.post(add_url(NeedPage, index), need_data(identifier=existing.identifier))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Another record already has the identifier {existing.identifier}" in html
    assert f'value="{existing.identifier}"' in html


def test_malformed_identifier_is_refused_in_the_admin(editor_client, index):
    response = editor_client.post(add_url(NeedPage, index), need_data(identifier="NEED-42"))

    assert response.status_code == 200
    assert "CHM-TYPE-COUNTRY-YEAR-NUMBER" in response.content.decode()


def project_data(**overrides) -> dict:
    """An ongoing project that ends before it starts, with ``overrides``."""
    fields = {
        "status": "ongoing",
        "start_date": "2026-06-01",
        "end_date": "2025-06-01",
        "implementing_agencies": "",
        "funding_amount": "",
        "funding_currency": "",
        "funders": "",
        "latitude": "",
        "longitude": "",
    }
    return record_data(**{**fields, **overrides})


def test_project_dates_and_negative_funding_are_refused(editor_client, index):
    from content_types.records.models import ProjectPage

    data = project_data(implementing_agencies="UNDP", funding_amount="-100", funding_currency="USD")

    response = editor_client.post(add_url(ProjectPage, index), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "A funding amount cannot be negative." in html
    assert 'value="-100"' in html


def test_project_ending_before_it_starts_is_refused(editor_client, index):
    from content_types.records.models import ProjectPage

    data = project_data()

    response = editor_client.post(add_url(ProjectPage, index), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "The project cannot end before it starts." in html
    assert 'value="2025-06-01"' in html


def test_latitude_200_is_refused(editor_client, index):
    from content_types.records.models import OrganisationPage

    data = record_data(
        acronym="NBI",
        organisation_type="academic",
        country=country("KE").pk,
        address="",
        website="",
        latitude="200",
        longitude="36.8",
    )

    response = editor_client.post(add_url(OrganisationPage, index), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ensure this value is less than or equal to 90." in html
    assert 'value="200"' in html
    assert not OrganisationPage.objects.filter(slug="typed-title").exists()


def test_inverted_reporting_period_and_duplicate_target_sections_are_refused(editor_client, index):
    from content_types.records.models import NationalReportPage

    section = {
        "target": target(3).pk,
        "national_target": "x",
        "progress": "on-track",
        "narrative": rich_text("<p>n</p>"),
        "indicators": streamfield([]),
    }
    data = record_data(
        reporting_period_start="2024-12-31",
        reporting_period_end="2019-01-01",
        sections=inline_formset([section, dict(section)]),
    )

    response = editor_client.post(add_url(NationalReportPage, index), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "The reporting period must end on or after the day it starts." in html
    assert "The report has two sections for target 3; merge them into one." in html


@pytest.mark.parametrize("model", record_types(), ids=lambda model: model.__name__)
def test_add_form_of_every_type_renders_its_tabs(editor_client, index, model):
    response = editor_client.get(add_url(model, index))

    assert response.status_code == 200
    html = response.content.decode()
    for tab in ("Classification", "Record metadata", "Provenance"):
        assert tab in html
    assert 'name="identifier"' in html


def test_only_concrete_types_are_offered_under_the_records_index(editor_client, index):
    response = editor_client.get(reverse("wagtailadmin_pages:add_subpage", args=[index.pk]))

    assert response.status_code == 200
    offered = {(app_label, model_name) for _name, app_label, model_name, _description in response.context["page_types"]}
    assert offered == {(model._meta.app_label, model._meta.model_name) for model in record_types()}
    assert ("records", RecordPage._meta.model_name) not in offered


def test_edit_view_offers_no_wagtail_moderation(editor_client, index):
    need = NeedFactory()

    response = editor_client.get(edit_url(need))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action-submit"' not in html
    assert 'name="action-publish"' in html


@pytest.mark.parametrize("role_fixture", ["submitter", "reviewer"])
def test_people_without_admin_access_cannot_create_records(client, index, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))

    response = client.post(add_url(NeedPage, index), {**need_data(), "action-publish": "action-publish"})

    assert response.status_code in (302, 403)
    assert not NeedPage.objects.filter(slug="typed-title").exists()


def test_anonymous_visitor_is_sent_to_login(client, index):
    response = client.get(add_url(NeedPage, index))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_edit_keeps_the_identifier_even_when_the_field_is_cleared(editor_client, index):
    need = NeedFactory(publication_date=datetime.date(2025, 1, 1))
    identifier = need.identifier

    response = editor_client.post(
        edit_url(need),
        {**need_data(title="Renamed need", slug=need.slug, publication_date="2025-01-01"), "action-publish": "1"},
    )

    assert response.status_code == 302, errors_of(response)
    need.refresh_from_db()
    assert need.title == "Renamed need"
    assert need.identifier == identifier


def test_preview_of_a_new_need_renders_the_typed_content(editor_client, index):
    url = reverse("wagtailadmin_pages:preview_on_add", args=["records", "needpage", index.pk])

    posted = editor_client.post(url, need_data(title="Previewed need"))
    assert posted.status_code == 200
    assert posted.json()["is_valid"] is True

    response = editor_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Previewed need" in html
    assert "Typed need text" in html


def test_preview_of_an_existing_record_with_attachments(editor_client, index):
    from .factories import attach_document

    need = NeedFactory()
    attach_document(need, title="Annex for preview")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[need.pk])

    editor_client.post(url, need_data(title="Edited in preview", slug=need.slug))
    response = editor_client.get(url)

    assert response.status_code == 200
    assert "Edited in preview" in response.content.decode()
