"""E-mails of notifications, rendered in the recipient's language and sent outside the request."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


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
    with translation.override(recipient_language(notification.recipient)):
        subject = render_to_string(f"notifications/email/{notification.event}_subject.txt", context)
        body = render_to_string(f"notifications/email/{notification.event}_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


@shared_task(name="workflows.notifications.tasks.send_notification_email", ignore_result=True)
def send_notification_email(notification_id: int) -> bool:
    """Send the e-mail of one notification once; a notification already e-mailed is skipped."""
    from .models import Notification

    notification = Notification.objects.select_related("recipient__profile").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None or not notification.recipient.email:
        return False
    subject, body = render_email(notification)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    logger.info("Notification %s e-mailed to user %s", notification.pk, notification.recipient_id)
    return True
