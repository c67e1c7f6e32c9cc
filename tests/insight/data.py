"""Content for the insight tests: each country of a list gets a national report, a decision, a need,
an offer, an event and an organisation in a shared network — "N countries' worth of data"."""

import datetime

from content_types.records.models import DecisionParagraph, ReportTargetSection
from content_types.records.models.reports import ProgressLevel
from content_types.vocabularies.models import Country, GBFTarget
from tests.events.factories import EventFactory
from tests.networks.factories import MembershipFactory, NetworkFactory
from tests.records.factories import (
    DecisionFactory,
    NationalReportFactory,
    NeedFactory,
    OfferFactory,
    OrganisationFactory,
)

LEVELS = [value for value, _label in ProgressLevel.choices]


def party_countries(count: int, offset: int = 0) -> list[Country]:
    """Parties with an M49 number (those the map can colour), in a stable order."""
    return list(Country.objects.filter(is_party=True).exclude(m49="").order_by("code")[offset : offset + count])


def build_country(country: Country, index: int, network=None) -> dict:
    """One country's worth of published content (English pages)."""
    target1, target3 = GBFTarget.objects.get(number=1), GBFTarget.objects.get(number=3)
    code = country.code.lower()
    report = NationalReportFactory(
        title=f"Sixth national report of {country.name_en}",
        slug=f"report-{code}-{index}",
        countries=[country],
        reporting_period_start=datetime.date(2019, 1, 1),
        reporting_period_end=datetime.date(2023 + index % 2, 12, 31),
        publication_date=datetime.date(2024, 3, 1),
        sections=[
            ReportTargetSection(target=target1, progress=LEVELS[index % len(LEVELS)]),
            ReportTargetSection(target=target3, progress=LEVELS[(index + 1) % len(LEVELS)]),
        ],
    )
    decision = DecisionFactory(
        title=f"Decision on {country.name_en}",
        slug=f"decision-{code}-{index}",
        meeting="COP-16",
        number=f"16/{index % 900 + 1}",
        countries=[country],
        gbf_targets=[target1, target3],
        paragraphs=[
            DecisionParagraph(
                number="1",
                text=f"Invites {country.name_en} to restore degraded ecosystems.",
                status="active",
                actors="Parties; Executive Secretary",
            ),
            DecisionParagraph(number="2", text="Takes note of the report.", status="implemented", actors="Parties"),
        ],
    )
    need = NeedFactory(
        title=f"Need of {country.name_en}",
        slug=f"need-{code}-{index}",
        countries=[country],
        gbf_targets=[target3],
        status="matched" if index % 3 == 0 else "open",
        publication_date=datetime.date(2024 + index % 2, 5, 1),
    )
    offer = OfferFactory(
        title=f"Offer for {country.name_en}",
        slug=f"offer-{code}-{index}",
        countries=[country],
        gbf_targets=[target3],
        publication_date=datetime.date(2025, 2, 1),
    )
    event = EventFactory(
        title=f"Workshop in {country.name_en}",
        slug=f"workshop-{code}-{index}",
        countries=[country],
        venue_country=country,
    )
    organisation = OrganisationFactory(
        title=f"Biodiversity agency of {country.name_en}", slug=f"agency-{code}-{index}", country=country
    )
    if network is not None:
        MembershipFactory(network=network, organisation=organisation)
    return {"report": report, "decision": decision, "need": need, "offer": offer, "event": event}


def build_countries(count: int, offset: int = 0, network=None) -> list[Country]:
    countries = party_countries(count, offset)
    for index, country in enumerate(countries, start=offset):
        build_country(country, index, network)
    return countries


def shared_network():
    return NetworkFactory(title="Restoration network", slug="restoration-network")
