"""The audit row every flow writes for each step: who, acting as what, did which action, from which
state to which, when, with a comment and structured details (an old and a new score, say).

A flow's concrete entry names the object it follows (``subject_field``) and its own action and state
choices; :meth:`AuditEntryBase.move` is the one way a flow changes an object's state, so that the
change and its row are written together, in the caller's transaction.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SYSTEM = "system"


class AuditEntryBase(models.Model):
    subject_field = None  # the name of the concrete model's foreign key to the object it follows

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_role = models.CharField(_("acting as"), max_length=20, default=SYSTEM)
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        label = self.get_action_display() if hasattr(self, "get_action_display") else self.action
        return f"{self.created_at:%Y-%m-%d %H:%M} {label}"

    # --- hooks a flow's entry may override -----------------------------------------------------
    @classmethod
    def role_of(cls, actor, subject) -> str:
        """The role ``actor`` acted in; the portal itself when nobody did."""
        return SYSTEM

    @classmethod
    def entry_fields(cls, subject) -> dict:
        """Columns the flow's entry copies from its object (a review round, a cycle)."""
        return {}

    def recorded(self) -> None:
        """Called once the row is written (to mirror it elsewhere, e.g. a page's history)."""

    # --- writing -------------------------------------------------------------------------------
    @classmethod
    def record(cls, subject, actor, action, *, from_state="", to_state="", comment="", role=None, **fields):
        """Write one row about ``subject``; ``fields`` are the concrete entry's own columns (details…)."""
        entry = cls.objects.create(
            **{cls.subject_field: subject},
            actor=actor,
            actor_role=role or (cls.role_of(actor, subject) if actor is not None else SYSTEM),
            action=action,
            from_state=from_state,
            to_state=to_state,
            comment=comment,
            **cls.entry_fields(subject),
            **fields,
        )
        entry.recorded()
        return entry

    @classmethod
    def move(cls, subject, to_state, actor, action, *, comment="", role=None, entry_fields=None, **fields):
        """Set ``subject``'s state (and ``fields``), save them, and write the transition's row.

        Fields saved with ``auto_now`` (an ``updated_at``) are saved too; an object that caches its
        people's roles is asked to forget them before the row names the actor's role.
        """
        from_state = subject.state
        subject.state = to_state
        for name, value in fields.items():
            setattr(subject, name, value)
        touched = [field.name for field in subject._meta.concrete_fields if getattr(field, "auto_now", False)]
        subject.save(update_fields=["state", *touched, *fields])
        forget = getattr(subject, "forget_cached_roles", None)
        if forget is not None:
            forget()
        return cls.record(
            subject,
            actor,
            action,
            from_state=from_state,
            to_state=to_state,
            comment=comment,
            role=role,
            **(entry_fields or {}),
        )
