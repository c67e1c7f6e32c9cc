"""Reads of matchmaking: what a record page, the board and a person's workspace show. Each reads
its rows in a constant number of queries, whatever the number of needs, offers or suggestions."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from content_types.base.classification import prefetch_classification
from content_types.records.models import NeedPage, RecordPage
from content_types.records.models.assistance import NeedStatus
from content_types.vocabularies.models import GBFTarget, Region

from . import policy
from .models import MatchProposal, Suggestion
from .reasons import render_reasons
from .scoring import profile_of
from .suggestions import representatives

PAGE_SUGGESTIONS = 5
BOARD_SUGGESTIONS = 3


@dataclass
class ShownSuggestion:
    suggestion: Suggestion
    record: RecordPage  # the other side: the candidate on a need's page, the need on an offer's
    reasons: list = field(default_factory=list)

    @property
    def score(self) -> float:
        return self.suggestion.score


def _shown(suggestions, other: str) -> list[ShownSuggestion]:
    return [
        ShownSuggestion(suggestion, getattr(suggestion, other), render_reasons(suggestion.reasons))
        for suggestion in suggestions
    ]


def suggestions_for_page(page, limit: int = PAGE_SUGGESTIONS) -> list[ShownSuggestion]:
    """A need's best candidates, or the needs an offer or expert could answer: one query."""
    if isinstance(page, NeedPage):
        rows = Suggestion.objects.for_need(page).select_related("candidate", "candidate__locale")[:limit]
        return _shown(rows, "candidate")
    rows = (
        Suggestion.objects.for_candidate(page)
        .filter(need__status=NeedStatus.OPEN)
        .select_related("need", "need__locale")[:limit]
    )
    return _shown(rows, "need")


@dataclass
class BoardRow:
    need: NeedPage
    age_days: int
    suggestions: list[ShownSuggestion]

    @property
    def best_score(self) -> float:
        return self.suggestions[0].score if self.suggestions else 0.0


def board(region_code: str = "", target_code: str = "") -> list[BoardRow]:
    """Open needs (one per family), oldest first, each with its best suggestions; filters by UN region
    (M49 code, countries of its sub-regions included) and GBF target code."""
    needs = [need for need in representatives(NeedPage.objects.all()) if need.status == NeedStatus.OPEN]
    prefetch_classification(needs)
    if target_code:
        needs = [need for need in needs if target_code in {target.code for target in need.gbf_targets.all()}]
    if region_code:
        region = next((term for term in Region.objects.filter(code=region_code)), None)
        needs = [need for need in needs if region is not None and region.pk in profile_of(need).regions]
    keys = [need.translation_key for need in needs]
    grouped: dict = {}
    rows = (
        Suggestion.objects.filter(need__translation_key__in=keys)
        .select_related("candidate", "candidate__locale", "need")
        .order_by("-score", "candidate_id")
    )
    for suggestion in rows:
        bucket = grouped.setdefault(suggestion.need.translation_key, [])
        if len(bucket) < BOARD_SUGGESTIONS:
            bucket.append(suggestion)
    now = timezone.now()
    board_rows = []
    for need in needs:
        since = need.first_published_at or now
        board_rows.append(
            BoardRow(need, (now - since).days, _shown(grouped.get(need.translation_key, []), "candidate"))
        )
    board_rows.sort(key=lambda row: (-row.age_days, row.need.pk))
    return board_rows


def board_filters() -> dict:
    """The regions (continents and sub-regions) and targets the board filters by."""
    return {
        "regions": [region for region in Region.objects.exclude(code="001").order_by("code") if region.parent_id],
        "targets": list(GBFTarget.objects.order_by("number")),
    }


def owned_keys(user) -> set:
    """Translation keys of the records ``user`` owns (submitted, else Wagtail owner)."""
    from workflows.review.models import Submission

    keys = set(Submission.objects.filter(submitter=user).values_list("page__translation_key", flat=True))
    keys |= set(RecordPage.objects.filter(owner=user).values_list("translation_key", flat=True))
    return keys


def my_needs(user) -> list[BoardRow]:
    """The needs ``user`` owns that are open, with their best suggestions."""
    keys = owned_keys(user)
    needs = [
        need
        for need in representatives(NeedPage.objects.filter(translation_key__in=keys))
        if need.status == NeedStatus.OPEN
    ]
    policy.prime_owners(needs)
    needs = [need for need in needs if policy.owner_id(need) == user.pk]
    grouped: dict = {}
    rows = (
        Suggestion.objects.filter(need__translation_key__in=[need.translation_key for need in needs])
        .select_related("candidate", "candidate__locale", "need")
        .order_by("-score", "candidate_id")
    )
    for suggestion in rows:
        bucket = grouped.setdefault(suggestion.need.translation_key, [])
        if len(bucket) < PAGE_SUGGESTIONS:
            bucket.append(suggestion)
    now = timezone.now()
    return [
        BoardRow(
            need,
            (now - (need.first_published_at or now)).days,
            _shown(grouped.get(need.translation_key, []), "candidate"),
        )
        for need in needs
    ]


def my_proposals(user):
    """Proposals ``user`` is a party to or made, newest first."""
    keys = owned_keys(user)
    return (
        MatchProposal.objects.filter(
            Q(need__translation_key__in=keys) | Q(candidate__translation_key__in=keys) | Q(proposed_by=user)
        )
        .select_related("need", "candidate")
        .order_by("-created_at", "-pk")[:100]
    )
