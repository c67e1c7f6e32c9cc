"""Which award cycles a person takes part in, and as what: the ways into the award process.

A focal point (a Submitter acting for a Party) sees its country's nominations and the cycles open for
nominations; a committee member the cycles it scores, with its open tasks; the secretariat every
cycle, with the pages where it runs them. The workspace's awards page and each public cycle page read
this, so that nobody is sent to a page that would refuse them.
"""

from dataclasses import dataclass, field

from django.db.models import Min, Q
from django.utils import timezone

from content_types.awards.models import AwardCyclePage
from workflows.core.people import SUBMITTER_GROUP, group_names, is_secretariat_editor, profile_country_id

from .models import Committee, CommitteeMember, Nomination


@dataclass
class CycleRoles:
    cycle: object
    nominations: list = field(default_factory=list)
    may_nominate: bool = False
    member: object = None
    open_tasks: int = 0
    secretariat: bool = False
    has_committee: bool = False

    @property
    def takes_part(self) -> bool:
        return bool(self.nominations or self.may_nominate or self.member or self.secretariat)


def focal_country_id(user):
    if SUBMITTER_GROUP in group_names(user):
        return profile_country_id(user)
    return None


def canonical_cycle(page):
    """The cycle the process runs on: the page in its original language (translations share it)."""
    original = (
        AwardCyclePage.objects.filter(translation_key=page.translation_key).order_by("pk").only("pk", "title").first()
    )
    return original or page


def cycles_of(user, today=None) -> list[CycleRoles]:
    """Every cycle ``user`` takes part in, newest call first, with what it does there."""
    if not user.is_authenticated or not user.is_active:
        return []
    today = today or timezone.localdate()
    country_id = focal_country_id(user)
    secretariat = is_secretariat_editor(user)
    memberships = {
        member.committee.cycle_id: member
        for member in CommitteeMember.objects.filter(user=user).select_related("committee")
    }
    # The first page of each translation group (a GROUP BY, which SQLite runs too: not DISTINCT ON).
    originals = AwardCyclePage.objects.filter(
        pk__in=AwardCyclePage.objects.order_by().values("translation_key").annotate(first=Min("pk")).values("first")
    )
    wanted = Q(pk__in=list(memberships))
    if country_id is not None:
        wanted |= Q(nominations__country_id=country_id) | Q(
            live=True, call_opens__lte=today, nomination_deadline__gte=today
        )
    if not secretariat:
        originals = originals.filter(wanted)
    cycles = list(originals.distinct().order_by("-call_opens", "pk"))
    own: dict = {}
    if country_id is not None:
        for nomination in Nomination.objects.filter(country_id=country_id, cycle__in=cycles).select_related("category"):
            own.setdefault(nomination.cycle_id, []).append(nomination)
    open_tasks: dict = {}
    if memberships:
        from workflows.core.inbox import visible_tasks

        from .flows import EvaluationFlow

        for cycle_id in (
            visible_tasks(user)
            .filter(process__flow_class=EvaluationFlow, owner=user)
            .values_list("process__evaluationprocess__committee__cycle_id", flat=True)
        ):
            open_tasks[cycle_id] = open_tasks.get(cycle_id, 0) + 1
    with_committee = set(Committee.objects.filter(cycle__in=cycles).values_list("cycle_id", flat=True))
    result = []
    for cycle in cycles:
        roles = CycleRoles(
            cycle=cycle,
            nominations=own.get(cycle.pk, []),
            may_nominate=bool(
                country_id is not None and cycle.live and cycle.call_opens <= today <= cycle.nomination_deadline
            ),
            member=memberships.get(cycle.pk),
            open_tasks=open_tasks.get(cycle.pk, 0),
            secretariat=secretariat,
            has_committee=cycle.pk in with_committee,
        )
        if roles.takes_part:
            result.append(roles)
    return result


def roles_in(user, page, today=None) -> CycleRoles | None:
    """What ``user`` does in the cycle of ``page`` (any of its translations), or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    cycle = canonical_cycle(page)
    for roles in cycles_of(user, today):
        if roles.cycle.pk == cycle.pk:
            return roles
    return None
