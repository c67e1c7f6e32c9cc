"""The review's notification events, registered with the notifications app when the review starts.

Each event's e-mail templates are ``notifications/email/<event>_subject.txt`` and ``_body.txt`` in
this app's templates; the people told by default are resolved from the submission.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.notifications.events import Link, register_event


class Event(models.TextChoices):
    SUBMISSION_RECEIVED = "submission_received", _("Submission received")
    SCREENING_NEEDED = "screening_needed", _("Submission to screen")
    REVIEW_ASSIGNED = "review_assigned", _("Review requested")
    REVIEW_REMINDER = "review_reminder", _("Review overdue")
    REVIEWS_COMPLETE = "reviews_complete", _("Reviews complete")
    DECISION = "decision", _("Decision")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Submission withdrawn")


MESSAGES = {
    Event.SUBMISSION_RECEIVED: _("Your submission “%(title)s” was received."),
    Event.SCREENING_NEEDED: _("“%(title)s” was submitted and awaits screening."),
    Event.REVIEW_ASSIGNED: _("You are asked to review “%(title)s”."),
    Event.REVIEW_REMINDER: _("Your review of “%(title)s” is overdue."),
    Event.REVIEWS_COMPLETE: _("All reviews of “%(title)s” are in: it awaits your decision."),
    Event.DECISION: _("A decision was taken on “%(title)s”."),
    Event.PUBLISHED: _("“%(title)s” is published."),
    Event.WITHDRAWN: _("“%(title)s” was withdrawn by its submitter."),
}


def submission_link(submission) -> Link:
    return Link(title=submission.title, viewname="workspace:submission", kwargs={"pk": submission.pk})


def submitter(submission, **context):
    return [submission.submitter]


def responsible_editors(submission, **context):
    """Secretariat editors and the national editors of the submission's country (never its submitter)."""
    from workflows.core.people import responsible_editors as editors

    return editors(submission.acting_for_country_id, exclude=submission.submitter_id)


def reviewer(submission, *, reviewer, **context):
    return [reviewer]


def editors_and_open_reviewers(submission, *, open_reviewers=(), **context):
    """A withdrawal concerns the editors and the reviewers whose review it cancelled."""
    return [*responsible_editors(submission), *open_reviewers]


RECIPIENTS = {
    Event.SUBMISSION_RECEIVED: submitter,
    Event.SCREENING_NEEDED: responsible_editors,
    Event.REVIEW_ASSIGNED: reviewer,
    Event.REVIEW_REMINDER: reviewer,
    Event.REVIEWS_COMPLETE: responsible_editors,
    Event.DECISION: submitter,
    Event.PUBLISHED: submitter,
    Event.WITHDRAWN: editors_and_open_reviewers,
}


def register_review_events() -> None:
    for event in Event:
        register_event(
            event.value,
            label=event.label,
            message=MESSAGES[event],
            recipients=RECIPIENTS[event],
            describe=submission_link,
        )
