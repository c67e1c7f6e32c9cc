"""The review workflow's policy: what each role may do to a submission in each state.

Plone-style: a person's *local roles* on one submission (its submitter, its assigned reviewer, an
editor, the national editor of its country) meet the submission's *state*, and this one table says
which actions follow. Every workspace view, every task guard of the flow and the rendered
``docs/permissions.md`` read it; nothing else grants anything (deny by default). The table is
registered with the workflow core (``workflows.core.policy``) like every flow's.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflows.core.people import (
    ADMINISTRATOR_GROUP,
    EDITOR_GROUP,
    REVIEWER_GROUP,
    SUBMITTER_GROUP,
    is_editor,
    is_secretariat_editor,
    national_editor_country_id,
)
from workflows.core.policy import Policy, register_policy

__all__ = [
    "ACTIVE_STATES",
    "ADMINISTRATOR_GROUP",
    "EDITORS",
    "EDITOR_GROUP",
    "FINAL_STATES",
    "FOLLOWERS",
    "MATRIX",
    "OPEN_STATES",
    "POLICY",
    "READERS",
    "REVIEWER_GROUP",
    "SUBMITTER_GROUP",
    "Action",
    "Role",
    "State",
    "allowed",
    "allowed_actions",
    "can_create_submissions",
    "is_editor",
    "is_secretariat_editor",
    "national_editor_country_id",
    "render_markdown",
    "roles_allowed",
    "roles_for",
    "states_where",
    "visible_filter",
]


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCREENING = "screening", _("Screening")
    ASSIGNMENT = "assignment", _("Awaiting reviewers")
    IN_REVIEW = "in_review", _("In review")
    DECISION = "decision", _("Awaiting decision")
    REVISION = "revision", _("Revisions requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


# A submission in one of these states is still moving; a page has at most one such submission.
OPEN_STATES = [State.DRAFT, State.SCREENING, State.ASSIGNMENT, State.IN_REVIEW, State.DECISION, State.REVISION]
# Submitted and not yet decided for good: the states a process is running in.
ACTIVE_STATES = [State.SCREENING, State.ASSIGNMENT, State.IN_REVIEW, State.DECISION, State.REVISION]
FINAL_STATES = [State.PUBLISHED, State.REJECTED]


class Role(models.TextChoices):
    SUBMITTER = "submitter", _("Submitter (owner of the submission)")
    REVIEWER = "reviewer", _("Assigned reviewer (while the review is open)")
    PAST_REVIEWER = "past_reviewer", _("Reviewer who sent its review (until the process ends)")
    EDITOR = "editor", _("Editor (secretariat)")
    NATIONAL_EDITOR = "national_editor", _("National editor (same country)")


class Action(models.TextChoices):
    VIEW = "view", _("See the submission and its record")
    EDIT = "edit", _("Change the record")
    SUBMIT = "submit", _("Submit the draft for review")
    WITHDRAW = "withdraw", _("Withdraw (back to draft)")
    RESUBMIT = "resubmit", _("Resubmit after revision")
    SCREEN = "screen", _("Screen (send to review, return, reject)")
    ASSIGN = "assign", _("Name reviewers and a due date")
    REVIEW = "review", _("Write a review")
    DECIDE = "decide", _("Decide (publish, request revisions, reject)")
    VIEW_HISTORY = "view_history", _("Read the history")
    VIEW_REVIEWS = "view_reviews", _("Read the reviewers' comments to the submitter")
    VIEW_CONFIDENTIAL = "view_confidential", _("Read confidential comments and reviewer names")
    VIEW_OWN_REVIEW = "view_own_review", _("Read one's own review (its comments to the submitter)")
    OPEN_IN_ADMIN = "open_in_admin", _("Open the record in the Wagtail admin")
    REVISE_LIVE = "revise_live", _("Start a revision of the published record")


S, R, P, E, N = Role.SUBMITTER, Role.REVIEWER, Role.PAST_REVIEWER, Role.EDITOR, Role.NATIONAL_EDITOR
EDITORS = frozenset({E, N})
FOLLOWERS = frozenset({S, E, N})  # the submitter and the editors follow a submission throughout
READERS = FOLLOWERS | {P}  # ... and a reviewer keeps reading what it reviewed until the process ends

# state -> action -> roles allowed. A missing action means nobody.
MATRIX: dict[str, dict[str, frozenset]] = {
    State.DRAFT: {
        Action.VIEW: frozenset({S}),
        Action.EDIT: frozenset({S}),
        Action.SUBMIT: frozenset({S}),
        Action.VIEW_HISTORY: frozenset({S}),
    },
    State.SCREENING: {
        Action.VIEW: READERS,
        Action.VIEW_OWN_REVIEW: frozenset({P}),
        Action.WITHDRAW: frozenset({S}),
        Action.SCREEN: EDITORS,
        Action.VIEW_HISTORY: FOLLOWERS,
        Action.VIEW_CONFIDENTIAL: EDITORS,
        Action.OPEN_IN_ADMIN: EDITORS,
    },
    State.ASSIGNMENT: {
        Action.VIEW: READERS,
        Action.VIEW_OWN_REVIEW: frozenset({P}),
        Action.WITHDRAW: frozenset({S}),
        Action.ASSIGN: EDITORS,
        Action.VIEW_HISTORY: FOLLOWERS,
        Action.VIEW_REVIEWS: EDITORS,
        Action.VIEW_CONFIDENTIAL: EDITORS,
        Action.OPEN_IN_ADMIN: EDITORS,
    },
    State.IN_REVIEW: {
        Action.VIEW: READERS | {R},
        Action.VIEW_OWN_REVIEW: frozenset({P}),
        Action.WITHDRAW: frozenset({S}),
        Action.REVIEW: frozenset({R}),
        Action.VIEW_HISTORY: FOLLOWERS,
        Action.VIEW_REVIEWS: EDITORS,
        Action.VIEW_CONFIDENTIAL: EDITORS,
        Action.OPEN_IN_ADMIN: EDITORS,
    },
    State.DECISION: {
        Action.VIEW: READERS,
        Action.VIEW_OWN_REVIEW: frozenset({P}),
        Action.WITHDRAW: frozenset({S}),
        Action.DECIDE: EDITORS,
        Action.VIEW_HISTORY: FOLLOWERS,
        Action.VIEW_REVIEWS: EDITORS,
        Action.VIEW_CONFIDENTIAL: EDITORS,
        Action.OPEN_IN_ADMIN: EDITORS,
    },
    State.REVISION: {
        Action.VIEW: READERS,
        Action.VIEW_OWN_REVIEW: frozenset({P}),
        Action.EDIT: frozenset({S}),
        Action.RESUBMIT: frozenset({S}),
        Action.WITHDRAW: frozenset({S}),
        Action.VIEW_HISTORY: FOLLOWERS,
        Action.VIEW_REVIEWS: FOLLOWERS,
        Action.VIEW_CONFIDENTIAL: EDITORS,
        Action.OPEN_IN_ADMIN: EDITORS,
    },
    State.PUBLISHED: {
        Action.VIEW: FOLLOWERS,
        Action.VIEW_HISTORY: FOLLOWERS,
        Action.VIEW_REVIEWS: FOLLOWERS,
        Action.VIEW_CONFIDENTIAL: EDITORS,
        Action.OPEN_IN_ADMIN: EDITORS,
        Action.REVISE_LIVE: frozenset({S}),
    },
    State.REJECTED: {
        Action.VIEW: FOLLOWERS,
        Action.VIEW_HISTORY: FOLLOWERS,
        Action.VIEW_REVIEWS: FOLLOWERS,
        Action.VIEW_CONFIDENTIAL: EDITORS,
        Action.OPEN_IN_ADMIN: EDITORS,
    },
}


def can_create_submissions(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("review.add_submission")


def _submission_roles(user, submission, among=None) -> set:
    """The local roles an active, signed-in ``user`` holds on ``submission`` (only those ``among`` when
    given: the reviewer roles cost a query each, and an action that none of them may take need not ask).

    Nobody judges their own submission: its submitter holds no editor role on it, whatever its groups.
    """
    roles = set()
    if submission.submitter_id == user.pk:
        roles.add(Role.SUBMITTER)
    else:
        if is_secretariat_editor(user):
            roles.add(Role.EDITOR)
        else:
            country_id = national_editor_country_id(user)
            if country_id is not None and country_id == submission.acting_for_country_id:
                roles.add(Role.NATIONAL_EDITOR)
        if (among is None or Role.REVIEWER in among) and submission.has_open_review_by(user):
            roles.add(Role.REVIEWER)
        wanted = among is None or Role.PAST_REVIEWER in among
        if wanted and submission.state in ACTIVE_STATES and submission.has_sent_review_by(user):  # running
            roles.add(Role.PAST_REVIEWER)
    return roles


POLICY = register_policy(
    Policy(
        "review",
        states=State.values,
        roles=Role.values,
        actions=Action.values,
        matrix=MATRIX,
        roles_for=_submission_roles,
        model="review.Submission",
    )
)
roles_allowed = POLICY.roles_allowed
states_where = POLICY.states_where
roles_for = POLICY.roles_for
allowed = POLICY.allowed
allowed_actions = POLICY.allowed_actions


def visible_filter(user) -> Q:
    """A ``Submission`` filter for what ``user`` may VIEW, derived from the matrix (no guessing of ids)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    query = Q(submitter=user, state__in=states_where(Role.SUBMITTER, Action.VIEW))
    from workflows.review.models import ReviewAssignment

    open_review = ReviewAssignment.objects.open().filter(
        submission=models.OuterRef("pk"), reviewer=user, round=models.OuterRef("round")
    )
    query |= Q(models.Exists(open_review), state__in=states_where(Role.REVIEWER, Action.VIEW)) & ~Q(submitter=user)
    sent_review = ReviewAssignment.objects.sent_in_running_process().filter(
        submission=models.OuterRef("pk"), reviewer=user
    )
    query |= Q(models.Exists(sent_review), state__in=states_where(Role.PAST_REVIEWER, Action.VIEW)) & ~Q(submitter=user)
    if is_secretariat_editor(user):
        query |= Q(state__in=states_where(Role.EDITOR, Action.VIEW)) & ~Q(submitter=user)
    else:
        country_id = national_editor_country_id(user)
        if country_id is not None:
            query |= Q(
                state__in=states_where(Role.NATIONAL_EDITOR, Action.VIEW), acting_for_country_id=country_id
            ) & ~Q(submitter=user)
    return query


