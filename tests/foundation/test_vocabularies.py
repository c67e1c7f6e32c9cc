"""The vocabularies the data migrations load: GBF goals and targets, regions, countries, subjects."""

import re

import pytest
from django.db.models import Count
from django.utils import translation

from content_types.vocabularies.models import Country, GBFGoal, GBFTarget, Region, Subject

pytestmark = pytest.mark.django_db


def test_four_gbf_goals():
    goals = list(GBFGoal.objects.order_by("letter"))

    assert [(goal.letter, goal.code) for goal in goals] == [
        ("A", "GBF-A"),
        ("B", "GBF-B"),
        ("C", "GBF-C"),
        ("D", "GBF-D"),
    ]
    for goal in goals:
        assert goal.name_en and goal.name_fr and goal.name_es, goal.code


def test_twenty_three_gbf_targets_in_three_languages():
    targets = list(GBFTarget.objects.order_by("number"))

    assert [target.code for target in targets] == [f"GBF-T{number}" for number in range(1, 24)]
    assert [target.number for target in targets] == list(range(1, 24))
    for target in targets:
        assert target.name_en.strip(), target.code
        assert target.name_fr.strip() and target.name_fr != target.name_en, target.code
        assert target.name_es.strip() and target.name_es != target.name_en, target.code


def test_every_iso_country_and_the_european_union():
    assert Country.objects.count() == 250  # 249 ISO 3166-1 entries + the EU
    codes = set(Country.objects.values_list("code", flat=True))
    assert {"FR", "KE", "BR", "CN", "AQ", "EU", "PS", "VA"} <= codes
    for code in codes:
        assert re.fullmatch(r"[A-Z]{2}", code), code


def test_parties_to_the_convention():
    assert Country.objects.filter(is_party=True).count() == 196
    parties = set(Country.objects.filter(is_party=True).values_list("code", flat=True))
    assert {"FR", "KE", "BR", "CN", "EU"} <= parties
    assert "US" not in parties  # signed, never ratified
    assert "AQ" not in parties


def test_every_country_but_antarctica_and_the_eu_has_a_region():
    without_region = set(Country.objects.filter(region__isnull=True).values_list("code", flat=True))

    assert without_region == {"AQ", "EU"}


def test_regions_chain_up_to_the_world():
    world = Region.objects.get(code="001")
    assert world.parent_id is None
    assert world.name_en == "World"

    for region in Region.objects.select_related("parent"):
        seen, node = set(), region
        while node.parent_id is not None:
            assert node.pk not in seen, f"cycle at region {node.code}"
            seen.add(node.pk)
            node = node.parent
        assert node.code == "001", f"region {region.code} does not reach World"


def test_country_regions_nearest_first():
    france = Country.objects.get(code="FR")

    assert [region.code for region in france.regions()] == ["155", "150"]  # Western Europe, Europe
    kenya = Country.objects.get(code="KE")
    assert [region.code for region in kenya.regions()][-1] == "002"  # Africa


@pytest.mark.parametrize("model", [GBFGoal, GBFTarget, Region, Country, Subject])
def test_codes_are_unique(model):
    duplicates = model.objects.values("code").annotate(n=Count("pk")).filter(n__gt=1)

    assert not duplicates.exists()
    assert not model.objects.filter(code="").exists()


def test_subject_thesaurus_is_loaded():
    assert Subject.objects.count() > 0
    for subject in Subject.objects.all():
        assert re.fullmatch(r"SUBJ-[A-Z0-9-]+", subject.code), subject.code


def test_name_follows_the_active_language():
    france = Country.objects.get(code="FR")

    with translation.override("fr"):
        assert france.name == france.name_fr == "France"
    with translation.override("es"):
        assert france.name == "Francia"
    with translation.override("zh-hans"):
        assert france.name == france.name_zh and france.name_zh
    with translation.override("ar"):
        assert france.name == france.name_ar and france.name_ar
    with translation.override("en"):
        assert france.name == "France"


def test_name_falls_back_to_english():
    region = Region.objects.create(code="999", name_en="Test region", name_fr="Région d'essai")

    with translation.override("fr"):
        assert region.name == "Région d'essai"
    with translation.override("ru"):
        assert region.name == "Test region"
    with translation.override("zh-hans"):
        assert str(region) == "Test region"
