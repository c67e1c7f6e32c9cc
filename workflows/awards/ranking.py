"""The committee's aggregated view of a cycle, read in a fixed number of queries whatever its size.

It feeds :mod:`workflows.awards.aggregation` with the cycle's criteria, every score of its accepted
nominations and, per nomination, the members expected to score it (not from its country, no
declared conflict); then ranks per category and flags ties and strong disagreements.
"""

from dataclasses import dataclass, field

from . import aggregation
from .models import Committee, Conflict, Nomination, NominationState, Score


@dataclass
class Row:
    nomination: Nomination
    result: aggregation.NominationResult
    normalised: aggregation.NominationResult
    rank: int | None
    tied: bool

    @property
    def total(self):
        return self.result.total

    @property
    def flagged(self) -> bool:
        return self.result.flagged


@dataclass
class Evaluation:
    criteria: list
    rows: list[Row]
    categories: list
    by_category: dict = field(default_factory=dict)

    @property
    def ties(self) -> list[Row]:
        return [row for row in self.rows if row.tied]

    @property
    def disagreements(self) -> list[Row]:
        return [row for row in self.rows if row.flagged]


def evaluation(cycle) -> Evaluation:
    """Scores, totals, ranks and flags of every accepted nomination of ``cycle`` (five queries)."""
    criteria = list(cycle.criteria.all())
    categories = list(cycle.categories.all())
    nominations = list(
        Nomination.objects.filter(cycle=cycle, state=NominationState.ACCEPTED).select_related("country", "category")
    )
    committee = Committee.objects.filter(cycle=cycle).first()
    members = list(committee.members.all()) if committee else []
    conflicts = set(Conflict.objects.filter(nomination__cycle=cycle).values_list("member_id", "nomination_id"))
    expected = {
        nomination.pk: [
            member.pk
            for member in members
            if member.country_id != nomination.country_id and (member.pk, nomination.pk) not in conflicts
        ]
        for nomination in nominations
    }
    scores = {
        (member, nomination, criterion): value
        for member, nomination, criterion, value in Score.objects.filter(nomination__in=[n.pk for n in nominations])
        .values_list("member_id", "nomination_id", "criterion_id", "value")
        .iterator()
    }
    keys = [
        aggregation.Criterion(
            key=criterion.pk,
            weight=criterion.weight,
            scale_min=criterion.scale_min,
            scale_max=criterion.scale_max,
            independent=criterion.independent,
            required=criterion.required,
        )
        for criterion in criteria
    ]
    results = aggregation.aggregate(keys, scores, expected, threshold=cycle.disagreement_threshold)
    normalised = aggregation.normalised_aggregate(keys, scores, expected)
    ranking = aggregation.rank(results, {nomination.pk: nomination.category_id for nomination in nominations})
    by_pk = {nomination.pk: nomination for nomination in nominations}
    rows, by_category = [], {}
    order = {category.pk: number for number, category in enumerate(categories)}
    for category_id in sorted(ranking, key=lambda pk: order.get(pk, len(order))):
        for ranked in ranking[category_id]:
            row = Row(
                nomination=by_pk[ranked.nomination],
                result=results[ranked.nomination],
                normalised=normalised[ranked.nomination],
                rank=ranked.rank,
                tied=ranked.tied,
            )
            rows.append(row)
            by_category.setdefault(category_id, []).append(row)
    return Evaluation(criteria=criteria, rows=rows, categories=categories, by_category=by_category)
