"""Translating an award cycle with wagtail-localize: names, descriptions, questions and scale
descriptors are translated; dates, weights, scales and eligibility rules are kept; the published
results follow the translated names in the translated page."""

import pytest

from content_types.awards.models import Phase
from tests.events.test_translation import extracted_strings, translate_with_localize

from .factories import make_cycle, make_result

pytestmark = pytest.mark.django_db


def test_a_cycle_is_translated_with_its_criteria_and_scales(client, awards, django_capture_on_commit_callbacks):
    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=True)
    strings = extracted_strings(cycle)
    assert {
        "CHM Award 2024",
        "COP-17",
        "Existing national CHMs",
        "Established before 2020.",
        "Content",
        "Content 3",
        "When was the national CHM established?",
        "Two or more",
        "Status of the national CHM",
    } <= strings
    assert "before" not in strings  # the eligibility rule is a setting, not text

    french = translate_with_localize(
        cycle,
        "fr",
        {
            "CHM Award 2024": "Prix du CHM 2024",
            "Existing national CHMs": "CHM nationaux existants",
            "Content": "Contenu",
            "Content 3": "Contenu 3",
        },
        django_capture_on_commit_callbacks,
    )

    category = french.categories.first()
    assert (category.name, category.eligibility, category.eligibility_date) == (
        "CHM nationaux existants",
        "before",
        cycle.categories.first().eligibility_date,
    )
    criterion = french.criteria.first()
    source_criterion = cycle.criteria.first()
    assert criterion.name == "Contenu"
    assert criterion.translation_key == source_criterion.translation_key
    assert (criterion.weight, criterion.scale_min, criterion.scale_max) == (
        source_criterion.weight,
        source_criterion.scale_min,
        source_criterion.scale_max,
    )
    assert (3, "Contenu 3") in criterion.scale_levels()
    assert (french.announcement, french.disagreement_threshold) == (cycle.announcement, cycle.disagreement_threshold)
    assert french.phase() == Phase.PUBLISHED

    results = client.get(french.url + "results/").content.decode()
    assert "CHM nationaux existants" in results
    assert "Contenu" in results
