"""Tell people what concerns them: an in-site notification now, and an e-mail written to the outbox in
the same transaction and sent once it commits (see ``outbox``)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from cms.resilience.tasks import SKIP, dispatch

from .models import Notification


def recipient_language(user) -> str:
    """The language a person reads its notifications in: its profile's choice, else the portal's default."""
    profile = getattr(user, "profile", None)
    language = getattr(profile, "preferred_language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def localized_url(language: str, viewname: str, kwargs: dict | None = None) -> str:
    with translation.override(language):
        return reverse(viewname, kwargs=kwargs or {})


def notify(recipients, event: str, *, title: str, viewname: str = "", kwargs=None, actor=None, extra=None):
    """Create one notification per distinct active recipient, and its e-mail in the outbox.

    The link and the e-mail are made in each recipient's language. The e-mails are sent after commit;
    without a broker they wait for the periodic sweep (the outbox row is their record).
    """
    from .outbox import queue_email
    from .tasks import send_outbox_email

    seen = set()
    created = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        language = recipient_language(user)
        url = localized_url(language, viewname, kwargs) if viewname else ""
        created.append(
            Notification.objects.create(
                recipient=user, actor=actor, event=event, title=title[:255], url=url, extra=extra or {}
            )
        )
    for notification in created:
        email = queue_email(notification)
        if email is not None:
            transaction.on_commit(lambda pk=email.pk: dispatch(send_outbox_email, pk, fallback=SKIP))
    return created
