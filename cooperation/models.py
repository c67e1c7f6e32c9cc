"""Matchmaking's own tables: the suggestions computed for each need, the proposals people make from
them, and the audit of every step a proposal takes.

Suggestions are stored per pair (a need and an offer or expert profile, each the original page of its
translation family) with their score and their reasons as data (codes and term ids, rendered in the
reader's language), so that a page reads its suggestions in one query.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.core.audit import AuditEntryBase


class CandidateKind(models.TextChoices):
    OFFER = "offer", _("Offer")
    EXPERT = "expert", _("Expert profile")


class SuggestionQuerySet(models.QuerySet):
    def for_need(self, need):
        """The suggestions of ``need``'s family (any translation or alias of it), best first."""
        return self.filter(need__translation_key=need.translation_key).order_by("-score", "candidate_id")

    def for_candidate(self, candidate):
        """The needs an offer or expert profile (any language of it) could answer, best first."""
        return self.filter(candidate__translation_key=candidate.translation_key).order_by("-score", "need_id")


class Suggestion(models.Model):
    """One need and one candidate that could answer it, with the score's explained components."""

    need = models.ForeignKey("records.NeedPage", verbose_name=_("need"), on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(
        "records.RecordPage", verbose_name=_("offer or expert"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CandidateKind.choices)
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [models.UniqueConstraint(fields=["need", "candidate"], name="coop_one_suggestion_per_pair")]
        indexes = [
            models.Index(fields=["need", "-score"], name="coop_suggestion_need_score"),
            models.Index(fields=["candidate", "-score"], name="coop_suggestion_cand_score"),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} ↔ {self.candidate_id} ({self.score:.1f})"


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted by both sides")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Answer(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class MatchProposal(models.Model):
    """A proposed match of a need with an offer or an expert profile; each side accepts or declines."""

    need = models.ForeignKey("records.NeedPage", verbose_name=_("need"), on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(
        "records.RecordPage", verbose_name=_("offer or expert"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CandidateKind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=ProposalState.choices, default=ProposalState.PROPOSED, db_index=True
    )
    need_answer = models.CharField(
        _("answer of the need's side"), max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    provider_answer = models.CharField(
        _("answer of the provider's side"), max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message to both sides"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("match proposal")
        verbose_name_plural = _("match proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "candidate"],
                condition=models.Q(state="proposed"),
                name="coop_one_open_proposal_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.need.title} ↔ {self.candidate.title}"

    def forget_cached_roles(self) -> None:
        self.__dict__.pop("_match_roles", None)


class MatchAuditEntry(AuditEntryBase):
    """Who proposed, accepted, declined or withdrew a match, and when."""

    class Action(models.TextChoices):
        PROPOSED = "proposed", _("Proposed the match")
        ACCEPTED = "accepted", _("Accepted for its side")
        DECLINED = "declined", _("Declined for its side")
        MATCHED = "matched", _("Linked the records and marked the need matched")
        WITHDRAWN = "withdrawn", _("Withdrew the proposal")

    subject_field = "proposal"

    proposal = models.ForeignKey(
        MatchProposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="audit_entries"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)

    class Meta(AuditEntryBase.Meta):
        verbose_name = _("match audit entry")
        verbose_name_plural = _("match audit entries")

    @classmethod
    def role_of(cls, actor, subject) -> str:
        from .policy import PROPOSAL_POLICY

        roles = sorted(PROPOSAL_POLICY.roles_for(actor, subject))
        return roles[0] if roles else "system"
