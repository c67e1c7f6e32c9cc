"""The arithmetic of an award evaluation: pure functions over plain values, no database.

Inputs are the cycle's criteria and the scores as a mapping ``(member, nomination, criterion key)
→ score``, with the members expected to score each nomination (a member excluded by its country or
a declared conflict is not expected, and its scores, if any, are ignored). Everything is computed in
exact fractions, so that equal totals are found equal (ties) whatever the weights; standard
deviations, which need a square root, are floats.

Definitions (the committee's spreadsheet, written down):

- per nomination and criterion: the scores received from the expected members, their mean, median,
  population standard deviation (divisor n) and sample standard deviation (divisor n − 1, None
  below two scores), lowest, highest and spread (highest − lowest); received vs expected members;
- weighted total of a nomination: Σ weight × mean score over the criteria that are not independent
  (a criterion nobody scored adds nothing, and the nomination is incomplete);
- a member's total on a nomination: Σ weight × its score over the same criteria, only when it
  scored all of them; the spread of those totals is the disagreement on the total;
- strong disagreement: the spread on a criterion exceeds the cycle's threshold, or the spread of the
  members' totals exceeds the threshold × the sum of the weights (the same points per criterion);
- ranks per category: competition ranking ("1224"): equal totals share a rank, the next rank
  skips as many places as were shared, and every nomination sharing a rank is flagged as tied;
- normalised view: each member's scores as z-scores over all its scores (its mean and population
  standard deviation; a member who gave one score, or always the same, gets 0), then the same
  totals on them, to see lenient or harsh scoring.
"""

import math
import statistics
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

Number = int | float | Decimal | Fraction
ScoreKey = tuple[Hashable, Hashable, Hashable]  # (member, nomination, criterion key)