# --- Documentation ---------------------------------------------------------------------------


def render_markdown() -> str:
    """The matrix as the Markdown page ``docs/permissions.md`` (kept in sync by a test)."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            "# Review workflow permissions",
            "",
            "Generated from `workflows/review/policy.py` by `manage.py render_permissions`; do not edit by hand.",
            "",
            "What a person may do to a submission depends on their *role on that submission* and on the",
            "submission's *state*. Everything not listed is denied.",
            "",
            "## Roles",
            "",
        ]
        for role in Role:
            lines.append(f"- **{role.value}**: {role.label}")
        lines += [
            "",
            "A submitter never holds an editor role on its own submission. A reviewer holds its role only while",
            "its review of the current round is open; once it has sent its review it is a past reviewer until the",
            "process ends (published, rejected or withdrawn): it still reads the submission and its own review's",
            "comments to the submitter, never other reviewers' reviews nor confidential comments.",
            "Administrators and superusers act as secretariat editors.",
            "",
            "## States",
            "",
        ]
        for state in State:
            lines.append(f"- **{state.value}**: {state.label}")
        lines += ["", "## Matrix", ""]
        header = "| state | action | " + " | ".join(role.value for role in Role) + " |"
        lines += [header, "|" + "---|" * (2 + len(Role))]
        for state in State:
            for action in Action:
                granted = roles_allowed(state, action)
                if not granted:
                    continue
                cells = " | ".join("yes" if role in granted else "—" for role in Role)
                lines.append(f"| {state.value} | {action.value} | {cells} |")
        lines += [
            "",
            "## Object permissions the flow grants and takes back (django-guardian)",
            "",
            "- The submitter holds `view` and `change` on its record page while the submission is a draft or in",
            "  revision; they are taken back when it is submitted, published or rejected.",
            "- An assigned reviewer holds `view` on the record page from its assignment until the process ends:",
            "  the record is published or rejected, or the submission is withdrawn.",
            "- A national editor's reach follows its profile's country (read at each request), so that a change",
            "  of country or a new national editor takes effect at once.",
            "",
            "## Documents and images (`workflows/access.py`)",
            "",
            "- A document or an image is *restricted* when it is in the review collection, or when the pages",
            "  that use it are none of them live (a submission's draft): only those who may read the page",
            "  (submitter, its reviewers, editors of its country, the secretariat) see it, choose it or find it",
            "  in listings, and only those who may change that page (never while the flow owns it) edit or",
            "  delete it. One that no page uses is its uploader's only.",
            "- Any other document or image (used by a live page, or put by editors in a public collection) is",
            "  public: everyone reads it, and Wagtail's collection permissions decide who changes it.",
            "- Pages are counted through Wagtail's reference index (fields, rich text, stream blocks; a draft's",
            "  content is saved on its page row) and, for record attachments, through their revisions too.",
            "- Restricted documents are sent by `/documents/<id>/<name>` after the check, as downloads. No image",
            "  serve view is enabled and original images are never on a public path. Renditions are files",
            "  under `/media/images/` whose names carry a random 128-bit token (`cms/uploads/renditions.py`):",
            "  the address Wagtail would give them (the original's name and the filter) answers 404, and the",
            "  real one appears only in pages and admin views of those who may read the image. When an image",
            "  turns restricted (the live page showing it is unpublished or deleted, or it is moved into the",
            "  review collection) its renditions are deleted and purged from the cache, so that addresses",
            "  handed out while it was public stop answering.",
            "",
            "## Tasks and locks",
            "",
            "- Starting a draft needs `review.add_submission` (the Submitter role).",
            "- Screening, naming reviewers and deciding are group tasks: any editor holding the role on the",
            "  submission may take one (and give it back); once taken, only its holder completes it.",
            "- A review task belongs to its named reviewer; a revision task to the submitter.",
            "- Every step locks the process row (`SELECT ... FOR UPDATE`) and checks this matrix again inside",
            "  the lock: of two people acting at once, one completes the step and the other is told it is done.",
            "",
            "## Actions",
            "",
        ]
        for action in Action:
            lines.append(f"- **{action.value}**: {action.label}")
        lines.append("")
    return "\n".join(lines)
