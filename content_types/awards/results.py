"""What the public results page of a cycle shows: winners per category, the published scores for
the charts and their table, and the jury. Names of categories and criteria come from the cycle page
being shown (its translation), matched to the results by ``translation_key``."""

from django.db.models import Prefetch
from django.utils.translation import gettext

from content_types.base.languages import page_text_language

from .models import PRIZE_ORDER, AwardEntry, AwardEntryScore


def results_context(page, result) -> dict:
    """A fixed number of queries, whatever the number of entries and criteria."""
    categories = page.category_list
    criteria = page.criterion_list
    category_by_key = {category.translation_key: category for category in categories}
    entries = list(
        AwardEntry.objects.filter(result=result)
        .select_related("country", "category")
        .prefetch_related(Prefetch("scores", queryset=AwardEntryScore.objects.select_related("criterion")))
        .order_by("rank", "pk")
    )
    groups = {category.translation_key: [] for category in categories}
    unassigned = []
    for entry in entries:
        key = entry.category.translation_key if entry.category_id else None
        entry.shown_category = category_by_key.get(key)
        means = {score.criterion.translation_key: score.mean for score in entry.scores.all()}
        entry.criterion_means = [means.get(criterion.translation_key) for criterion in criteria]
        groups.get(key, unassigned).append(entry)

    winners = []
    for category in categories:
        awarded = sorted(
            (entry for entry in groups[category.translation_key] if entry.prize),
            key=lambda entry: (PRIZE_ORDER[entry.prize], entry.rank or 0),
        )
        winners.append((category, awarded))
    jury = list(result.jury.select_related("country"))

    scored = [entry for entry in entries if any(mean is not None for mean in entry.criterion_means)]
    return {
        "result": result,
        "winners": winners,
        "uncategorised_entries": unassigned,
        "scored_entries": scored,
        "jury": jury,
        "criteria": criteria,
        "chart_data": chart_data(page, scored, criteria),
    }


def chart_data(page, entries, criteria) -> dict:
    """The figures the charts draw (the same as the table beside them), with their labels."""
    language = page_text_language(page)

    def number(value):
        return None if value is None else float(value)

    return {
        "language": language,
        "labels": {
            "total": gettext("Weighted total"),
            "mean": gettext("Mean score"),
        },
        "criteria": [criterion.name for criterion in criteria],
        "nominations": [
            {
                "label": entry.country.name,
                "category": entry.shown_category.name if entry.shown_category else "",
                "total": number(entry.total),
                "means": [number(mean) for mean in entry.criterion_means],
            }
            for entry in entries
        ],
    }
