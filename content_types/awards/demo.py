"""Demo: a past award cycle with published results (winners, jury, scores for the charts) and an
open cycle in its evaluation phase, so that a newcomer sees both."""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from cms.demo.pages import get_or_create_child, translate
from cms.demo.registry import register_demo
from cms.home.models import SectionPage
from content_types.vocabularies.models import Country
from workflows.awards.aggregation import Criterion, aggregate, rank

from .models import (
    AwardCategory,
    AwardCriterion,
    AwardCyclePage,
    AwardEntry,
    AwardEntryScore,
    AwardJuryMember,
    AwardQuestionnaire,
    AwardResult,
    Eligibility,
    Prize,
)

CUTOFF = datetime.date(2012, 1, 1)
CATEGORIES = [
    # English name, French name, description, eligibility
    (
        "Existing national CHMs",
        "CHM nationaux existants",
        "National clearing-houses established before 2012.",
        Eligibility.ESTABLISHED_BEFORE,
    ),
    (
        "New national CHMs",
        "Nouveaux CHM nationaux",
        "National clearing-houses established in 2012 or later.",
        Eligibility.ESTABLISHED_SINCE,
    ),
]
# English name, French name, weight, independent, descriptors of 0..4
CRITERIA = [
    (
        "Content",
        "Contenu",
        "3",
        False,
        [
            "No national information online",
            "A few pages, rarely updated",
            "National targets and reports online",
            "Complete and kept up to date",
            "Complete, current and linked to the central CHM",
        ],
    ),
    (
        "Usability and accessibility",
        "Facilité d'utilisation et accessibilité",
        "2",
        False,
        [
            "Hard to use",
            "Usable with effort",
            "Clear navigation",
            "Clear, searchable, works on phones",
            "Exemplary, meets WCAG AA",
        ],
    ),
    (
        "Languages",
        "Langues",
        "1",
        False,
        [
            "No national language",
            "One language, partly",
            "One language",
            "Two languages",
            "Three or more languages",
        ],
    ),
    (
        "Virtual visit",
        "Visite virtuelle",
        "1",
        True,
        ["Not reachable", "Poor", "Fair", "Good", "Excellent"],
    ),
]
QUESTIONS = [
    ("When was the national CHM established?", "text"),
    ("What is the web address of the national CHM?", "url"),
    ("Is the national CHM available in more than one language?", "yes-no"),
    ("What progress has the national CHM made since the last cycle?", "text"),
]
JURY = [
    ("Ingrid Larsen", "NO", True),
    ("Mei Chen", "CN", False),
    ("Amina Diallo", "SN", False),
    ("Diego Rojas", "CO", False),
]
# (country, category index) of the past cycle's nominations
NOMINATIONS = [
    ("FR", 0),
    ("BE", 0),
    ("JP", 0),
    ("MX", 0),
    ("IN", 0),
    ("KE", 1),
    ("VN", 1),
    ("MA", 1),
    ("PE", 1),
]


def _cycle(section, slug, title, title_fr, meeting, dates, intro, intro_fr):
    call_opens, nomination_deadline, evaluation_deadline, announcement = dates
    page, created = get_or_create_child(
        section,
        AwardCyclePage,
        slug,
        title=title,
        intro=f"<p>{intro}</p>",
        meeting=meeting,
        call_opens=call_opens,
        nomination_deadline=nomination_deadline,
        evaluation_deadline=evaluation_deadline,
        announcement=announcement,
        disagreement_threshold=Decimal("2"),
        body=[
            (
                "paragraph",
                "<p>Each Party may nominate its national clearing-house through its national focal point, "
                "in one category. A committee with a member from each UN region scores every nomination, "
                "including a virtual visit of the national website.</p>",
            )
        ],
        categories=[
            AwardCategory(
                name=name, description=description, eligibility=eligibility, eligibility_date=CUTOFF, certificates=2
            )
            for name, _fr, description, eligibility in CATEGORIES
        ],
        questionnaires=[
            AwardQuestionnaire(
                title="Status of the national CHM",
                questions=[
                    ("question", {"text": text, "help": "", "kind": kind, "choices": [], "required": True})
                    for text, kind in QUESTIONS
                ],
            )
        ],
        criteria=[
            AwardCriterion(
                name=name,
                weight=Decimal(weight),
                scale_min=0,
                scale_max=4,
                independent=independent,
                required=not independent,
                levels=[
                    ("level", {"score": score, "descriptor": descriptor})
                    for score, descriptor in enumerate(descriptors)
                ],
            )
            for name, _fr, weight, independent, descriptors in CRITERIA
        ],
    )
    if created:
        french = translate(page, "fr", title=title_fr, draft_title=title_fr, intro=f"<p>{intro_fr}</p>")
        names = {name: fr for name, fr, *_ in CATEGORIES} | {name: fr for name, fr, *_ in CRITERIA}
        for child in [*french.categories.all(), *french.criteria.all()]:
            child.name = names.get(child.name, child.name)
            child.save(update_fields=["name"])
        AwardCyclePage.objects.get(pk=french.pk).save_revision().publish()
    return page


