"""Fixtures of the matchmaking tests: records that are published (indexed, suggestions refreshed)."""

import pytest

from cms.accounts import roles
from content_types.vocabularies.models import Language, Subject
from tests.records.factories import ExpertProfileFactory, NeedFactory, OfferFactory, country, records_index, target


def language(code: str) -> Language:
    return Language.objects.get(code=code)


def subject(index: int = 0) -> Subject:
    return Subject.objects.order_by("code")[index]


@pytest.fixture
def index(site_pages):
    """The English Records index (the site structure is built once per session)."""
    return records_index("en")


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """``publish(page)``: publish a revision as the admin would; indexing and refresh run on commit."""

    def run(page, user=None):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision(user=user).publish(user=user)
        return page

    return run


@pytest.fixture
def make_need(index):
    def make(**fields):
        fields.setdefault("title", "Mangrove restoration along the coast")
        fields.setdefault("summary", "Senegal asks for training on mangrove restoration in coastal wetlands.")
        fields.setdefault("needed", "<p>Training for rangers on mangrove nurseries and wetland restoration.</p>")
        fields.setdefault("countries", [country("SN")])
        fields.setdefault("gbf_targets", [target(2), target(8)])
        fields.setdefault("languages", [language("fr")])
        return NeedFactory(**fields)

    return make


@pytest.fixture
def make_offer(index):
    def make(**fields):
        fields.setdefault("title", "Training on urban parks")
        fields.setdefault("summary", "Courses on the design of city parks.")
        fields.setdefault("description", "<p>Landscape architects teach park design.</p>")
        fields.setdefault("offer_kind", "funding")
        return OfferFactory(**fields)

    return make


@pytest.fixture
def make_expert(index):
    def make(**fields):
        return ExpertProfileFactory(**fields)

    return make


def profile(user, country_code=None):
    user.profile.country = country(country_code) if country_code else None
    user.profile.save()
    return user


@pytest.fixture
def people(make_user):
    return {
        "need_owner": profile(make_user("need-owner", roles.SUBMITTER), "SN"),
        "provider": profile(make_user("provider", roles.SUBMITTER), "FR"),
        "secretariat": make_user("secretariat", roles.EDITOR),
        "senegal_editor": profile(make_user("senegal-editor", roles.EDITOR), "SN"),
        "kenya_editor": profile(make_user("kenya-editor", roles.EDITOR), "KE"),
        "stranger": profile(make_user("stranger", roles.SUBMITTER), "SN"),
    }


@pytest.fixture
def pair(people, make_need, make_offer, publish):
    offer = make_offer(offer_kind="training", gbf_targets=[target(8)], owner=people["provider"])
    need = publish(make_need(owner=people["need_owner"]))
    return need, offer
