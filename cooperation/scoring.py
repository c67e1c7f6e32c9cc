"""How well an offer or an expert profile answers a need: a weighted sum of explained components.

Each component gives points and a reason (data: a code and the terms behind it, rendered in the
reader's language by ``cooperation.reasons``):

==============  ==========================================================  ==================
component       when                                                        points
==============  ==========================================================  ==================
targets         GBF targets in common                                       3 each (up to 3)
subjects        subjects in common                                          2 each (up to 3)
kind            the offer's kind is the need's kind of support; an expert   4
                for expertise, training, policy advice or data
country         a country in common                                         3
region          otherwise a UN region in common (the most specific named)   2
languages       languages in common                                         1 each (up to 2)
availability    the offer is available now, or from a date before the need  1
                is needed by (an offer past its end date is no candidate)
text            wording alike (``search.similar``): rank / 0.3, at most 1   4 × that share
==============  ==========================================================  ==================

Profiles are plain data read from pages whose classification was loaded in one query for all
(``content_types.base.classification``), so that scoring adds no query per candidate.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from content_types.base.classification import _terms
from content_types.records.models.assistance import SupportKind

WEIGHTS = {
    "targets": 3.0,
    "subjects": 2.0,
    "kind": 4.0,
    "country": 3.0,
    "region": 2.0,
    "languages": 1.0,
    "availability": 1.0,
    "text": 4.0,
}
CAPS = {"targets": 3, "subjects": 3, "languages": 2}
TEXT_FULL_RANK = 0.3  # a text rank from this value on gives the text component's full points
MIN_TEXT_POINTS = 0.5  # less is not worth a reason (nor points)
MIN_SCORE = 3.0  # a candidate below this is not suggested
EXPERT_KINDS = frozenset({SupportKind.EXPERTISE, SupportKind.TRAINING, SupportKind.POLICY_ADVICE, SupportKind.DATA})
WORLD = "001"


@dataclass
class Profile:
    """What scoring reads of a need, an offer or an expert profile."""

    translation_key: str
    kind: str = ""  # the need's or offer's kind of support; empty for an expert
    targets: frozenset = frozenset()  # GBF target numbers
    subjects: frozenset = frozenset()  # subject ids
    countries: frozenset = frozenset()  # country ids
    regions: dict = field(default_factory=dict)  # region id → depth below World (1 = continent)
    languages: frozenset = frozenset()  # language ids
    available_from: datetime.date | None = None
    available_until: datetime.date | None = None
    needed_by: datetime.date | None = None
    is_expert: bool = False


@dataclass
class Score:
    total: float
    reasons: list[dict]


def region_depths(region_ids) -> dict[int, int]:
    """Every region in ``region_ids`` and those containing them (below World), with their depth."""
    regions = _terms(_region_model())
    found: dict[int, int] = {}
    for region_id in region_ids:
        chain, node = [], regions.get(region_id)
        while node is not None and node.code != WORLD:
            chain.append(node.pk)
            node = regions.get(node.parent_id)
        for depth, pk in enumerate(reversed(chain), start=1):
            found[pk] = depth
    return found


def _region_model():
    from content_types.vocabularies.models import Region

    return Region


def profile_of(page) -> Profile:
    """The profile of a saved page whose classification is loaded (no query when it is)."""
    from content_types.records.models import ExpertProfilePage, NeedPage, OfferPage

    countries = {country.pk: country for country in page.countries.all()}
    region_ids = [region.pk for region in page.regions.all()]
    region_ids += [country.region_id for country in countries.values() if country.region_id]
    profile = Profile(
        translation_key=str(page.translation_key),
        targets=frozenset(target.number for target in page.gbf_targets.all()),
        subjects=frozenset(subject.pk for subject in page.subjects.all()),
        countries=frozenset(countries),
        regions=region_depths(region_ids),
        languages=frozenset(language.pk for language in page.languages.all()),
    )
    if isinstance(page, NeedPage):
        profile.kind, profile.needed_by = page.support_kind, page.needed_by
    elif isinstance(page, OfferPage):
        profile.kind = page.offer_kind
        profile.available_from, profile.available_until = page.available_from, page.available_until
    elif isinstance(page, ExpertProfilePage):
        profile.is_expert = True
    return profile


def is_available(candidate, today: datetime.date) -> bool:
    """False for an offer (or its profile) whose end date has passed: it is no candidate at all."""
    until = getattr(candidate, "available_until", None)
    return until is None or until >= today


def score(
    need: Profile, candidate: Profile, text=None, today: datetime.date | None = None, text_language: str = ""
) -> Score:
    """The candidate's score for the need, with one reason per component that gave points.

    ``text`` is the candidate's :class:`search.similar.Similarity` against the need, if any, its
    shared words in ``text_language``.
    """
    today = today or timezone.localdate()
    reasons: list[dict] = []

    def add(code: str, points: float, **data) -> None:
        if points > 0:
            reasons.append({"code": code, "points": round(points, 2), **data})

    targets = sorted(need.targets & candidate.targets)
    add("targets", WEIGHTS["targets"] * min(len(targets), CAPS["targets"]), values=targets)
    subjects = sorted(need.subjects & candidate.subjects)
    add("subjects", WEIGHTS["subjects"] * min(len(subjects), CAPS["subjects"]), values=subjects)
    if candidate.is_expert:
        if need.kind in EXPERT_KINDS:
            add("kind", WEIGHTS["kind"], values=[need.kind], expert=True)
    elif need.kind and need.kind == candidate.kind:
        add("kind", WEIGHTS["kind"], values=[need.kind])
    countries = sorted(need.countries & candidate.countries)
    if countries:
        add("country", WEIGHTS["country"], values=countries)
    else:
        shared = set(need.regions) & set(candidate.regions)
        if shared:
            closest = max(shared, key=lambda pk: (need.regions[pk], -pk))
            add("region", WEIGHTS["region"], values=[closest])
    languages = sorted(need.languages & candidate.languages)
    add("languages", WEIGHTS["languages"] * min(len(languages), CAPS["languages"]), values=languages)
    if candidate.available_from or candidate.available_until:
        starts = candidate.available_from
        if starts is None or starts <= today:
            add("availability", WEIGHTS["availability"], values=[])
        elif need.needed_by is None or starts <= need.needed_by:
            add("availability", WEIGHTS["availability"], values=[starts.isoformat()])
    if text is not None:
        points = WEIGHTS["text"] * min(1.0, text.rank / TEXT_FULL_RANK)
        if points >= MIN_TEXT_POINTS:
            add("text", points, values=list(text.words), language=text_language)
    return Score(total=round(sum(reason["points"] for reason in reasons), 2), reasons=reasons)
