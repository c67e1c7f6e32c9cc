"""The evaluation arithmetic against values computed by hand (the working is in the comments)."""

import math
from fractions import Fraction

import pytest

from workflows.awards.aggregation import (
    Criterion,
    aggregate,
    exact,
    normalised_aggregate,
    rank,
    summarise,
    z_scores,
)

# A counts twice, B once; C is shown but independent (kept out of the total) and optional.
A = Criterion("A", weight=2)
B = Criterion("B", weight=1)
C = Criterion("C", weight=5, independent=True, required=False)
CRITERIA = [A, B, C]

EXPECTED = {
    "n1": {"m1", "m2", "m3"},
    "n2": {"m1", "m2", "m3"},
    "n3": {"m1", "m2"},  # m3 is excluded from n3 (its own country)
    "n4": {"m1", "m3"},
    "n5": {"m2", "m3"},
}
CATEGORY = {"n1": "existing", "n2": "existing", "n3": "new", "n4": "new", "n5": "new"}
SCORES = {
    # n1: A 4 5 3, B 3 3 2, C 5 1 3
    ("m1", "n1", "A"): 4, ("m2", "n1", "A"): 5, ("m3", "n1", "A"): 3,
    ("m1", "n1", "B"): 3, ("m2", "n1", "B"): 3, ("m3", "n1", "B"): 2,
    ("m1", "n1", "C"): 5, ("m2", "n1", "C"): 1, ("m3", "n1", "C"): 3,
    # n2: A 5 4 4, B 1 2 (m3 has not scored B), C 2 2 2
    ("m1", "n2", "A"): 5, ("m2", "n2", "A"): 4, ("m3", "n2", "A"): 4,
    ("m1", "n2", "B"): 1, ("m2", "n2", "B"): 2,
    ("m1", "n2", "C"): 2, ("m2", "n2", "C"): 2, ("m3", "n2", "C"): 2,
    # n3: A 2 5, B 4 1; m3's score is not expected and must be ignored
    ("m1", "n3", "A"): 2, ("m2", "n3", "A"): 5, ("m3", "n3", "A"): 0,
    ("m1", "n3", "B"): 4, ("m2", "n3", "B"): 1,
    # n4: A 4 3, B 3 2 — the same total as n3
    ("m1", "n4", "A"): 4, ("m3", "n4", "A"): 3,
    ("m1", "n4", "B"): 3, ("m3", "n4", "B"): 2,
    # n5: A 1 1, B 0 2
    ("m2", "n5", "A"): 1, ("m3", "n5", "A"): 1,
    ("m2", "n5", "B"): 0, ("m3", "n5", "B"): 2,
}  # fmt: skip


@pytest.fixture
def results():
    return aggregate(CRITERIA, SCORES, EXPECTED, threshold=2)


def test_statistics_of_one_criterion(results):
    a = results["n1"].criteria["A"].summary
    # 4, 5, 3: mean 12/3 = 4, median 4; squared deviations 0 + 1 + 1 = 2;
    # population std √(2/3) = 0.8165, sample std √(2/2) = 1; spread 5 − 3 = 2.
    assert (a.count, a.mean, a.median, a.minimum, a.maximum, a.spread) == (3, 4, 4, 3, 5, 2)
    assert a.std_population == pytest.approx(math.sqrt(2 / 3))
    assert a.std_sample == pytest.approx(1.0)
    b = results["n1"].criteria["B"].summary
    # 3, 3, 2: mean 8/3, median 3; deviations 1/3, 1/3, −2/3 → squares 6/9;
    # population std √(6/9 / 3) = √(2/9) = 0.4714, sample std √(6/9 / 2) = √(1/3) = 0.5774.
    assert (b.mean, b.median, b.spread) == (Fraction(8, 3), 3, 1)
    assert b.std_population == pytest.approx(math.sqrt(2 / 9))
    assert b.std_sample == pytest.approx(math.sqrt(1 / 3))


def test_weighted_total_leaves_out_the_independent_criterion(results):
    n1 = results["n1"]
    # 2 × 4 + 1 × 8/3 = 32/3; C (mean 3, weight 5) would have added 15.
    assert n1.total == Fraction(32, 3)
    # Members' totals: m1 2×4 + 3 = 11, m2 2×5 + 3 = 13, m3 2×3 + 2 = 8; mean 32/3, spread 5.
    assert n1.member_totals == {"m1": 11, "m2": 13, "m3": 8}
    assert n1.total_summary.mean == Fraction(32, 3)
    assert n1.total_summary.spread == 5
    # Received vs expected over the required criteria (A, B): 3 members × 2 = 6, all there.
    assert (n1.received, n1.expected, n1.complete) == (6, 6, True)
    assert n1.criteria["C"].summary.mean == 3


