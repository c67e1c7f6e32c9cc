"""Record detail pages: every type in English, French and Arabic; JSON-LD; contact details."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from .factories import (
    RECORD_FACTORIES,
    DecisionFactory,
    ExpertProfileFactory,
    NationalReportFactory,
    NeedFactory,
    OfferFactory,
    OrganisationFactory,
    attach_document,
)

pytestmark = pytest.mark.django_db

EXPECTED_JSONLD_TYPES = {
    "national_report": "Report",
    "decision": "CreativeWork",
    "document_record": "CreativeWork",
    "organisation": "Organization",
    "project": "Project",
    "good_practice": "CreativeWork",
    "need": "CreativeWork",
    "offer": "CreativeWork",
    "expert_profile": "Person",
}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def jsonld(document: BeautifulSoup) -> dict:
    scripts = document.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def metadata(document: BeautifulSoup) -> dict[str, str]:
    dl = document.select_one("dl.metadata")
    return {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in dl.select("dt")}


@pytest.mark.parametrize("name", sorted(RECORD_FACTORIES))
def test_detail_page_renders_with_metadata_and_jsonld(client, index, name):
    record = RECORD_FACTORIES[name]()

    response = client.get(record.url)

    assert response.status_code == 200
    assert f"records/{name}_page.html" in [template.name for template in response.templates]
    document = soup(response)
    assert document.select_one("h1").get_text(strip=True) == record.title
    items = metadata(document)
    assert items["Identifier"] == record.identifier
    assert items["Licence"].startswith("Creative Commons Attribution 4.0")
    assert items["Source"] == "Published on this portal"
    data = jsonld(document)
    assert data["@type"] == EXPECTED_JSONLD_TYPES[name]
    assert data["name"] == record.title
    assert data["identifier"] == record.identifier
    assert document.select_one('meta[property="og:title"]')["content"] == record.title
    assert document.select_one('link[rel="canonical"]')["href"].endswith(record.url)


@pytest.mark.parametrize("name", sorted(RECORD_FACTORIES))
def test_detail_page_in_french_translation_and_arabic_alias(client, index, translate_to, name):
    record = RECORD_FACTORIES[name]()
    french = translate_to(record, "fr", title=f"Fiche {record.title}", draft_title=f"Fiche {record.title}")
    arabic = translate_to(record, "ar", alias=True)

    response = client.get(french.url)
    assert response.status_code == 200
    document = soup(response)
    assert document.html["lang"] == "fr"
    assert document.select_one("h1").get_text(strip=True) == f"Fiche {record.title}"
    if name != "expert_profile":  # a Person has no language of its own, only the ones it speaks
        assert jsonld(document)["inLanguage"] == "fr"
    assert french.url.startswith("/fr/records/")

    response = client.get(arabic.url)
    assert response.status_code == 200
    document = soup(response)
    assert document.html["lang"] == "ar"
    if name != "expert_profile":  # the alias shows the English text, and says so
        assert jsonld(document)["inLanguage"] == "en"
    assert document.html["dir"] == "rtl"
    assert document.select_one("h1").get_text(strip=True) == record.title
    # The "All records" link goes to the Arabic index, not the English one.
    assert document.select_one("main > p > a")["href"] == "/ar/records/"


def test_report_shows_sections_progress_and_indicators(client, index):
    report = NationalReportFactory()

    document = soup(client.get(report.url))

    section = document.select_one("section.report-section")
    assert "Conserve 30%" in section.select_one("h3").get_text()
    assert section.select_one(".badge").get_text(strip=True) == "On track to achieve the target"
    assert "A.1 Protected area coverage" in section.select_one("table").get_text()
    assert metadata(document)["Reporting period"] == "2019-01-01 – 2024-12-31"
    assert jsonld(document)["temporalCoverage"] == "2019-01-01/2024-12-31"


def test_decision_shows_paragraph_statuses(client, index):
    decision = DecisionFactory(number="16/22")

    document = soup(client.get(decision.url))

    rows = document.select("table.decision-paragraphs tbody tr")
    assert [row.select_one("th").get_text() for row in rows] == ["1", "2"]
    assert "Implemented" in rows[1].get_text()
    assert "Active: 1" in document.select_one("ul.tags").get_text()
    assert jsonld(document)["alternateName"] == "COP-16 16/22"


def test_attachments_show_title_type_and_size(client, index):
    record = NeedFactory()
    attach_document(record, title="Terms of reference", content=b"x" * 2048, filename="terms.pdf")

    document = soup(client.get(record.url))

    item = document.select_one("ul.attachments li")
    assert item.select_one("a").get_text() == "Terms of reference"
    assert "PDF" in item.get_text()
    assert "2.0\xa0KB" in item.get_text()


def test_harvested_record_shows_its_provenance(client, index):
    record = NeedFactory(
        source_portal="CHM of Belgium",
        source_url="https://www.biodiv.be/records/42",
        harvested_at=timezone.make_aware(datetime.datetime(2026, 10, 1, 12, 0)),
    )

    document = soup(client.get(record.url))

    source = metadata(document)["Source"]
    assert "Harvested from CHM of Belgium" in source
    assert document.select_one('a[href="https://www.biodiv.be/records/42"]') is not None
    assert "corrections are made there" in document.select_one("header .message").get_text()
    assert jsonld(document)["isBasedOn"] == "https://www.biodiv.be/records/42"


def test_related_records_link_to_the_translation_in_the_page_language(client, index, translate_to):
    from content_types.records.models import RelatedRecord

    organisation = OrganisationFactory(title="Institute")
    need = NeedFactory()
    RelatedRecord.objects.create(page=need, record=organisation, sort_order=0)
    french_organisation = translate_to(organisation, "fr", title="Institut", draft_title="Institut")
    french_need = translate_to(need, "fr", title="Besoin", draft_title="Besoin")

    english = soup(client.get(need.url)).select("#record-related ~ ul a")
    french = soup(client.get(french_need.url)).select("#record-related ~ ul a")

    assert [(a.get_text(), a["href"]) for a in english] == [("Institute", organisation.url)]
    assert [(a.get_text(), a["href"]) for a in french] == [("Institut", french_organisation.url)]


def test_expert_contact_is_hidden_from_anonymous_visitors(client, index):
    expert = ExpertProfileFactory(email="amina@example.org", phone="+221 33 123 45 67")

    response = client.get(expert.url)

    html = response.content.decode()
    assert "amina@example.org" not in html
    assert "123 45 67" not in html
    document = soup(response)
    assert "signed-in members only" in document.select_one(".contact-hidden").get_text()
    data = jsonld(document)
    assert "email" not in data
    assert "telephone" not in data


def test_expert_contact_is_shown_to_signed_in_members(client, index, submitter):
    expert = ExpertProfileFactory(email="amina@example.org", phone="+221 33 123 45 67")
    client.force_login(submitter)

    document = soup(client.get(expert.url))

    assert document.select_one('a[href="mailto:amina@example.org"]') is not None
    assert "+221 33 123 45 67" in document.select_one("dl.contact").get_text()
    data = jsonld(document)
    assert data["email"] == "amina@example.org"
    assert data["telephone"] == "+221 33 123 45 67"


def test_organisation_page_has_a_map_marker_and_geo_jsonld(client, index):
    organisation = OrganisationFactory()

    document = soup(client.get(organisation.url))

    markers = json.loads(document.select_one("#record-map-markers").string)
    assert markers == [
        {"lat": -1.2921, "lon": 36.8219, "title": organisation.title, "url": organisation.url, "label": "Organisation"}
    ]
    geo = jsonld(document)["location"]["geo"]
    assert (geo["latitude"], geo["longitude"]) == (-1.2921, 36.8219)


def test_user_supplied_text_is_escaped(client, index):
    record = NeedFactory(title="<script>alert(1)</script> need", summary="</script><b>bold</b>")

    html = client.get(record.url).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "</script><b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; need" in html


def test_an_experts_and_an_offers_organisation_is_linked_in_the_page_language(client, index, translate_to):
    """The organisation of an expert (and the provider of an offer) is linked by its record in the
    page's language where translated and published, named so in the JSON-LD; a draft organisation
    is named nowhere."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from content_types.base.languages import linked_page
    from content_types.records.models import OrganisationPage

    organisation = OrganisationFactory(title="Institute")
    french_organisation = translate_to(organisation, "fr", title="Institut", draft_title="Institut")
    expert = ExpertProfileFactory(organisation=organisation)
    offer = OfferFactory(provider_organisation=organisation)
    french_expert = translate_to(expert, "fr", title="Experte", draft_title="Experte")

    def organisation_link(page):
        document = soup(client.get(page.url))
        links = [a for a in document.select("dl.metadata a") if "/records/organisation" in a["href"]]
        return [(a.get_text(), a["href"]) for a in links], jsonld(document).get("worksFor")

    assert organisation_link(expert) == (
        [("Institute", organisation.url)],
        {"@type": "Organization", "name": "Institute"},
    )
    assert organisation_link(french_expert) == (
        [("Institut", french_organisation.url)],
        {"@type": "Organization", "name": "Institut"},
    )
    assert organisation_link(offer)[0] == [("Institute", organisation.url)]
    assert "Senegal" in soup(client.get(expert.url)).select_one("dl.metadata").get_text()

    with CaptureQueriesContext(connection) as captured:
        assert linked_page(french_expert, OrganisationPage, organisation.pk).pk == french_organisation.pk
    assert len(captured) == 1

    french_organisation.refresh_from_db()
    french_organisation.unpublish()  # its original stands in for it
    assert linked_page(french_expert, OrganisationPage, organisation.pk).pk == organisation.pk
    draft = OrganisationFactory(title="Draft institute", live=False)
    expert.organisation = draft
    expert.save_revision().publish()
    html = client.get(expert.url).content.decode()
    assert "Draft institute" not in html and "worksFor" not in html
