"""The review of a submitted record, as a Viewflow flow.

submit → screening (send to review / return / reject) → naming reviewers → one review task per
reviewer, in parallel → decision (publish / request revisions / reject) → revision by the submitter,
which returns to screening (if the screening returned it) or opens a new review round → publication.

Human steps are ``SubmissionTask`` nodes (the core's ``GuardedTask``): their guards ask the review's
policy, so the flow and the views can never disagree about who may act. The process row is locked
(``select_for_update``) for every step, so two people acting at once cannot move it twice.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.exceptions import FlowRuntimeError

from workflows.core.nodes import GuardedTask, PerAssigneeSplit
from workflows.review.policy import POLICY, Action, State

from . import services, task_views
from .models import ReviewAssignment, Submission, SubmissionProcess


def submission_of(task) -> Submission:
    return task.process.coerced.submission


class SubmissionTask(GuardedTask):
    """A human step of the review, guarded by the review's policy as well as by Viewflow's owner checks."""

    policy = POLICY

    def subject_of(self, task):
        return submission_of(task)


class ReviewSplit(PerAssigneeSplit):
    """One review task per reviewer named for the current round, each carrying its assignment."""

    def empty_message(self, activation) -> str:
        return f"No reviewer named for round {activation.process.coerced.submission.round}"


class SubmissionFlow(flow.Flow):
    """Record review

    A submitted record is screened, reviewed in parallel by named reviewers, decided on, revised by its
    submitter round after round, and published as a new revision of its Wagtail page.
    """

    process_class = SubmissionProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Record review")
    process_description = _("Screening, parallel peer review, decision, revision rounds and publication.")

    start = (
        flow.StartHandle(this.start_process)
        .Annotation(title=_("Submitted"), description=_("The submitter sends its draft for review."))
        .Next(this.screen)
    )
    screen = (
        SubmissionTask(task_views.ScreeningView.as_view(), action=Action.SCREEN, due_in_days=7, releasable=True)
        .Annotation(
            title=_("Screen the submission"),
            description=_(
                "An editor checks that the record is complete and in scope: send to review, return or reject."
            ),
        )
        .Permission("review.screen_submission")
        .Next(this.after_screening)
    )
    after_screening = (
        flow.Switch()
        .Annotation(title=_("Screening outcome"))
        .Case(this.assign_reviewers, this.is_awaiting_reviewers)
        .Case(this.revise, this.is_in_revision)
        .Default(this.reject)
    )
    assign_reviewers = (
        SubmissionTask(task_views.AssignReviewersView.as_view(), action=Action.ASSIGN, due_in_days=7, releasable=True)
        .Annotation(
            title=_("Name reviewers"),
            description=_("An editor names one or more reviewers and the date their reviews are due."),
        )
        .Permission("review.assign_reviewers")
        .Next(this.reviews)
    )
    reviews = (
        ReviewSplit(this.open_reviews_of_round)
        .Annotation(title=_("Parallel reviews"), description=_("One review task per named reviewer."))
        .Next(this.review)
    )
    review = (
        SubmissionTask(task_views.ReviewView.as_view(), action=Action.REVIEW)
        .Annotation(
            title=_("Review the record"),
            description=_("A recommendation, comments to the submitter and confidential comments to the editor."),
        )
        .Permission("review.review_submission")
        .Assign(this.reviewer_of)
        .onCreate(this.link_assignment)
        .Next(this.reviews_done)
    )
    reviews_done = flow.Join().Annotation(title=_("All reviews received")).Next(this.decide)
    decide = (
        SubmissionTask(task_views.DecisionView.as_view(), action=Action.DECIDE, due_in_days=14, releasable=True)
        .Annotation(
            title=_("Decide on the submission"),
            description=_("An editor reads the reviews and publishes, requests revisions or rejects."),
        )
        .Permission("review.decide_submission")
        .onCreate(this.on_reviews_complete)
        .Next(this.after_decision)
    )
    after_decision = (
        flow.Switch()
        .Annotation(title=_("Decision outcome"))
        .Case(this.publish, this.is_published)
        .Case(this.revise, this.is_in_revision)
        .Default(this.reject)
    )
    revise = (
        SubmissionTask(task_views.ReviseView.as_view(), action=Action.RESUBMIT)
        .Annotation(
            title=_("Revise and resubmit"),
            description=_("The submitter edits its record as asked and sends it back."),
        )
        .Permission("review.revise_submission")
        .Assign(this.submitter_of)
        .Next(this.after_revision)
    )
    after_revision = (
        flow.Switch()
        .Annotation(title=_("Next round"))
        .Case(this.screen, this.resumes_at_screening)
        .Default(this.assign_reviewers)
    )
    publish = (
        flow.Function(this.publish_record)
        .Annotation(title=_("Publish"), description=_("The record's latest revision goes live through Wagtail."))
        .Next(this.published)
    )
    reject = (
        flow.Function(this.close_rejected)
        .Annotation(title=_("Close as rejected"), description=_("Grants are taken back; the draft is kept."))
        .Next(this.rejected)
    )
    published = flow.End().Annotation(title=_("Published"))
    rejected = flow.End().Annotation(title=_("Rejected"))

    # --- start ---------------------------------------------------------------------------------
    def start_process(self, activation, submission, user):
        """Guarded start: only the submitter of a submission that has just been submitted."""
        if submission.state != State.SCREENING or submission.submitter_id != user.pk:
            raise FlowRuntimeError("A review starts only from its submitter's submission")
        activation.process.submission = submission
        activation.task.owner = user
        return activation.process

    # --- conditions read the submission's state as the last step left it ------------------------
    def _state(self, activation) -> str:
        return Submission.objects.values_list("state", flat=True).get(pk=activation.process.submission_id)

    def is_awaiting_reviewers(self, activation) -> bool:
        return self._state(activation) == State.ASSIGNMENT

    def is_in_revision(self, activation) -> bool:
        return self._state(activation) == State.REVISION

    def is_published(self, activation) -> bool:
        return self._state(activation) == State.PUBLISHED

    def resumes_at_screening(self, activation) -> bool:
        return activation.process.resume_at == SubmissionProcess.ResumeAt.SCREENING

    # --- parallel reviews -----------------------------------------------------------------------
    def open_reviews_of_round(self, activation):
        submission = Submission.objects.get(pk=activation.process.submission_id)
        assignments = ReviewAssignment.objects.open().filter(submission=submission, round=submission.round)
        return [{"assignment": assignment.pk} for assignment in assignments]

    # --- owners ----------------------------------------------------------------------------------
    def reviewer_of(self, activation):
        return ReviewAssignment.objects.select_related("reviewer").get(pk=activation.task.data["assignment"]).reviewer

    def submitter_of(self, activation):
        return Submission.objects.select_related("submitter").get(pk=activation.process.submission_id).submitter

    def link_assignment(self, activation):
        ReviewAssignment.objects.filter(pk=activation.task.data["assignment"]).update(task=activation.task)

    # --- automatic steps -------------------------------------------------------------------------
    def on_reviews_complete(self, activation):
        services.reviews_complete(activation.process.submission_id)

    def publish_record(self, activation):
        services.publish(activation.process.submission_id)

    def close_rejected(self, activation):
        services.close_rejected(activation.process.submission_id)
