"""Scoring components, each with values computed by hand from the table in cooperation/scoring.py."""

import datetime

import pytest

from cooperation.scoring import MIN_SCORE, Profile, is_available, score
from search.similar import Similarity

TODAY = datetime.date(2026, 11, 30)


def need(**fields) -> Profile:
    return Profile(translation_key="need", **fields)


def offer(**fields) -> Profile:
    return Profile(translation_key="offer", **fields)


def codes(result) -> dict:
    return {reason["code"]: reason for reason in result.reasons}


def test_shared_targets_count_three_points_each_up_to_three():
    result = score(need(targets=frozenset({3, 8, 11, 19})), offer(targets=frozenset({3, 8, 11, 19, 2})), today=TODAY)
    assert codes(result)["targets"] == {"code": "targets", "points": 9.0, "values": [3, 8, 11, 19]}
    result = score(need(targets=frozenset({3, 8})), offer(targets=frozenset({8, 3, 5})), today=TODAY)
    assert result.total == 6.0
    assert codes(result)["targets"]["values"] == [3, 8]


def test_subjects_kind_and_languages():
    result = score(
        need(subjects=frozenset({10, 11}), kind="training", languages=frozenset({1, 2, 3})),
        offer(subjects=frozenset({11}), kind="training", languages=frozenset({1, 2, 3})),
        today=TODAY,
    )
    # one subject (2) + same kind (4) + languages capped at two (2)
    assert result.total == 8.0
    assert codes(result)["languages"]["values"] == [1, 2, 3]
    assert codes(result)["languages"]["points"] == 2.0
    different_kind = score(need(kind="funding"), offer(kind="training"), today=TODAY)
    assert different_kind.total == 0.0 and different_kind.reasons == []


def test_an_expert_answers_expertise_training_advice_and_data_but_not_funding():
    expert = Profile(translation_key="expert", is_expert=True)
    assert codes(score(need(kind="policy-advice"), expert, today=TODAY))["kind"]["points"] == 4.0
    assert score(need(kind="funding"), expert, today=TODAY).total == 0.0


def test_same_country_outranks_a_shared_region_and_is_not_counted_twice():
    # regions: id → depth (1 = continent, 2 = sub-region)
    in_senegal = need(countries=frozenset({7}), regions={100: 1, 101: 2})
    also_senegal = offer(countries=frozenset({7, 9}), regions={100: 1, 101: 2})
    same_country = score(in_senegal, also_senegal, today=TODAY)
    assert same_country.total == 3.0
    assert set(codes(same_country)) == {"country"}
    neighbour = offer(countries=frozenset({8}), regions={100: 1, 101: 2})
    region = codes(score(in_senegal, neighbour, today=TODAY))["region"]
    assert region == {"code": "region", "points": 2.0, "values": [101]}  # the most specific region is named
    elsewhere = offer(countries=frozenset({5}), regions={200: 1})
    assert score(in_senegal, elsewhere, today=TODAY).total == 0.0


def test_availability_now_later_or_too_late():
    assert codes(score(need(), offer(available_from=datetime.date(2026, 1, 1)), today=TODAY))["availability"] == {
        "code": "availability",
        "points": 1.0,
        "values": [],
    }
    later = offer(available_from=datetime.date(2027, 3, 1))
    assert codes(score(need(needed_by=datetime.date(2027, 6, 1)), later, today=TODAY))["availability"]["values"] == [
        "2027-03-01"
    ]
    assert score(need(needed_by=datetime.date(2027, 1, 1)), later, today=TODAY).total == 0.0
    assert score(need(), offer(), today=TODAY).total == 0.0  # no dates: nothing known
    assert not is_available(offer(available_until=datetime.date(2026, 11, 29)), TODAY)
    assert is_available(offer(available_until=TODAY), TODAY)


def test_text_similarity_scales_to_four_points_and_keeps_its_words():
    half = score(need(), offer(), Similarity(rank=0.15, words=["mangrove", "restoration"]), TODAY, "en")
    assert codes(half)["text"] == {
        "code": "text",
        "points": 2.0,
        "values": ["mangrove", "restoration"],
        "language": "en",
    }
    assert score(need(), offer(), Similarity(rank=0.9, words=["x"]), TODAY).total == 4.0
    assert score(need(), offer(), Similarity(rank=0.03, words=["x"]), TODAY).total == 0.0  # 0.4 point: no reason


def test_total_is_the_sum_of_the_components():
    result = score(
        need(targets=frozenset({3}), subjects=frozenset({1}), kind="data", countries=frozenset({4}), regions={9: 1}),
        offer(targets=frozenset({3}), subjects=frozenset({1}), kind="data", countries=frozenset({4}), regions={9: 1}),
        Similarity(rank=0.3, words=["wetland"]),
        TODAY,
    )
    # 3 (target) + 2 (subject) + 4 (kind) + 3 (country) + 4 (text)
    assert result.total == 16.0
    assert [reason["code"] for reason in result.reasons] == ["targets", "subjects", "kind", "country", "text"]
    assert result.total >= MIN_SCORE


@pytest.mark.parametrize("rank, points", [(0.0, 0.0), (0.06, 0.8), (0.3, 4.0)])
def test_text_points(rank, points):
    result = score(need(), offer(), Similarity(rank=rank, words=["a"]), TODAY)
    assert result.total == points
