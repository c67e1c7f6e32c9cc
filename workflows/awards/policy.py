"""The award process's tables in the core policy: one for nominations, one for the committee's work.

Roles are local to the object: the ``nominee`` is a Submitter acting for the nomination's country;
the ``secretariat`` is the portal's secretariat (editors without a country, administrators); a
``scorer`` is a committee member who may assess the nomination (not from its country, no declared
conflict); a ``member`` belongs to the cycle's committee (``excluded`` if the nomination is its own
country's or it declared a conflict); the ``chair`` leads it. Whatever the tables do not list is denied.
"""

from workflows.core.people import SUBMITTER_GROUP, group_names, is_secretariat_editor, profile_country_id
from workflows.core.policy import Policy, register_policy

from .models import EvaluationState as E
from .models import NominationState as N

NOMINEE, SECRETARIAT, SCORER, EXCLUDED = "nominee", "secretariat", "scorer", "excluded"
MEMBER, CHAIR = "member", "chair"

# nomination actions
VIEW, EDIT, SUBMIT, CHECK, SCORE, DECLARE_CONFLICT, SEE_SCORES = (
    "view",
    "edit",
    "submit",
    "check",
    "score",
    "declare-conflict",
    "see-scores",
)
# committee actions
VIEW_RANKING, CLOSE_SCORING, DECIDE, SIGN_OFF, PUBLISH, EXPORT = (
    "view-ranking",
    "close-scoring",
    "decide",
    "sign-off",
    "publish",
    "export",
)


def committee_member(user, committee):
    """The user's membership of ``committee`` (cached on the committee for the request), else None."""
    cache = committee.__dict__.setdefault("_members_by_user", None)
    if cache is None:
        cache = {member.user_id: member for member in committee.members.all()}
        committee._members_by_user = cache
    return cache.get(user.pk)


def nomination_roles(user, nomination) -> set[str]:
    roles = set()
    if is_secretariat_editor(user):
        roles.add(SECRETARIAT)
    if SUBMITTER_GROUP in group_names(user) and profile_country_id(user) == nomination.country_id:
        roles.add(NOMINEE)
    committee = getattr(nomination.cycle, "committee", None) if _has_committee(nomination.cycle) else None
    if committee is not None:
        member = committee_member(user, committee)
        if member is not None:
            if member.country_id == nomination.country_id or _conflicted(member, nomination):
                roles.add(EXCLUDED)
            else:
                roles.add(SCORER)
    return roles


def _has_committee(cycle) -> bool:
    from .models import Committee

    try:
        return cycle.committee is not None
    except Committee.DoesNotExist:
        return False


def _conflicted(member, nomination) -> bool:
    conflicts = member.__dict__.get("_conflict_ids")
    if conflicts is None:
        conflicts = set(member.conflicts.values_list("nomination_id", flat=True))
        member._conflict_ids = conflicts
    return nomination.pk in conflicts


def committee_roles(user, committee) -> set[str]:
    roles = set()
    if is_secretariat_editor(user):
        roles.add(SECRETARIAT)
    member = committee_member(user, committee)
    if member is not None:
        roles.add(MEMBER)
        if member.is_chair:
            roles.add(CHAIR)
    return roles


NOMINATION_POLICY = Policy(
    "award-nomination",
    states=N.values,
    roles=[NOMINEE, SECRETARIAT, SCORER, EXCLUDED],
    actions=[VIEW, EDIT, SUBMIT, CHECK, SCORE, DECLARE_CONFLICT, SEE_SCORES],
    matrix={
        N.DRAFT: {VIEW: {NOMINEE}, EDIT: {NOMINEE}, SUBMIT: {NOMINEE}},
        N.SUBMITTED: {VIEW: {NOMINEE, SECRETARIAT}, EDIT: {NOMINEE}, CHECK: {SECRETARIAT}},
        N.CORRECTION: {VIEW: {NOMINEE, SECRETARIAT}, EDIT: {NOMINEE}, SUBMIT: {NOMINEE}},
        N.ACCEPTED: {
            VIEW: {NOMINEE, SECRETARIAT, SCORER},
            SCORE: {SCORER},
            DECLARE_CONFLICT: {SCORER},
            SEE_SCORES: {SECRETARIAT, SCORER},
        },
        N.REJECTED: {VIEW: {NOMINEE, SECRETARIAT}},
    },
    roles_for=nomination_roles,
    model="awards_flow.Nomination",
)

COMMITTEE_POLICY = Policy(
    "award-evaluation",
    states=E.values,
    roles=[SECRETARIAT, MEMBER, CHAIR],
    actions=[VIEW, VIEW_RANKING, CLOSE_SCORING, DECIDE, SIGN_OFF, PUBLISH, EXPORT],
    matrix={
        E.SCORING: {
            VIEW: {SECRETARIAT, MEMBER},
            VIEW_RANKING: {SECRETARIAT},
            CLOSE_SCORING: {SECRETARIAT},
            EXPORT: {SECRETARIAT},
        },
        E.DECISION: {
            VIEW: {SECRETARIAT, MEMBER},
            VIEW_RANKING: {SECRETARIAT, MEMBER},
            DECIDE: {CHAIR},
            EXPORT: {SECRETARIAT, MEMBER},
        },
        E.SIGN_OFF: {
            VIEW: {SECRETARIAT, MEMBER},
            VIEW_RANKING: {SECRETARIAT, MEMBER},
            DECIDE: {CHAIR},
            SIGN_OFF: {MEMBER},
            EXPORT: {SECRETARIAT, MEMBER},
        },
        E.SIGNED: {
            VIEW: {SECRETARIAT, MEMBER},
            VIEW_RANKING: {SECRETARIAT, MEMBER},
            PUBLISH: {SECRETARIAT},
            EXPORT: {SECRETARIAT, MEMBER},
        },
        E.PUBLISHED: {VIEW: {SECRETARIAT, MEMBER}, VIEW_RANKING: {SECRETARIAT, MEMBER}, EXPORT: {SECRETARIAT, MEMBER}},
    },
    roles_for=committee_roles,
    model="awards_flow.Committee",
)


def register_award_policies() -> None:
    register_policy(NOMINATION_POLICY)
    register_policy(COMMITTEE_POLICY)
