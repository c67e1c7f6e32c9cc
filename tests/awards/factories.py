"""Award cycles and results for the tests, built the way the admin and the award process do."""

import datetime
from decimal import Decimal

from django.utils import timezone

from content_types.awards.models import (
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
from content_types.vocabularies.models import Country


def levels(low: int, high: int, words: str = "Level") -> list:
    return [("level", {"score": score, "descriptor": f"{words} {score}"}) for score in range(low, high + 1)]


def make_cycle(section, slug="chm-award-2024", title="CHM Award 2024", today=None, offset_days=0, **fields):
    """A published cycle under ``section`` with two categories, a questionnaire and three criteria
    (the third independent). Its phases are placed around ``today`` + ``offset_days``: the call
    opened 30 days before, nominations close 10 days after, evaluation 40 days after, announcement
    60 days after (so by default it is in its nomination phase)."""
    base = (today or timezone.localdate()) + datetime.timedelta(days=offset_days)
    values = {
        "title": title,
        "slug": slug,
        "intro": "<p>Recognising the progress of national clearing-houses.</p>",
        "meeting": "COP-17",
        "call_opens": base - datetime.timedelta(days=30),
        "nomination_deadline": base + datetime.timedelta(days=10),
        "evaluation_deadline": base + datetime.timedelta(days=40),
        "announcement": base + datetime.timedelta(days=60),
        "body": [("paragraph", "<p>Parties nominate their national CHM through their focal point.</p>")],
    }
    values.update(fields)
    cycle = AwardCyclePage(**values)
    cycle.categories = [
        AwardCategory(
            name="Existing national CHMs",
            description="Established before 2020.",
            eligibility=Eligibility.ESTABLISHED_BEFORE,
            eligibility_date=datetime.date(2020, 1, 1),
            certificates=2,
        ),
        AwardCategory(
            name="New national CHMs",
            eligibility=Eligibility.ESTABLISHED_SINCE,
            eligibility_date=datetime.date(2020, 1, 1),
        ),
    ]
    cycle.questionnaires = [
        AwardQuestionnaire(
            title="Status of the national CHM",
            questions=[
                (
                    "question",
                    {"text": "When was the national CHM established?", "help": "", "kind": "text", "required": True},
                ),
                (
                    "question",
                    {
                        "text": "Which languages does it use?",
                        "help": "",
                        "kind": "choice",
                        "choices": ["One", "Two or more"],
                        "required": False,
                    },
                ),
            ],
        )
    ]
    cycle.criteria = [
        AwardCriterion(name="Content", weight=Decimal("2"), scale_min=0, scale_max=5, levels=levels(0, 5, "Content")),
        AwardCriterion(name="Usability", weight=Decimal("1"), scale_min=0, scale_max=5, levels=levels(0, 5)),
        AwardCriterion(name="Virtual visit", weight=Decimal("1"), independent=True, required=False),
    ]
    section.add_child(instance=cycle)
    cycle.save_revision().publish()
    return AwardCyclePage.objects.get(pk=cycle.pk)


def make_result(
    cycle, published=False, entries=(("FR", 0, Prize.GOLD), ("BR", 0, Prize.SILVER), ("JP", 1, Prize.GOLD))
):
    """Results of ``cycle``: ``entries`` as (country code, category index, prize); each entry gets a
    mean score on every criterion and a weighted total; a jury of three with a chair."""
    result = AwardResult.objects.create(
        cycle=cycle, justification="The jury was impressed by the content.", justification_language="en"
    )
    categories = list(cycle.categories.all())
    criteria = list(cycle.criteria.all())
    for number, (code, category, prize) in enumerate(entries):
        entry = AwardEntry.objects.create(
            result=result,
            category=categories[category],
            country=Country.objects.get(code=code),
            national_chm_url=f"https://chm.example.org/{code.lower()}/",
            prize=prize,
            rank=number + 1,
            total=Decimal("12.5") - number,
        )
        for position, criterion in enumerate(criteria):
            AwardEntryScore.objects.create(entry=entry, criterion=criterion, mean=Decimal("4.25") - position)
    AwardJuryMember.objects.create(
        result=result, name="Ingrid Larsen", country=Country.objects.get(code="NO"), is_chair=True
    )
    AwardJuryMember.objects.create(result=result, name="Mei Chen", country=Country.objects.get(code="CN"), sort_order=1)
    AwardJuryMember.objects.create(
        result=result, name="Ana Souza", country=Country.objects.get(code="BR"), sort_order=2
    )
    if published:
        result.publish()
    return result
