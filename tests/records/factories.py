"""Factories for every record type. Records are created under the English Records index."""

import datetime
from decimal import Decimal

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from content_types.records.models import (
    DecisionPage,
    DecisionParagraph,
    DocumentRecordPage,
    ExpertProfilePage,
    GoodPracticePage,
    NationalReportPage,
    NeedPage,
    OfferPage,
    OrganisationPage,
    ProjectPage,
    RecordAttachment,
    RecordIndexPage,
    ReportTargetSection,
)
from content_types.vocabularies.models import Country, GBFTarget


def records_index(language: str = "en") -> RecordIndexPage:
    return RecordIndexPage.objects.get(locale__language_code=language)


def target(number: int) -> GBFTarget:
    return GBFTarget.objects.get(number=number)


def country(code: str) -> Country:
    return Country.objects.get(code=code)


class RecordFactory(wagtail_factories.PageFactory):
    """Shared defaults: under the English index, published, with a summary and a date."""

    parent = factory.LazyFunction(records_index)
    title = factory.Sequence(lambda n: f"Record {n}")
    slug = factory.Sequence(lambda n: f"record-{n}")
    summary = factory.Faker("sentence", nb_words=12)
    publication_date = datetime.date(2025, 6, 1)
    live = True

    class Meta:
        abstract = True


class NationalReportFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"National report {n}")
    slug = factory.Sequence(lambda n: f"national-report-{n}")
    reporting_period_start = datetime.date(2019, 1, 1)
    reporting_period_end = datetime.date(2024, 12, 31)
    countries = factory.LazyFunction(lambda: [country("FR")])
    sections = factory.LazyFunction(
        lambda: [
            ReportTargetSection(
                target=target(3),
                national_target="Protect 30% of land and sea by 2030.",
                progress="on-track",
                narrative="<p>New marine protected areas.</p>",
                indicators=[
                    (
                        "indicator_value",
                        {
                            "indicator": "A.1 Protected area coverage",
                            "value": Decimal("27.4"),
                            "unit": "%",
                            "year": 2024,
                        },
                    )
                ],
            )
        ]
    )

    class Meta:
        model = NationalReportPage


class DecisionFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Decision {n}")
    slug = factory.Sequence(lambda n: f"decision-{n}")
    meeting = "COP-16"
    # The counter is shared by every record factory: keep the number within the three digits allowed.
    number = factory.Sequence(lambda n: f"16/{n % 999 + 1}")
    paragraphs = factory.LazyFunction(
        lambda: [
            DecisionParagraph(
                number="1",
                text="Urges Parties to act.",
                paragraph_type="operational",
                status="active",
                actors="Parties",
            ),
            DecisionParagraph(
                number="2",
                text="Takes note of the report.",
                paragraph_type="informational",
                status="implemented",
                actors="Executive Secretary",
            ),
        ]
    )

    class Meta:
        model = DecisionPage


class DocumentRecordFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Guidance document {n}")
    slug = factory.Sequence(lambda n: f"document-{n}")
    document_type = "guidance"
    authors = "Ana Silva\nNational Biodiversity Agency"
    publisher = "Government of Brazil"
    pages = 42

    class Meta:
        model = DocumentRecordPage


class OrganisationFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Biodiversity Institute {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    acronym = "BI"
    organisation_type = "academic"
    country = factory.LazyFunction(lambda: country("KE"))
    address = "Museum Hill, Nairobi"
    website = "https://institute.example.org/"
    latitude = Decimal("-1.2921")
    longitude = Decimal("36.8219")

    class Meta:
        model = OrganisationPage


class ProjectFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Restoration project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    status = "ongoing"
    start_date = datetime.date(2024, 1, 1)
    end_date = datetime.date(2027, 12, 31)
    implementing_agencies = "Ministry of Environment\nUNDP"
    funding_amount = Decimal("250000.00")
    funding_currency = "USD"
    funders = "Global Environment Facility"
    latitude = Decimal("14.7167")
    longitude = Decimal("-17.4677")

    class Meta:
        model = ProjectPage


class GoodPracticeFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Good practice {n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")
    challenge = "<p>Invasive species on islands.</p>"
    approach = "<p>Community-led eradication.</p>"
    results = "<p>Seabirds returned.</p>"
    lessons = "<p>Start with biosecurity.</p>"

    class Meta:
        model = GoodPracticePage


class NeedFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Need {n}")
    slug = factory.Sequence(lambda n: f"need-{n}")
    needed = "<p>Training on species distribution modelling.</p>"
    support_kind = "training"
    urgency = "high"
    status = "open"
    countries = factory.LazyFunction(lambda: [country("FR")])
    gbf_targets = factory.LazyFunction(lambda: [target(3)])

    class Meta:
        model = NeedPage


class OfferFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Offer {n}")
    slug = factory.Sequence(lambda n: f"offer-{n}")
    offer_kind = "expertise"
    provider = "Biodiversity Institute"
    description = "<p>Two experts for a week.</p>"
    capacity = "Two missions a year"

    class Meta:
        model = OfferPage


class ExpertProfileFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Expert Person {n}")
    slug = factory.Sequence(lambda n: f"expert-{n}")
    position = "Senior ecologist"
    expertise = "Invasive alien species\nIsland restoration"
    country = factory.LazyFunction(lambda: country("SN"))
    email = factory.Sequence(lambda n: f"expert{n}@example.org")
    phone = "+221 33 000 00 00"

    class Meta:
        model = ExpertProfilePage


RECORD_FACTORIES = {
    "national_report": NationalReportFactory,
    "decision": DecisionFactory,
    "document_record": DocumentRecordFactory,
    "organisation": OrganisationFactory,
    "project": ProjectFactory,
    "good_practice": GoodPracticeFactory,
    "need": NeedFactory,
    "offer": OfferFactory,
    "expert_profile": ExpertProfileFactory,
}


def attach_document(record, title="Annex", content=b"%PDF-1.4 demo", filename="annex.pdf") -> RecordAttachment:
    """A Wagtail document attached to ``record`` (saved)."""
    document = get_document_model().objects.create(title=title, file=ContentFile(content, name=filename))
    return RecordAttachment.objects.create(page=record, document=document, title=title, sort_order=0)
