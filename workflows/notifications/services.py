"""Tell people what concerns them: an in-site notification now, an e-mail once the transaction commits."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

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
    """Create one notification per distinct active recipient and e-mail each after commit.

    The link is made in each recipient's language, so that it opens the workspace in that language.
    """
    from .tasks import send_notification_email

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
        transaction.on_commit(lambda pk=notification.pk: send_notification_email.delay(pk))
    return created
