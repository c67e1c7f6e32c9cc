"""Fixtures of the listing-address tests: one small data set that every faceted listing can filter."""

import datetime

import pytest

from content_types.vocabularies.models import Language, Subject
from tests.events.factories import EventFactory, in_days
from tests.networks.factories import MembershipFactory, NetworkFactory
from tests.records.factories import NeedFactory, OrganisationFactory, country, target

THIS_YEAR = in_days(30).year


@pytest.fixture
def listed(site_pages):
    """Two items in each listing; the first of each matches every filter of ``FULL_QUERIES``."""
    french = Language.objects.get(code="fr")
    ias = Subject.objects.get(code="SUBJ-IAS")
    return {
        "records": (
            NeedFactory(
                title="French need",
                countries=[country("FR")],
                gbf_targets=[target(3)],
                subjects=[ias],
                languages=[french],
                publication_date=datetime.date(2025, 3, 1),
            ),
            OrganisationFactory(
                title="Kenyan institute", countries=[country("KE")], publication_date=datetime.date(2024, 5, 1)
            ),
        ),
        "events": (
            EventFactory(
                title="French workshop",
                countries=[country("FR")],
                gbf_targets=[target(3)],
                subjects=[ias],
                languages=[french],
            ),
            EventFactory(title="Kenyan workshop", event_type="forum", countries=[country("KE")]),
        ),
        "networks": (
            NetworkFactory(
                title="French network",
                countries=[country("FR")],
                gbf_targets=[target(3)],
                subjects=[ias],
                languages=[french],
            ),
            MembershipFactory(
                network=NetworkFactory(title="Kenyan network", kind="partnership", countries=[country("KE")])
            ).network,
        ),
    }


# Every filter each listing has, written in codes; only the first item of ``listed`` matches.
FULL_QUERIES = {
    "records": "type=need&country=FR&region=150&target=GBF-T3&subject=SUBJ-IAS&language=fr&year=2025",
    "events": f"type=workshop&country=FR&region=150&target=GBF-T3&subject=SUBJ-IAS&language=fr&year={THIS_YEAR}",
    "networks": "type=network&scope=global&country=FR&region=150&target=GBF-T3&subject=SUBJ-IAS&language=fr&year=2015",
}
