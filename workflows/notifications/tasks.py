"""Sending the outbox's e-mails outside the request: after each commit, and periodically the rest."""

from celery import shared_task

from . import outbox

SEND_RETRIES = 3  # quick retries by the worker; the periodic sweep takes over after them


@shared_task(bind=True, name="workflows.notifications.tasks.send_outbox_email", ignore_result=True)
def send_outbox_email(self, email_id: int) -> bool:
    """Send one outbox e-mail; when the mail server refuses, try again after the row's delay.

    Run in the request (eager mode, or no broker) it tries once and leaves the rest to the sweep.
    """
    from .models import OutboxEmail

    if outbox.send(email_id):
        return True
    if self.request.is_eager or self.request.retries >= SEND_RETRIES:
        return False
    email = OutboxEmail.objects.unsent().filter(pk=email_id, attempts__lt=outbox.MAX_ATTEMPTS).first()
    if email is not None:
        raise self.retry(countdown=outbox.retry_delay(email.attempts).total_seconds(), max_retries=SEND_RETRIES)
    return False


@shared_task(name="workflows.notifications.tasks.send_due_emails", ignore_result=True)
def send_due_emails() -> int:
    """The periodic sweep (``CELERY_BEAT_SCHEDULE``): every unsent e-mail whose next attempt is due."""
    return outbox.send_due()
