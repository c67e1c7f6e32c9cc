"""Demo: the open award cycle in evaluation, with three nominations, the committee and some scores,
so that a newcomer sees the scoring in progress (one member done, one half-way, one not started)."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.demo.registry import register_demo
from content_types.awards.models import AwardCyclePage
from content_types.vocabularies.models import Country

from . import services
from .models import Assessment, Committee, Nomination, NominationEntry, NominationState, Score

NOMINEES = [("submitter-fr", "FR", 0), ("submitter-ke", "KE", 1), ("submitter-br", "BR", 0)]
COMMITTEE = ["committee1", "committee2", "committee3"]  # the first chairs


@register_demo(order=65, label="Award evaluation")
def build_award_evaluation(context):
    cycle = AwardCyclePage.objects.filter(slug="chm-award-open", locale__language_code="en").first()
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=[*COMMITTEE, *(n[0] for n in NOMINEES)])
    }
    if cycle is None or len(users) < len(COMMITTEE) + len(NOMINEES) or Committee.objects.filter(cycle=cycle).exists():
        return
    categories = list(cycle.categories.all())
    criteria = list(cycle.criteria.all())
    countries = {country.code: country for country in Country.objects.filter(code__in=[n[1] for n in NOMINEES])}
    with transaction.atomic():
        nominations = []
        for username, code, category in NOMINEES:
            nomination = Nomination.objects.create(
                cycle=cycle,
                category=categories[category % len(categories)],
                country=countries[code],
                nominated_by=users[username],
                website=f"https://chm.example.org/{code.lower()}/",
                state=NominationState.ACCEPTED,
                created_at=timezone.now() - datetime.timedelta(days=30),
            )
            NominationEntry.record(nomination, users[username], "submit", to_state=NominationState.SUBMITTED)
            NominationEntry.record(
                nomination, None, "accept", from_state=NominationState.SUBMITTED, to_state=nomination.state
            )
            nominations.append(nomination)
        committee = services.form_committee(cycle, [users[name] for name in COMMITTEE], users[COMMITTEE[0]])
        members = list(committee.members.all())
        scores, assessments = [], []
        for position, member in enumerate(members[:2]):
            for number, nomination in enumerate(nominations):
                if member.country_id == nomination.country_id or (position == 1 and number > 0):
                    continue
                for criterion in criteria:
                    value = criterion.scale_min + (number + criterion.pk + position) % (
                        criterion.scale_max - criterion.scale_min + 1
                    )
                    scores.append(Score(member=member, nomination=nomination, criterion=criterion, value=value))
                assessments.append(
                    Assessment(
                        member=member,
                        nomination=nomination,
                        visited_on=timezone.localdate() - datetime.timedelta(days=3),
                        pages_visited=nomination.website,
                    )
                )
        Score.objects.bulk_create(scores)
        Assessment.objects.bulk_create(assessments)
        first = members[0]
        for nomination in nominations:  # the first member is done: its scoring tasks are complete
            if first.country_id != nomination.country_id:
                services.submit_scores(first.user, nomination)
    context.pages["awards/evaluation"] = cycle
