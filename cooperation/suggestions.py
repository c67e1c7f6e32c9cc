"""Compute and store the suggestions: for each open need, the offers and expert profiles that could
answer it (and, when an offer or an expert changes, the needs it could answer).

Everything a refresh reads comes in a constant number of queries whatever the number of records:
one query per record type for the pages, one for their classification (``prefetch_classification``),
one for the text similarity (``search.similar``); the vocabularies come from the per-process copy.
Each record family (a page, its translations and aliases) is scored once, through its original.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from content_types.base.classification import prefetch_classification
from content_types.records.models import ExpertProfilePage, NeedPage, OfferPage
from content_types.records.models.assistance import NeedStatus
from search.similar import more_like_this

from .models import CandidateKind, Suggestion
from .scoring import MIN_SCORE, is_available, profile_of, score

logger = logging.getLogger(__name__)

MAX_PER_NEED = 10
KIND_OF = {OfferPage: CandidateKind.OFFER, ExpertProfilePage: CandidateKind.EXPERT}


def representatives(queryset) -> list:
    """One live, public page per translation family: the one in the default language, else the oldest original."""
    default = settings.LANGUAGE_CODE
    chosen: dict = {}
    for page in queryset.live().public().filter(alias_of__isnull=True).select_related("locale").order_by("pk"):
        current = chosen.get(page.translation_key)
        if current is None or (page.locale.language_code == default and current.locale.language_code != default):
            chosen[page.translation_key] = page
    return list(chosen.values())


def load_candidates() -> list:
    """Every live offer still available and every live expert profile, classified (constant queries)."""
    today = timezone.localdate()
    offers = [offer for offer in representatives(OfferPage.objects.all()) if is_available(offer, today)]
    experts = representatives(ExpertProfilePage.objects.all())
    prefetch_classification(offers)
    prefetch_classification(experts)
    return offers + experts


def load_open_needs() -> list:
    needs = [need for need in representatives(NeedPage.objects.all()) if need.status == NeedStatus.OPEN]
    prefetch_classification(needs)
    return needs


def rank_candidates(need, candidates, similar=None) -> list[Suggestion]:
    """Unsaved suggestions for ``need``, best first (at most ``MAX_PER_NEED``, none below ``MIN_SCORE``)."""
    if similar is None:
        similar = more_like_this(need, candidates, need.locale.language_code)
    need_profile = profile_of(need)
    now = timezone.now()
    ranked = []
    for candidate in candidates:
        result = score(
            need_profile,
            profile_of(candidate),
            similar.get(str(candidate.translation_key)),
            text_language=need.locale.language_code,
        )
        if result.total >= MIN_SCORE:
            ranked.append(
                Suggestion(
                    need=need,
                    candidate=candidate,
                    kind=KIND_OF[type(candidate)],
                    score=result.total,
                    reasons=result.reasons,
                    computed_at=now,
                )
            )
    ranked.sort(key=lambda suggestion: (-suggestion.score, suggestion.candidate.pk))
    return ranked[:MAX_PER_NEED]


def refresh_need(need, candidates=None) -> list[Suggestion]:
    """Replace the suggestions of ``need``'s family: computed anew when it is open, else removed."""
    with transaction.atomic():
        Suggestion.objects.filter(need__translation_key=need.translation_key).delete()
        if not (need.live and need.status == NeedStatus.OPEN):
            return []
        prefetch_classification([need])
        if candidates is None:
            candidates = load_candidates()
        suggestions = rank_candidates(need, candidates)
        return Suggestion.objects.bulk_create(suggestions)


def refresh_candidate(candidate, needs=None) -> list[Suggestion]:
    """Replace the pairs of an offer's or an expert's family with the open needs it could answer."""
    with transaction.atomic():
        Suggestion.objects.filter(candidate__translation_key=candidate.translation_key).delete()
        today = timezone.localdate()
        if not candidate.live or (isinstance(candidate, OfferPage) and not is_available(candidate, today)):
            return []
        prefetch_classification([candidate])
        if needs is None:
            needs = load_open_needs()
        similar = more_like_this(candidate, needs, candidate.locale.language_code)
        kind = KIND_OF[type(candidate)]
        profile = profile_of(candidate)
        now = timezone.now()
        rows = []
        for need in needs:
            result = score(
                profile_of(need),
                profile,
                similar.get(str(need.translation_key)),
                text_language=candidate.locale.language_code,
            )
            if result.total >= MIN_SCORE:
                rows.append(
                    Suggestion(
                        need=need,
                        candidate=candidate,
                        kind=kind,
                        score=result.total,
                        reasons=result.reasons,
                        computed_at=now,
                    )
                )
        return Suggestion.objects.bulk_create(rows)


def refresh_families(translation_keys) -> int:
    """Bring the suggestions of these record families up to date (after a publish or an unpublish)."""
    keys = {str(key) for key in translation_keys}
    refreshed = 0
    for model, refresh in (
        (NeedPage, refresh_need),
        (OfferPage, refresh_candidate),
        (ExpertProfilePage, refresh_candidate),
    ):
        queryset = model.objects.filter(translation_key__in=keys)
        live = {str(page.translation_key): page for page in representatives(queryset)}
        for key in set(queryset.values_list("translation_key", flat=True)):
            page = live.get(str(key))
            if page is None:  # nothing of the family is live any more
                field = "need" if model is NeedPage else "candidate"
                Suggestion.objects.filter(**{f"{field}__translation_key": key}).delete()
            else:
                refresh(page)
            refreshed += 1
    return refreshed


def refresh_all(progress=None) -> int:
    """Every open need against every candidate: the demo loader and ``manage.py refresh_suggestions``."""
    candidates = load_candidates()
    needs = load_open_needs()
    open_keys = [need.translation_key for need in needs]
    Suggestion.objects.exclude(need__translation_key__in=open_keys).delete()
    for need in progress(needs, "Matchmaking suggestions") if progress else needs:
        with transaction.atomic():
            Suggestion.objects.filter(need__translation_key=need.translation_key).delete()
            Suggestion.objects.bulk_create(rank_candidates(need, candidates))
    return len(needs)
