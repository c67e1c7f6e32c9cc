"""The award process's notification events, registered with the notifications app when it starts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.notifications.events import Link, register_event


class Event(models.TextChoices):
    NOMINATION_SUBMITTED = "award_nomination_submitted", _("Nomination submitted")
    NOMINATION_CORRECTION = "award_nomination_correction", _("Nomination to correct")
    NOMINATION_CHECKED = "award_nomination_checked", _("Nomination checked")
    SIGN_OFF_NEEDED = "award_sign_off_needed", _("Award decision to sign off")
    FEEDBACK = "award_feedback", _("Award results and the committee's feedback")


MESSAGES = {
    Event.NOMINATION_SUBMITTED: _("The nomination “%(title)s” was submitted and awaits the eligibility check."),
    Event.NOMINATION_CORRECTION: _("The secretariat asks you to correct the nomination “%(title)s”."),
    Event.NOMINATION_CHECKED: _("The eligibility of the nomination “%(title)s” was checked."),
    Event.SIGN_OFF_NEEDED: _("The committee's decision on “%(title)s” awaits your sign-off."),
    Event.FEEDBACK: _("The results of “%(title)s” are published, with the committee's feedback."),
}


def nomination_link(nomination) -> Link:
    return Link(title=nomination.title, viewname="awards_flow:nomination", kwargs={"pk": nomination.pk})


def nominee(nomination, **context):
    return [nomination.nominated_by]


def secretariat(nomination, **context):
    from workflows.core.people import responsible_editors

    return [user for user in responsible_editors(None) if not getattr(user.profile, "country_id", None)]


RECIPIENTS = {
    Event.NOMINATION_SUBMITTED: secretariat,
    Event.NOMINATION_CORRECTION: nominee,
    Event.NOMINATION_CHECKED: nominee,
    Event.SIGN_OFF_NEEDED: None,
    Event.FEEDBACK: nominee,
}


def register_award_events() -> None:
    for event in Event:
        register_event(
            event.value,
            label=event.label,
            message=MESSAGES[event],
            recipients=RECIPIENTS[event],
            describe=nomination_link if event != Event.SIGN_OFF_NEEDED else None,
        )
