"""Periodic work of the review: reminders of overdue reviews."""

from celery import shared_task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from workflows.notifications.events import Link, raise_event
from workflows.review.policy import State

from .events import Event


@shared_task(name="workflows.review.tasks.send_review_reminders", ignore_result=True)
def send_review_reminders() -> int:
    """Remind each reviewer whose open review of the current round is past due, once per calendar day.

    Runs several times a day (``CELERY_BEAT_SCHEDULE``) so that a missed run is caught up; the rows are
    locked and locked rows skipped, so that two workers never remind the same reviewer twice.
    """
    from .models import ReviewAssignment

    now = timezone.now()
    start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    sent = 0
    with transaction.atomic():
        overdue = (
            ReviewAssignment.objects.overdue(timezone.localdate(now))
            .filter(submission__state=State.IN_REVIEW, submission__round=F("round"))
            .exclude(last_reminded_at__gte=start_of_today)
            .select_related("reviewer__profile", "submission__page")
            .select_for_update(skip_locked=True, of=("self",))
        )
        for assignment in overdue:
            title = assignment.submission.title
            link = Link(title, "workspace:task", {"task_pk": assignment.task_id})
            if assignment.task_id is None:
                link = Link(title, "workspace:tasks")
            raise_event(
                Event.REVIEW_REMINDER,
                assignment.submission,
                reviewer=assignment.reviewer,
                link=link,
                extra={"due_date": assignment.due_date.isoformat()},
            )
            assignment.last_reminded_at = now
            assignment.save(update_fields=["last_reminded_at"])
            sent += 1
    return sent