def test_missing_scores(results):
    n2 = results["n2"]
    # B has 2 scores of 3 expected: mean (1 + 2)/2 = 3/2. Total 2 × 13/3 + 3/2 = 52/6 + 9/6 = 61/6.
    assert n2.criteria["B"].received == 2
    assert n2.criteria["B"].expected == 3
    assert n2.total == Fraction(61, 6)
    # m3 did not score B: it has no total of its own; m1 2×5 + 1 = 11, m2 2×4 + 2 = 10.
    assert n2.member_totals == {"m1": 11, "m2": 10}
    assert (n2.received, n2.expected, n2.complete) == (5, 6, False)


def test_scores_of_an_excluded_member_are_ignored(results):
    n3 = results["n3"]
    # A: m1 2, m2 5 (m3's 0 ignored) → mean 7/2; B: 4, 1 → 5/2; total 2 × 7/2 + 5/2 = 19/2.
    assert n3.criteria["A"].summary.count == 2
    assert n3.criteria["A"].summary.mean == Fraction(7, 2)
    assert n3.total == Fraction(19, 2)


def test_disagreement_above_the_threshold(results):
    # Threshold 2 points: n1's C spread 5 − 1 = 4 > 2 (flagged, though independent); A's spread 2 is
    # not above 2. n3: A 5 − 2 = 3 and B 4 − 1 = 3, both above.
    assert results["n1"].disagreements == ["C"]
    assert results["n3"].disagreements == ["A", "B"]
    assert results["n4"].disagreements == []
    # On the total, the limit is 2 × (2 + 1) = 6 points: n1's totals spread 13 − 8 = 5 is within;
    # n3's members' totals m1 2×2 + 4 = 8 and m2 2×5 + 1 = 11 spread 3, within too.
    assert not results["n1"].total_disagreement
    assert results["n1"].flagged and not results["n4"].flagged


def test_disagreement_on_the_total():
    # One criterion of weight 3, threshold 1, so the limit on the total is 1 × 3 = 3 points.
    # Scores 1 and 2: spread 1 (not above 1); members' totals 3 and 6 spread 3 (not above 3).
    # Scores 1 and 3: spread 2 > 1; members' totals 3 and 9 spread 6 > 3.
    heavy = Criterion("H", weight=3)
    close = aggregate([heavy], {("a", "n", "H"): 1, ("b", "n", "H"): 2}, {"n": {"a", "b"}}, threshold=1)["n"]
    assert (close.disagreements, close.total_disagreement) == ([], False)
    far = aggregate([heavy], {("a", "n", "H"): 1, ("b", "n", "H"): 3}, {"n": {"a", "b"}}, threshold=1)["n"]
    assert (far.disagreements, far.total_disagreement) == (["H"], True)


def test_ranks_per_category_with_a_tie(results):
    ranking = rank(results, CATEGORY)
    # existing: n1 32/3 ≈ 10.67 before n2 61/6 ≈ 10.17.
    assert [(r.nomination, r.rank, r.tied) for r in ranking["existing"]] == [("n1", 1, False), ("n2", 2, False)]
    # new: n3 19/2 and n4 2 × 7/2 + 5/2 = 19/2 tie at rank 1; n5 2 × 1 + 1 = 3 is third
    # (competition ranking: 1, 1, 3).
    new = ranking["new"]
    assert {r.nomination for r in new[:2]} == {"n3", "n4"}
    assert [(r.rank, r.tied) for r in new] == [(1, True), (1, True), (3, False)]
    assert new[2].nomination == "n5" and new[2].total == 3


def test_a_nomination_without_scores_has_no_rank():
    results = aggregate([Criterion("A")], {("a", "n1", "A"): 2}, {"n1": {"a"}, "n2": {"a"}})
    assert results["n2"].total is None
    assert results["n2"].received == 0 and results["n2"].expected == 1
    assert [(r.nomination, r.rank) for r in rank(results, {"n1": "c", "n2": "c"})["c"]] == [("n1", 1), ("n2", None)]