def exact(value: Number) -> Fraction:
    """A score or weight as an exact fraction (a float by its shortest decimal form: 0.1 is 1/10)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


@dataclass(frozen=True)
class Criterion:
    key: Hashable
    weight: Number = 1
    scale_min: int = 0
    scale_max: int = 5
    independent: bool = False
    required: bool = True


@dataclass(frozen=True)
class Summary:
    """Descriptive statistics of a list of scores (or of members' totals)."""

    count: int
    mean: Fraction | None
    median: Fraction | None
    std_population: float | None
    std_sample: float | None
    minimum: Fraction | None
    maximum: Fraction | None

    @property
    def spread(self) -> Fraction | None:
        return None if self.count == 0 else self.maximum - self.minimum


def summarise(values: Iterable[Number]) -> Summary:
    numbers = [exact(value) for value in values]
    if not numbers:
        return Summary(0, None, None, None, None, None, None)
    count = len(numbers)
    mean = sum(numbers, Fraction(0)) / count
    # The deviations only feed square roots: floats are exact enough and much faster.
    centre = float(mean)
    squares = math.fsum((float(number) - centre) ** 2 for number in numbers)
    return Summary(
        count=count,
        mean=mean,
        median=Fraction(statistics.median(numbers)),
        std_population=math.sqrt(squares / count),
        std_sample=math.sqrt(squares / (count - 1)) if count > 1 else None,
        minimum=min(numbers),
        maximum=max(numbers),
    )


@dataclass
class CriterionResult:
    criterion: Criterion
    summary: Summary
    expected: int

    @property
    def received(self) -> int:
        return self.summary.count


@dataclass
class NominationResult:
    nomination: Hashable
    criteria: dict[Hashable, CriterionResult]
    total: Fraction | None
    member_totals: dict[Hashable, Fraction]
    total_summary: Summary
    received: int
    expected: int
    disagreements: list[Hashable] = field(default_factory=list)
    total_disagreement: bool = False

    @property
    def complete(self) -> bool:
        return self.received == self.expected

    @property
    def flagged(self) -> bool:
        return bool(self.disagreements) or self.total_disagreement


def aggregate(
    criteria: Iterable[Criterion],
    scores: Mapping[ScoreKey, Number],
    expected: Mapping[Hashable, Collection[Hashable]],
    threshold: Number | None = None,
) -> dict[Hashable, NominationResult]:
    """Per nomination of ``expected`` (nomination → members who should score it): the statistics
    of each criterion, the weighted total, the members' totals and the disagreement flags.
    Received vs expected counts the scores on required criteria only."""
    criteria = list(criteria)
    counted = [criterion for criterion in criteria if not criterion.independent]
    weight_sum = sum((exact(criterion.weight) for criterion in counted), Fraction(0))
    by_nomination: dict[Hashable, dict[tuple[Hashable, Hashable], Fraction]] = defaultdict(dict)
    for (member, nomination, key), score in scores.items():
        if nomination in expected and member in expected[nomination] and score is not None:
            by_nomination[nomination][(member, key)] = exact(score)

    results = {}
    for nomination, members in expected.items():
        given = by_nomination.get(nomination, {})
        per_criterion = {}
        for criterion in criteria:
            values = [given[(member, criterion.key)] for member in members if (member, criterion.key) in given]
            per_criterion[criterion.key] = CriterionResult(criterion, summarise(values), expected=len(members))
        scored = [criterion for criterion in counted if per_criterion[criterion.key].summary.count]
        total = (
            sum(
                (exact(criterion.weight) * per_criterion[criterion.key].summary.mean for criterion in scored),
                Fraction(0),
            )
            if scored
            else None
        )
        member_totals = {
            member: sum(
                (exact(criterion.weight) * given[(member, criterion.key)] for criterion in counted), Fraction(0)
            )
            for member in members
            if counted and all((member, criterion.key) in given for criterion in counted)
        }
        required = [criterion for criterion in criteria if criterion.required]
        result = NominationResult(
            nomination=nomination,
            criteria=per_criterion,
            total=total,
            member_totals=member_totals,
            total_summary=summarise(member_totals.values()),
            received=sum(per_criterion[criterion.key].received for criterion in required),
            expected=len(members) * len(required),
        )
        if threshold is not None:
            limit = exact(threshold)
            result.disagreements = [
                criterion.key
                for criterion in criteria
                if per_criterion[criterion.key].summary.count and per_criterion[criterion.key].summary.spread > limit
            ]
            spread = result.total_summary.spread
            result.total_disagreement = spread is not None and spread > limit * weight_sum
        results[nomination] = result
    return results


@dataclass(frozen=True)
class Ranked:
    nomination: Hashable
    total: Fraction | None
    rank: int | None
    tied: bool


def rank(
    results: Mapping[Hashable, NominationResult], category_of: Mapping[Hashable, Hashable]
) -> dict[Hashable, list[Ranked]]:
    """Nominations per category, highest total first, with competition ranks ("1224") and ties
    flagged. A nomination without any score has no rank and comes last."""
    groups: dict[Hashable, list[NominationResult]] = defaultdict(list)
    for nomination, result in results.items():
        groups[category_of[nomination]].append(result)
    ranking = {}
    for category, members in groups.items():
        totals = [result.total for result in members if result.total is not None]
        ordered = sorted(members, key=lambda result: (result.total is None, -(result.total or 0)))
        ranking[category] = [
            Ranked(
                nomination=result.nomination,
                total=result.total,
                rank=None if result.total is None else 1 + sum(1 for other in totals if other > result.total),
                tied=result.total is not None and totals.count(result.total) > 1,
            )
            for result in ordered
        ]
    return ranking


def z_scores(scores: Mapping[ScoreKey, Number]) -> dict[ScoreKey, float]:
    """Each score as (score − the member's mean) / the member's population standard deviation, over
    all the member's scores; 0 when that deviation is 0 (or too small to tell from rounding)."""
    by_member: dict[Hashable, list[Fraction]] = defaultdict(list)
    for (member, _nomination, _key), score in scores.items():
        if score is not None:
            by_member[member].append(exact(score))
    moments = {}
    for member, values in by_member.items():
        summary = summarise(values)
        moments[member] = (summary.mean, summary.std_population)
    normalised = {}
    for key, score in scores.items():
        if score is None:
            continue
        mean, std = moments[key[0]]
        normalised[key] = 0.0 if std < 1e-12 else float(exact(score) - mean) / std
    return normalised


def normalised_aggregate(
    criteria: Iterable[Criterion],
    scores: Mapping[ScoreKey, Number],
    expected: Mapping[Hashable, Collection[Hashable]],
) -> dict[Hashable, NominationResult]:
    """The same aggregation on z-scores (no disagreement flags: the threshold is in raw points)."""
    # Fraction(float) is exact and fast; ``exact`` would parse each z-score's decimal form.
    normalised = {key: Fraction(value) for key, value in z_scores(scores).items()}
    return aggregate(criteria, normalised, expected, threshold=None)
