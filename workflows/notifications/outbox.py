"""The e-mail outbox: notification e-mails are rendered and stored in the transaction that caused
them, then sent after it commits; a mail server that refuses them delays them, never loses them and
never breaks the page (the error is recorded on the row and in the log)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .events import email_template
from .models import Notification, OutboxEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # with the delays below: about three days of trying
FIRST_DELAY_MINUTES = 1
LONGEST_DELAY_MINUTES = 6 * 60


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4… minutes, at most six hours."""
    return datetime.timedelta(minutes=min(FIRST_DELAY_MINUTES * 2 ** max(attempts - 1, 0), LONGEST_DELAY_MINUTES))


def render_email(notification) -> tuple[str, str]:
    """Subject and body of ``notification``'s e-mail, in its recipient's language."""
    from .services import recipient_language

    base_url = (getattr(settings, "SITE_URL", "") or getattr(settings, "WAGTAILADMIN_BASE_URL", "")).rstrip("/")
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "title": notification.title,
        "extra": notification.extra,
        "link": f"{base_url}{notification.url}" if notification.url else base_url or "/",
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    template = email_template(notification.event)
    with translation.override(recipient_language(notification.recipient)):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def queue_email(notification) -> OutboxEmail | None:
    """The outbox row of ``notification``'s e-mail (none when its recipient has no address)."""
    from .services import recipient_language

    if not notification.recipient.email:
        return None
    subject, body = render_email(notification)
    return OutboxEmail.objects.create(
        notification=notification,
        recipient=notification.recipient.email,
        subject=subject[:255],
        body=body,
        language=recipient_language(notification.recipient),
    )


def send(email_id: int) -> bool:
    """Try to send one outbox e-mail now; True when it went.

    The row is locked while it is sent and skipped when another worker holds it, so that a retry and
    the periodic sweep never send it twice; a failure is recorded on the row with the next attempt's
    time, and logged.
    """
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update(skip_locked=True).unsent().filter(pk=email_id).first()
        if email is None:
            return False
        now = timezone.now()
        email.attempts += 1
        try:
            send_mail(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.recipient])
        except Exception as error:  # noqa: BLE001 - SMTP, socket, TLS errors alike: record and retry
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            email.next_attempt_at = now + retry_delay(email.attempts)
            email.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            log = logger.error if email.attempts >= MAX_ATTEMPTS else logger.warning
            log(
                "E-mail %s to %s not sent (attempt %d of %d): %s",
                email.pk,
                email.recipient,
                email.attempts,
                MAX_ATTEMPTS,
                email.last_error,
            )
            return False
        email.sent_at = now
        email.save(update_fields=["attempts", "sent_at"])
        if email.notification_id:
            Notification.objects.filter(pk=email.notification_id).update(emailed_at=now)
    logger.info("E-mail %s sent to %s", email.pk, email.recipient)
    return True


def send_due(limit: int = 200) -> int:
    """Send the unsent e-mails whose next attempt is due; the number sent."""
    due = OutboxEmail.objects.due(timezone.now(), MAX_ATTEMPTS).values_list("pk", flat=True)[:limit]
    return sum(send(pk) for pk in list(due))