def test_a_single_member():
    # One member, one score of 4: mean and median 4, population std 0, no sample std, spread 0.
    summary = summarise([4])
    assert (summary.count, summary.mean, summary.median, summary.spread) == (1, 4, 4, 0)
    assert summary.std_population == 0
    assert summary.std_sample is None
    only = aggregate([Criterion("A", weight=2)], {("solo", "n", "A"): 4}, {"n": {"solo"}}, threshold=0)["n"]
    assert only.total == 8 and only.member_totals == {"solo": 8}
    assert not only.flagged  # a spread of 0 is not above a threshold of 0
    assert z_scores({("solo", "n", "A"): 4}) == {("solo", "n", "A"): 0.0}


def test_median_of_an_even_count_and_exact_weights():
    assert summarise([1, 2, 4, 5]).median == 3  # (2 + 4) / 2
    assert exact(0.1) == Fraction(1, 10)
    # Decimal and float weights give exactly equal totals: 0.1 × 3 + 0.2 × 3 = 0.9 both ways.
    scores = {("a", "n1", "X"): 3, ("a", "n1", "Y"): 3, ("a", "n2", "X"): 3, ("a", "n2", "Y"): 3}
    from decimal import Decimal

    first = aggregate([Criterion("X", 0.1), Criterion("Y", 0.2)], scores, {"n1": {"a"}, "n2": {"a"}})
    second = aggregate([Criterion("X", Decimal("0.1")), Criterion("Y", Decimal("0.2"))], scores, {"n1": {"a"}})
    assert first["n1"].total == second["n1"].total == Fraction(9, 10)
    assert [r.tied for r in rank(first, {"n1": "c", "n2": "c"})["c"]] == [True, True]


# --- normalised view ------------------------------------------------------------------------------
Z_CRITERIA = [Criterion("A", weight=2), Criterion("B", weight=1)]
Z_EXPECTED = {"n1": {"m1", "m2"}, "n2": {"m1", "m2"}}
Z_SCORES = {
    # m1 scores 1, 3, 5, 3: mean 3, squared deviations 4 + 0 + 4 + 0 = 8, population std √(8/4) = √2.
    ("m1", "n1", "A"): 1, ("m1", "n1", "B"): 3, ("m1", "n2", "A"): 5, ("m1", "n2", "B"): 3,
    # m2 gives 4 everywhere: std 0, so every z-score is 0.
    ("m2", "n1", "A"): 4, ("m2", "n1", "B"): 4, ("m2", "n2", "A"): 4, ("m2", "n2", "B"): 4,
}  # fmt: skip


def test_z_scores_per_member():
    z = z_scores(Z_SCORES)
    root2 = math.sqrt(2)
    # m1: (1 − 3)/√2 = −√2, (3 − 3)/√2 = 0, (5 − 3)/√2 = √2.
    assert z[("m1", "n1", "A")] == pytest.approx(-root2)
    assert z[("m1", "n1", "B")] == pytest.approx(0)
    assert z[("m1", "n2", "A")] == pytest.approx(root2)
    assert all(z[key] == 0 for key in Z_SCORES if key[0] == "m2")


def test_totals_on_normalised_scores():
    raw = aggregate(Z_CRITERIA, Z_SCORES, Z_EXPECTED)
    # Raw: n1 A mean (1 + 4)/2 = 5/2, B (3 + 4)/2 = 7/2 → 2 × 5/2 + 7/2 = 17/2; n2 2 × 9/2 + 7/2 = 25/2.
    assert (raw["n1"].total, raw["n2"].total) == (Fraction(17, 2), Fraction(25, 2))
    normalised = normalised_aggregate(Z_CRITERIA, Z_SCORES, Z_EXPECTED)
    # n1: A mean (−√2 + 0)/2 = −√2/2, B mean 0 → 2 × (−√2/2) = −√2; n2: +√2.
    assert float(normalised["n1"].total) == pytest.approx(-math.sqrt(2))
    assert float(normalised["n2"].total) == pytest.approx(math.sqrt(2))
    # m1's own total on n1: 2 × (−√2) + 0 = −2√2; m2's is 0.
    assert float(normalised["n1"].member_totals["m1"]) == pytest.approx(-2 * math.sqrt(2))
    assert normalised["n1"].member_totals["m2"] == 0
    assert not normalised["n1"].flagged
