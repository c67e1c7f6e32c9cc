"""Who may propose, see, answer and withdraw a match: two tables in the core policy.

Roles are local. A record's ``owner`` is the person who submitted it (the submitter of its family's
latest submission), else the page's Wagtail owner. On a need, its owner and the ``editor``s
responsible for it (the secretariat, or a national editor of one of the need's countries) may
propose matches while it is open. On a proposal, the ``need_owner`` answers for the need, the
``provider`` (the offer's or expert profile's owner) for the other side, and editors and the
``proposer`` follow it and may withdraw it. Whatever the tables do not list is denied.
"""

from content_types.records.models.assistance import NeedStatus
from workflows.core.people import is_secretariat_editor, national_editor_country_id
from workflows.core.policy import Policy, register_policy

from .models import ProposalState as P

OWNER, EDITOR = "owner", "editor"
NEED_OWNER, PROVIDER, PROPOSER = "need_owner", "provider", "proposer"

# need actions
PROPOSE = "propose"
# proposal actions
VIEW, ANSWER_FOR_NEED, ANSWER_FOR_PROVIDER, WITHDRAW = "view", "answer-for-need", "answer-for-provider", "withdraw"


def owners_by_family(pages) -> dict:
    """Translation key → owner's user id for these pages, in one query (submitter, else page owner)."""
    from workflows.review.models import Submission

    pages = [page for page in pages if page is not None]
    keys = {page.translation_key for page in pages}
    submitters = {}
    rows = (
        Submission.objects.filter(page__translation_key__in=keys)
        .order_by("page__translation_key", "-pk")
        .values_list("page__translation_key", "submitter_id")
    )
    for key, submitter_id in rows:
        submitters.setdefault(key, submitter_id)
    return {page.translation_key: submitters.get(page.translation_key) or page.owner_id for page in pages}


def owner_id(page):
    cache = page.__dict__.setdefault("_match_owner", {})
    if "id" not in cache:
        cache["id"] = owners_by_family([page]).get(page.translation_key)
    return cache["id"]


def prime_owners(pages) -> None:
    """Fill each page's owner in one query (lists of needs and their suggestions)."""
    owners = owners_by_family(pages)
    for page in pages:
        page.__dict__["_match_owner"] = {"id": owners.get(page.translation_key)}


def responsible_for(user, need) -> bool:
    """The secretariat, or a national editor of one of the need's countries."""
    if is_secretariat_editor(user):
        return True
    country_id = national_editor_country_id(user)
    return country_id is not None and country_id in {country.pk for country in need.countries.all()}


def need_roles(user, need) -> set[str]:
    roles = set()
    if owner_id(need) == user.pk:
        roles.add(OWNER)
    if responsible_for(user, need):
        roles.add(EDITOR)
    return roles


def proposal_roles(user, proposal) -> set[str]:
    cached = proposal.__dict__.setdefault("_match_roles", {})
    if user.pk not in cached:
        roles = set()
        if owner_id(proposal.need) == user.pk:
            roles.add(NEED_OWNER)
        if owner_id(proposal.candidate) == user.pk:
            roles.add(PROVIDER)
        if proposal.proposed_by_id == user.pk:
            roles.add(PROPOSER)
        if responsible_for(user, proposal.need):
            roles.add(EDITOR)
        cached[user.pk] = roles
    return cached[user.pk]


NEED_POLICY = Policy(
    "match-need",
    states=NeedStatus.values,
    roles=[OWNER, EDITOR],
    actions=[PROPOSE],
    matrix={NeedStatus.OPEN: {PROPOSE: {OWNER, EDITOR}}},
    roles_for=need_roles,
    model="records.NeedPage",
    state_attribute="status",
)

FOLLOWERS = {NEED_OWNER, PROVIDER, EDITOR, PROPOSER}
PROPOSAL_POLICY = Policy(
    "match-proposal",
    states=P.values,
    roles=[NEED_OWNER, PROVIDER, EDITOR, PROPOSER],
    actions=[VIEW, ANSWER_FOR_NEED, ANSWER_FOR_PROVIDER, WITHDRAW],
    matrix={
        P.PROPOSED: {
            VIEW: FOLLOWERS,
            ANSWER_FOR_NEED: {NEED_OWNER},
            ANSWER_FOR_PROVIDER: {PROVIDER},
            WITHDRAW: {EDITOR, PROPOSER},
        },
        P.ACCEPTED: {VIEW: FOLLOWERS},
        P.DECLINED: {VIEW: FOLLOWERS},
        P.WITHDRAWN: {VIEW: FOLLOWERS},
    },
    roles_for=proposal_roles,
    model="cooperation.MatchProposal",
)


def register_match_policies() -> None:
    register_policy(NEED_POLICY)
    register_policy(PROPOSAL_POLICY)
