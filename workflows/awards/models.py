"""The award process's own tables: nominations, the committee, its scores and visits, its decision.

The cycle itself (categories, questionnaires, criteria) and the published results belong to
``content_types.awards``; these rows are the work that leads to the results and are never public.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from cms.uploads.validators import validate_upload
from content_types.awards.models import Prize
from workflows.core.audit import AuditEntryBase


class NominationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting the eligibility check")
    CORRECTION = "correction", _("Correction requested")
    ACCEPTED = "accepted", _("Eligible, in evaluation")
    REJECTED = "rejected", _("Not eligible")


class EvaluationState(models.TextChoices):
    SCORING = "scoring", _("Scoring")
    DECISION = "decision", _("Decision by the chair")
    SIGN_OFF = "sign-off", _("Sign-off by the committee")
    SIGNED = "signed", _("Signed off, awaiting publication")
    PUBLISHED = "published", _("Published")


class Nomination(models.Model):
    """A Party's nomination of its national CHM for one category of a cycle."""

    cycle = models.ForeignKey(
        "awards.AwardCyclePage", verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="nominations"
    )
    category = models.ForeignKey(
        "awards.AwardCategory", verbose_name=_("category"), on_delete=models.PROTECT, related_name="nominations"
    )
    country = models.ForeignKey(
        "vocabularies.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nominated by"), on_delete=models.PROTECT, related_name="+"
    )
    website = models.URLField(_("national CHM website"), max_length=500)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=NominationState.choices, default=NominationState.DRAFT)
    secretariat_comment = models.TextField(_("comment of the secretariat"), blank=True)
    feedback = models.TextField(_("feedback of the committee"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["category__sort_order", "country__code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "category", "country"], name="award_nomination_once_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.country} – {self.category}"

    @property
    def title(self) -> str:
        return str(self)


def nomination_upload(instance, filename):
    """A name nobody can guess: the files are read through the nomination's permission-checked view
    only (never from a public media address; see deploy/nginx/portal.conf and cms/urls.py)."""
    return f"awards/nominations/{instance.nomination_id}/{secrets.token_urlsafe(12)}/{filename}"


class NominationAttachment(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=nomination_upload, validators=[validate_upload])
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title or self.file.name


class Committee(models.Model):
    """The committee of one cycle and where its evaluation stands."""

    cycle = models.OneToOneField(
        "awards.AwardCyclePage", verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="committee"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=EvaluationState.choices, default=EvaluationState.SCORING
    )
    justification = models.TextField(_("justification"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("award committee")
        verbose_name_plural = _("award committees")

    def __str__(self) -> str:
        return str(self.cycle)

    @property
    def title(self) -> str:
        return str(self.cycle)


class EvaluationProcess(Process):
    """The Viewflow process of one committee's evaluation, from its naming to the publication."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="processes"
    )

    class Meta:
        verbose_name = _("evaluation process")
        verbose_name_plural = _("evaluation processes")
        # Viewflow adds "manage" when the flow is defined; declared here so that migrations never depend on imports.
        default_permissions = ("add", "change", "delete", "view", "manage")


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    country = models.ForeignKey(
        "vocabularies.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The Party the member comes from; it never assesses that country's nominations."),
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["-is_chair", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="award_member_once"),
            models.UniqueConstraint(
                fields=["committee"], condition=models.Q(is_chair=True), name="award_committee_one_chair"
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Conflict(models.Model):
    """A member's declared conflict of interest with a nomination: it is excluded from it."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="conflicts")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["member", "nomination"], name="award_conflict_once")]

    def __str__(self) -> str:
        return f"{self.member} – {self.nomination}"


class Assessment(models.Model):
    """One member's work on one nomination: its virtual visit and whether its scores are submitted."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="assessments")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="assessments")
    visited_on = models.DateField(_("date of the virtual visit"), null=True, blank=True)
    pages_visited = models.TextField(_("pages looked at"), blank=True, help_text=_("One address per line."))
    visit_notes = models.JSONField(_("notes per criterion"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("scores submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [models.UniqueConstraint(fields=["member", "nomination"], name="award_assessment_once")]

    def __str__(self) -> str:
        return f"{self.member} – {self.nomination}"


def screenshot_upload(instance, filename):
    """As nomination attachments: an unguessable name, read through a permission-checked view only."""
    return f"awards/visits/{instance.assessment_id}/{secrets.token_urlsafe(12)}/{filename}"


# A screenshot is a picture: the document kinds of `validate_upload` (PDF, office files) are not.
SCREENSHOT_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]


def validate_screenshot(uploaded) -> None:
    """The upload checks of every file (size, signature against the name), for the kinds of a picture."""
    validate_upload(uploaded, allowed=SCREENSHOT_EXTENSIONS)


class VisitScreenshot(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="screenshots")
    image = models.ImageField(_("screenshot"), upload_to=screenshot_upload, validators=[validate_screenshot])
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")

    def __str__(self) -> str:
        return self.caption or self.image.name


class Score(models.Model):
    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="scores")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("awards.AwardCriterion", on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["member", "nomination", "criterion"], name="award_score_once")]

    def __str__(self) -> str:
        return f"{self.member} – {self.nomination}: {self.value}"


class Award(models.Model):
    """The prize the chair's decision gives a nomination."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="awards")
    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="award")
    prize = models.CharField(_("prize"), max_length=12, choices=Prize.choices)

    class Meta:
        verbose_name = _("prize awarded")
        verbose_name_plural = _("prizes awarded")

    def __str__(self) -> str:
        return f"{self.nomination}: {self.get_prize_display()}"


class NominationEntry(AuditEntryBase):
    """The history of a nomination: drafts, submission, the secretariat's check."""

    subject_field = "nomination"
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="history")

    class Meta(AuditEntryBase.Meta):
        verbose_name = _("nomination history entry")
        verbose_name_plural = _("nomination history")


class EvaluationEntry(AuditEntryBase):
    """The history of a committee's work: conflicts, every score change (old and new), the decision."""

    subject_field = "committee"
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="history")

    class Meta(AuditEntryBase.Meta):
        verbose_name = _("evaluation history entry")
        verbose_name_plural = _("evaluation history")
