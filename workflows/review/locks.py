"""A record with an open submission, as the Wagtail admin shows it: locked, with who owns it and why.

While a submission is open, the record's latest revision is what the flow will publish. In a draft
or after a revision request it belongs to its submitter, who changes it in the workspace (the matrix
grants ``edit`` to the submitter only); from submission to decision it is what the editors screen and
the reviewers read. So every open state locks the record in the admin, for everyone: an admin save
would otherwise silently become what is reviewed, resubmitted or published. Published and rejected
submissions release it.
"""

import datetime

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow import STATUS
from wagtail.locks import BaseLock

from workflows.review.policy import OPEN_STATES, Action, State, allowed

from .models import Submission

_CACHE = "_open_submission_cache"
#: The annotation a listing puts on each page (``annotate_open_submission``): the open submission's
#: fields as JSON, or None. A page that carries it answers ``open_submission_of`` without a query.
LISTING_ANNOTATION = "review_open_submission"


def annotate_open_submission(pages):
    """Each listed page's open submission, read in the listing's own query: one query for the page of rows."""
    from django.db.models import OuterRef, Subquery

    from workflows.access import submission_json

    open_one = Submission.objects.filter(page_id=OuterRef("pk"), state__in=OPEN_STATES).values(data=submission_json())[
        :1
    ]
    return pages.annotate(**{LISTING_ANNOTATION: Subquery(open_one)})


def open_submission_of(page):
    """The page's open submission (there is at most one), cached on the instance for its request."""
    if page.pk is None:
        return None
    cached = page.__dict__.get(_CACHE, ...)
    if cached is ... and LISTING_ANNOTATION in page.__dict__:
        from workflows.access import submission_from_json

        cached = submission_from_json(page.__dict__[LISTING_ANNOTATION])
        page.__dict__[_CACHE] = cached
    if cached is ...:
        cached = Submission.objects.filter(page_id=page.pk, state__in=OPEN_STATES).first()
        page.__dict__[_CACHE] = cached
    return cached


def review_lock(page):
    """The lock source registered on ``RecordPage``: a ``ReviewLock`` while a submission is open."""
    submission = open_submission_of(page)
    return ReviewLock(page, submission) if submission is not None else None


def what_to_do(submission) -> str:
    """Why the record cannot change in the admin now, and how it can change, in one sentence."""
    if submission.state == State.DRAFT:
        return _("It is its submitter's draft: only the submitter changes it, in the workspace, until it is submitted.")
    if submission.state == State.REVISION:
        return _("Revisions were requested: its submitter changes it in the workspace and resubmits it.")
    if submission.state == State.SCREENING:
        return _(
            "What the editors screen must stay as it is: return it to the submitter at screening to have it changed."
        )
    return _("What the reviewers read must stay as it is: request revisions at the decision to have it changed.")


def state_line(submission) -> str:
    if submission.round:
        return _("%(state)s, review round %(round)s") % {
            "state": submission.get_state_display(),
            "round": submission.round,
        }
    return submission.get_state_display()


def refusal_message(submission) -> str:
    """The message of every admin door that refuses to change, publish, move or unpublish the record."""
    return _(
        "This record is in the review workflow (%(state)s): it cannot be changed or published in the admin. %(what)s"
    ) % {
        "state": state_line(submission),
        "what": what_to_do(submission),
    }


STEP_DUE_LABELS = {
    State.SCREENING: gettext_lazy("Screening due"),
    State.ASSIGNMENT: gettext_lazy("Reviewers to be named by"),
    State.DECISION: gettext_lazy("Decision due"),
}


def review_summary(user, submission) -> dict:
    """State, round, due dates and the workspace link, for a person the matrix lets see the submission.

    Anyone else who can open the page in the admin learns only that it is locked, and why."""
    from .flows import SubmissionFlow
    from .inbox import task_due_date
    from .views import can_see_reviewer_names, reviewer_label

    summary = {"submission": submission, "state": state_line(submission), "what_to_do": what_to_do(submission)}
    if not allowed(user, submission, Action.VIEW):
        return summary
    today = timezone.localdate()
    steps = []
    if submission.state in STEP_DUE_LABELS:
        editor_nodes = [SubmissionFlow.screen, SubmissionFlow.assign_reviewers, SubmissionFlow.decide]
        task = (
            SubmissionFlow.task_class.objects.filter(
                process__submissionprocess__submission=submission,
                flow_task__in=editor_nodes,
                status__in=[STATUS.NEW, STATUS.ASSIGNED],
            )
            .select_related("process__submissionprocess__submission")
            .order_by("-pk")
            .first()
        )
        due = task_due_date(task, {}) if task else None
        if due:
            steps.append(_due_row(STEP_DUE_LABELS[submission.state], due, today))
    if submission.state == State.REVISION and submission.revision_due:
        steps.append(_due_row(_("Revisions due"), submission.revision_due, today))
    reviews = []
    if submission.round:
        show_names = can_see_reviewer_names(user, submission)
        for assignment in submission.current_assignments():
            row = _due_row(reviewer_label(assignment, show_names), assignment.due_date, today, assignment.is_open)
            row["sent"] = assignment.submitted_at is not None
            reviews.append(row)
    try:
        workspace_url = reverse("workspace:submission", args=[submission.pk])
    except NoReverseMatch:
        workspace_url = ""
    summary.update({"steps": steps, "reviews": reviews, "workspace_url": workspace_url})
    return summary


def _due_row(label, due: datetime.date, today: datetime.date, is_open=True) -> dict:
    return {"label": label, "due": due, "overdue": is_open and due < today}


class ReviewLock(BaseLock):
    """Wagtail's edit view shows this lock and refuses to save; its action menu offers nothing else.

    Like Wagtail's ``ScheduledForPublishLock`` it binds everyone, superusers included: the review,
    not a person, holds it, and only a step of the review releases it."""

    def __init__(self, page, submission):
        super().__init__(page)
        self.submission = submission

    def for_user(self, user):
        return True

    def get_locked_by(self, user):
        return _("Locked by the review")

    def get_description(self, user):
        return f"{state_line(self.submission)}. {what_to_do(self.submission)}"

    def get_message(self, user):
        return render_to_string("review/admin/review_lock.html", review_summary(user, self.submission))
