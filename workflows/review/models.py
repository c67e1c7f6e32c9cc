"""Submissions and their peer review: real rows with foreign keys, one per fact of the process.

The Viewflow process (``SubmissionProcess``) runs the steps; these models hold what the steps decide:
the submission and its state, the reviewers named for each round and what they recommend, the
screening and editorial decisions, and an audit row for every transition.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from workflows.core.audit import SYSTEM, AuditEntryBase
from workflows.review.policy import ACTIVE_STATES, OPEN_STATES, Role, State, roles_for


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What ``user`` may see, as the permission matrix says (lists and lookups by id use this)."""
        from workflows.review.policy import visible_filter

        return self.filter(visible_filter(user))

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Submission(models.Model):
    """A record page on its way through review: who submits it, for whom, and where it stands."""

    page = models.ForeignKey(
        "records.RecordPage", verbose_name=_("record"), on_delete=models.CASCADE, related_name="submissions"
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitter"), on_delete=models.PROTECT, related_name="submissions"
    )
    acting_for_country = models.ForeignKey(
        "vocabularies.Country",
        verbose_name=_("acting for (country)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
        help_text=_("The Party the submitter acts for; national editors of this country handle it."),
    )
    acting_for_organisation = models.CharField(_("acting for (organisation)"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    round = models.PositiveSmallIntegerField(
        _("review round"), default=0, help_text=_("0 until the first reviewers are named; then 1, 2…")
    )
    anonymous_reviewers = models.BooleanField(
        _("anonymous reviewers"), default=True, help_text=_("Hide the reviewers' names from the submitter.")
    )
    is_revision_of_live = models.BooleanField(
        _("revision of a published record"),
        default=False,
        help_text=_("A working copy: the published version stays live until this revision is published."),
    )
    revision_due = models.DateField(_("revisions due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page"], condition=Q(state__in=OPEN_STATES), name="review_one_open_submission_per_page"
            )
        ]

    def __str__(self) -> str:
        return f"{self.page.draft_title or self.page.title} ({self.get_state_display()})"

    @property
    def title(self) -> str:
        return self.page.draft_title or self.page.title

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    def has_open_review_by(self, user) -> bool:
        """Whether ``user`` holds an open review of the current round (prefetch ``open_reviewer_ids`` in lists)."""
        cached = getattr(self, "_open_reviewer_ids", None)
        if cached is None:
            cached = set(self.assignments.open().filter(round=self.round).values_list("reviewer_id", flat=True))
            self._open_reviewer_ids = cached
        return user.pk in cached

    def has_sent_review_by(self, user) -> bool:
        """Whether ``user`` sent a review in the process under way (its sight lasts until the process ends)."""
        cached = getattr(self, "_past_reviewer_ids", None)
        if cached is None:
            cached = set(self.assignments.sent_in_running_process().values_list("reviewer_id", flat=True))
            self._past_reviewer_ids = cached
        return user.pk in cached

    def forget_cached_roles(self) -> None:
        self.__dict__.pop("_open_reviewer_ids", None)
        self.__dict__.pop("_past_reviewer_ids", None)

    def current_process(self):
        return self.processes.order_by("-pk").first()

    def current_assignments(self):
        return self.assignments.filter(round=self.round, cancelled_at__isnull=True).select_related("reviewer")


class SubmissionProcess(Process):
    """The Viewflow process of one submission, from its submission to its final decision or withdrawal."""

    class ResumeAt(models.TextChoices):
        SCREENING = "screening", _("Screening")
        REVIEW = "review", _("A new review round")

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="processes"
    )
    resume_at = models.CharField(
        _("after revision, go to"), max_length=20, choices=ResumeAt.choices, default=ResumeAt.SCREENING
    )

    class Meta:
        verbose_name = _("submission process")
        verbose_name_plural = _("submission processes")
        # Viewflow adds "manage" when the flow is defined; declared here so that migrations never depend on imports.
        default_permissions = ("add", "change", "delete", "view", "manage")
        permissions = [
            ("screen_submission", "Can screen submissions"),
            ("assign_reviewers", "Can name reviewers"),
            ("review_submission", "Can review submissions"),
            ("decide_submission", "Can decide on submissions"),
            ("revise_submission", "Can revise own submissions"),
        ]


class Recommendation(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    MINOR = "minor", _("Minor revisions")
    MAJOR = "major", _("Major revisions")
    REJECT = "reject", _("Reject")


class ReviewAssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(submitted_at__isnull=True, cancelled_at__isnull=True)

    def sent_in_running_process(self):
        """Reviews already sent in the submission's current process (a withdrawal or a decision ends it)."""
        from viewflow.workflow.status import PROCESS

        return self.filter(submitted_at__isnull=False, task__process__status=PROCESS.NEW)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class ReviewAssignment(models.Model):
    """One reviewer named for one round of one submission, and the review it returns."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    round = models.PositiveSmallIntegerField(_("round"))
    position = models.PositiveSmallIntegerField(
        _("position"), default=1, help_text=_("Reviewer 1, 2… as the submitter sees them when reviewers are anonymous.")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    due_date = models.DateField(_("due date"))
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices, blank=True)
    comments_to_submitter = models.TextField(_("comments to the submitter"), blank=True)
    confidential_comments = models.TextField(_("confidential comments to the editor"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    task = models.OneToOneField(
        "viewflow.Task",
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_assignment",
    )

    objects = ReviewAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "round", "reviewer"], name="review_one_assignment_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.submission} – {self.reviewer} (round {self.round})"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None and self.cancelled_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()

    def anonymous_label(self) -> str:
        return _("Reviewer %(number)s") % {"number": self.position}


class ScreeningDecision(models.Model):
    """The editor's screening of a submission: send it to review, return it, or reject it."""

    class Outcome(models.TextChoices):
        SEND_TO_REVIEW = "review", _("Send to review")
        RETURN = "return", _("Return to the submitter")
        REJECT = "reject", _("Reject")

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="screenings"
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("editor"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    comment = models.TextField(_("comment to the submitter"), blank=True)
    created_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("screening decision")
        verbose_name_plural = _("screening decisions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.created_at:%Y-%m-%d})"


class Decision(models.Model):
    """The editor's decision after a review round: publish, request revisions, or reject."""

    class Outcome(models.TextChoices):
        PUBLISH = "publish", _("Publish")
        REVISE = "revise", _("Request revisions")
        REJECT = "reject", _("Reject")

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="decisions"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("editor"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    comment = models.TextField(_("comment to the submitter"), blank=True)
    published_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("published revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} (round {self.round}, {self.created_at:%Y-%m-%d})"


class AuditEntry(AuditEntryBase):
    """Who did what to a submission, when, with which comment: written in the transition's transaction."""

    subject_field = "submission"

    class Action(models.TextChoices):
        CREATED = "created", _("Draft created")
        EDITED = "edited", _("Record changed")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SCREENED = "screened", _("Screened")
        REVIEWERS_ASSIGNED = "assigned", _("Reviewers named")
        REVIEW_SUBMITTED = "reviewed", _("Review submitted")
        REVIEWS_COMPLETE = "reviews_complete", _("All reviews received")
        DECIDED = "decided", _("Decision")
        RESUBMITTED = "resubmitted", _("Revised and resubmitted")
        PUBLISHED = "published", _("Published")
        REVISION_STARTED = "revision_started", _("Revision of the published record started")
        TASK_CLAIMED = "claimed", _("Task taken")
        TASK_RELEASED = "released", _("Task released")

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="audit_entries"
    )
    # The review's columns predate the core's base: same fields, with the review's choices.
    actor_role = models.CharField(
        _("acting as"), max_length=20, choices=[*Role.choices, (SYSTEM, _("The portal"))], default=SYSTEM
    )
    assignment = models.ForeignKey(
        ReviewAssignment,
        verbose_name=_("review assignment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For a reviewer's entries: lets the history show “Reviewer 1” instead of a name."),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices, blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    details = None  # a review step says all it has to say in its comment

    class Meta(AuditEntryBase.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    @classmethod
    def role_of(cls, actor, subject) -> str:
        roles = roles_for(actor, subject)
        for role in (Role.SUBMITTER, Role.EDITOR, Role.NATIONAL_EDITOR, Role.REVIEWER):
            if role in roles:
                return role
        return SYSTEM

    @classmethod
    def entry_fields(cls, subject) -> dict:
        return {"round": subject.round}

    def recorded(self) -> None:
        from .page_log import log_to_page_history

        log_to_page_history(self)  # the same step in Wagtail's page history
