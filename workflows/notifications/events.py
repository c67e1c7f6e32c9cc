"""The events people are told about. Each has a sentence for the in-site list and two e-mail templates
(``notifications/email/<event>_subject.txt`` and ``_body.txt``), all translatable."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    SUBMISSION_RECEIVED = "submission_received", _("Submission received")
    SCREENING_NEEDED = "screening_needed", _("Submission to screen")
    REVIEW_ASSIGNED = "review_assigned", _("Review requested")
    REVIEW_REMINDER = "review_reminder", _("Review overdue")
    REVIEWS_COMPLETE = "reviews_complete", _("Reviews complete")
    DECISION = "decision", _("Decision")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Submission withdrawn")

    @classmethod
    def message(cls, event: str, title: str) -> str:
        sentences = {
            cls.SUBMISSION_RECEIVED: gettext("Your submission “%(title)s” was received."),
            cls.SCREENING_NEEDED: gettext("“%(title)s” was submitted and awaits screening."),
            cls.REVIEW_ASSIGNED: gettext("You are asked to review “%(title)s”."),
            cls.REVIEW_REMINDER: gettext("Your review of “%(title)s” is overdue."),
            cls.REVIEWS_COMPLETE: gettext("All reviews of “%(title)s” are in: it awaits your decision."),
            cls.DECISION: gettext("A decision was taken on “%(title)s”."),
            cls.PUBLISHED: gettext("“%(title)s” is published."),
            cls.WITHDRAWN: gettext("“%(title)s” was withdrawn by its submitter."),
        }
        return sentences.get(event, "%(title)s") % {"title": title}