def _decimal(fraction) -> Decimal:
    return (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(
        Decimal("0.001"), rounding=ROUND_HALF_UP
    )


def _results(cycle, rng):
    """Scores of a four-member jury (none scores its own country), aggregated as the committee
    does, and published with prizes by rank."""
    if AwardResult.objects.filter(cycle=cycle).exists():
        return
    codes = [code for code, _category in NOMINATIONS] + [code for _name, code, _chair in JURY]
    countries = {country.code: country for country in Country.objects.filter(code__in=codes)}
    categories = list(cycle.categories.all())
    criteria = list(cycle.criteria.all())
    members = [name for name, _code, _chair in JURY]
    expected, scores, category_of = {}, {}, {}
    for code, category in NOMINATIONS:
        if code not in countries:
            continue
        quality = rng.uniform(1.2, 3.6)
        jurors = [name for name, juror_country, _chair in JURY if juror_country != code]
        expected[code] = set(jurors)
        category_of[code] = category
        for member in jurors:
            leniency = (members.index(member) - 1.5) * 0.3
            for criterion in criteria:
                score = round(quality + leniency + rng.uniform(-0.8, 0.8))
                scores[(member, code, criterion.pk)] = max(0, min(4, score))
    terms = [Criterion(c.pk, c.weight, c.scale_min, c.scale_max, c.independent, c.required) for c in criteria]
    results = aggregate(terms, scores, expected, threshold=cycle.disagreement_threshold)
    ranking = rank(results, category_of)
    prizes = [Prize.GOLD, Prize.SILVER, Prize.BRONZE, Prize.CERTIFICATE]
    with transaction.atomic():
        result = AwardResult.objects.create(
            cycle=cycle,
            justification=(
                "The committee recognised national clearing-houses that keep their national targets, reports "
                "and news up to date, in the national languages, and make them easy to find."
            ),
            justification_language="en",
        )
        for category, ranked in ranking.items():
            for position, row in enumerate(ranked):
                entry = AwardEntry.objects.create(
                    result=result,
                    category=categories[category],
                    country=countries[row.nomination],
                    national_chm_url=f"https://chm.example.org/{row.nomination.lower()}/",
                    prize=prizes[position] if position < len(prizes) else "",
                    rank=row.rank,
                    total=_decimal(row.total),
                )
                AwardEntryScore.objects.bulk_create(
                    AwardEntryScore(
                        entry=entry,
                        criterion=criterion,
                        mean=_decimal(mean),
                    )
                    for criterion in criteria
                    if (mean := results[row.nomination].criteria[criterion.pk].summary.mean) is not None
                )
        AwardJuryMember.objects.bulk_create(
            AwardJuryMember(result=result, name=name, country=countries.get(code), is_chair=chair, sort_order=number)
            for number, (name, code, chair) in enumerate(JURY)
        )
        result.publish(when=timezone.make_aware(datetime.datetime.combine(cycle.announcement, datetime.time(12))))


@register_demo(order=60, label="Awards")
def build_awards(context):
    section = SectionPage.objects.filter(locale__language_code="en", section=SectionPage.Section.AWARDS).first()
    if section is None:
        return
    today = timezone.localdate()
    past = _cycle(
        section,
        "chm-award-2018",
        "CHM Award 2018",
        "Prix du CHM 2018",
        "COP-14",
        (
            datetime.date(2018, 1, 15),
            datetime.date(2018, 5, 31),
            datetime.date(2018, 8, 31),
            datetime.date(2018, 11, 20),
        ),
        "Recognising the Parties whose national clearing-houses made the most progress.",
        "Distinguer les Parties dont le centre d'échange national a le plus progressé.",
    )
    _results(past, random.Random(2018))
    day = datetime.timedelta(days=1)
    _cycle(
        section,
        "chm-award-open",
        f"CHM Award {today.year + 1}",
        f"Prix du CHM {today.year + 1}",
        "COP-18",
        (today - 120 * day, today - 10 * day, today + 50 * day, today + 120 * day),
        "Nominations are closed; the committee is scoring them.",
        "Les candidatures sont closes ; le comité les évalue.",
    )
    context.pages["awards/past"] = past
