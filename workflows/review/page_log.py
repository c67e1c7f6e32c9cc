"""The review's steps in Wagtail's own history: a page's History tab and the site history report.

Each audit row of a step also becomes a ``PageLogEntry`` on the record, in the same transaction.
The admin history is read by every editor who can open the page, including editors the matrix
keeps out of the submission, so an entry says what happened and when, never what was written:
no comment, no recommendation, and no reviewer's name when the reviewers are anonymous (the
entry has no user and names "Reviewer 2" instead). The workspace keeps the full, guarded history.
"""

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, get_active_log_context
from wagtail.models import PageLogEntry

from workflows.review.policy import Role, State

from .models import AuditEntry


class ReviewLogFormatter(LogFormatter):
    """A message that may name the round, the review's position or the reviews' due date."""

    def format_message(self, log_entry):
        data = {"round": "", "number": "", "due": "", "count": "", **(log_entry.data or {})}
        return self.message % data


class RejectedFormatter(ReviewLogFormatter):
    def format_message(self, log_entry):
        if (log_entry.data or {}).get("stage") == "screening":
            return _("Rejected at screening")
        return _("Rejected after review round %(round)s") % {"round": log_entry.data.get("round", "")}


# action -> (label in the history filters, message)
ACTIONS = {
    "review.draft_created": (_("Review: draft created"), _("Draft created in the workspace")),
    "review.revision_started": (
        _("Review: revision started"),
        _("Revision of the published record started in the workspace"),
    ),
    "review.submitted": (_("Review: submitted"), _("Submitted for review")),
    "review.withdrawn": (_("Review: withdrawn"), _("Withdrawn by its submitter")),
    "review.sent_to_review": (_("Review: sent to review"), _("Screened: sent to review")),
    "review.returned": (_("Review: returned"), _("Screened: returned to the submitter")),
    "review.reviewers_named": (
        _("Review: reviewers named"),
        _("%(count)s reviewer(s) named for round %(round)s, reviews due %(due)s"),
    ),
    "review.review_sent": (_("Review: review sent"), _("Review sent by Reviewer %(number)s (round %(round)s)")),
    "review.reviews_complete": (_("Review: all reviews received"), _("All reviews of round %(round)s received")),
    "review.revisions_requested": (
        _("Review: revisions requested"),
        _("Decided: revisions requested after round %(round)s"),
    ),
    "review.publication_decided": (
        _("Review: publication decided"),
        _("Decided: publish after round %(round)s"),
    ),
    "review.resubmitted": (_("Review: resubmitted"), _("Revised and resubmitted")),
    "review.published": (_("Review: published"), _("Published through the review workflow")),
}
REJECTED = "review.rejected"

# Audit actions with one log action whatever the outcome. Not logged: edits (Wagtail logs the
# revision itself) and taking or releasing a task (bookkeeping among editors, not a step).
_BY_ACTION = {
    AuditEntry.Action.CREATED: "review.draft_created",
    AuditEntry.Action.REVISION_STARTED: "review.revision_started",
    AuditEntry.Action.SUBMITTED: "review.submitted",
    AuditEntry.Action.WITHDRAWN: "review.withdrawn",
    AuditEntry.Action.REVIEWERS_ASSIGNED: "review.reviewers_named",
    AuditEntry.Action.REVIEW_SUBMITTED: "review.review_sent",
    AuditEntry.Action.REVIEWS_COMPLETE: "review.reviews_complete",
    AuditEntry.Action.RESUBMITTED: "review.resubmitted",
    AuditEntry.Action.PUBLISHED: "review.published",
}
_BY_OUTCOME = {
    AuditEntry.Action.SCREENED: {
        State.ASSIGNMENT: "review.sent_to_review",
        State.REVISION: "review.returned",
        State.REJECTED: REJECTED,
    },
    AuditEntry.Action.DECIDED: {
        State.PUBLISHED: "review.publication_decided",
        State.REVISION: "review.revisions_requested",
        State.REJECTED: REJECTED,
    },
}


def register(actions) -> None:
    """Called by the ``register_log_actions`` hook."""
    for action, (label, message) in ACTIONS.items():
        formatter = type("Formatter", (ReviewLogFormatter,), {"label": label, "message": message})
        actions.register_action(action)(formatter)
    actions.register_action(REJECTED)(type("Formatter", (RejectedFormatter,), {"label": _("Review: rejected")}))


def log_action_for(entry) -> str | None:
    if entry.action in _BY_OUTCOME:
        return _BY_OUTCOME[entry.action].get(entry.to_state)
    return _BY_ACTION.get(entry.action)


def log_to_page_history(entry) -> PageLogEntry | None:
    """Write the Wagtail log entry of an audit row (called by ``services.audit``, in its transaction)."""
    action = log_action_for(entry)
    if action is None:
        return None
    submission = entry.submission
    page = submission.page
    data = {"submission": submission.pk, "round": entry.round}
    user = entry.actor
    if entry.action == AuditEntry.Action.SCREENED:
        data["stage"] = "screening"
    elif entry.action == AuditEntry.Action.DECIDED:
        data["stage"] = "decision"
    elif entry.action == AuditEntry.Action.REVIEWERS_ASSIGNED:
        current = submission.assignments.filter(round=entry.round, cancelled_at__isnull=True)
        named = current.aggregate(count=Count("pk"), due=Max("due_date"))
        data.update(count=named["count"], due=named["due"].isoformat() if named["due"] else "")
    if entry.assignment_id:
        data["number"] = entry.assignment.position
    if entry.actor_role == Role.REVIEWER and submission.anonymous_reviewers:
        user = None
    return PageLogEntry.objects.create(
        content_type_id=page.content_type_id,
        page_id=page.pk,
        label=page.draft_title or page.title,
        action=action,
        data=data,
        timestamp=entry.created_at,
        user=user,
        uuid=get_active_log_context().uuid,
    )
