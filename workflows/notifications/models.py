"""In-site notifications: what happened that concerns a person, kept until they have read it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import events


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user)


class Notification(models.Model):
    """One event for one recipient; also the source of the e-mail sent about it.

    ``extra`` carries the few strings the message needs (a comment, a due date), already decided by
    the sender; the facts themselves live in the sending app's own models.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.CharField(_("event"), max_length=40, choices=events.event_choices)
    title = models.CharField(_("about"), max_length=255, help_text=_("The title of what the notification is about."))
    url = models.CharField(_("link"), max_length=500, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_read")]

    def __str__(self) -> str:
        return f"{self.get_event_display()}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def message(self) -> str:
        """The sentence shown in the list, in the active language."""
        return events.message(self.event, self.title)


class OutboxEmailQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)

    def due(self, now, max_attempts: int):
        """Unsent e-mails whose next attempt is due and that have not been given up on."""
        return self.unsent().filter(next_attempt_at__lte=now, attempts__lt=max_attempts).order_by("next_attempt_at")


class OutboxEmail(models.Model):
    """An e-mail to send: written in the transaction that caused it, sent after the commit, retried
    with growing delays while the mail server refuses it, and kept (with its last error) either way."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails",
    )
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=16)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox e-mail")
        verbose_name_plural = _("outbox e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(sent_at__isnull=True), name="outbox_unsent_due")
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
