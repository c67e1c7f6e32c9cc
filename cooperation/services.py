"""Writes of matchmaking: propose a match, answer for one side, withdraw. Each step checks the
policy, locks the proposal row, writes its audit entry and tells the people concerned, in one
transaction. When both sides accept, the need links the offer or expert profile among its related
records and becomes "matched", through a published revision (history and aliases follow).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from content_types.records.models import ExpertProfilePage, NeedPage, OfferPage, RecordPage
from content_types.records.models.assistance import NeedStatus
from content_types.records.models.base import RelatedRecord
from workflows.notifications.events import raise_event

from . import policy
from .events import Event
from .models import Answer, CandidateKind, MatchAuditEntry, MatchProposal, ProposalState, Suggestion

Action = MatchAuditEntry.Action


def candidate_kind(candidate) -> str:
    if isinstance(candidate, OfferPage):
        return CandidateKind.OFFER
    if isinstance(candidate, ExpertProfilePage):
        return CandidateKind.EXPERT
    raise ValidationError(_("Only an offer or an expert profile can be matched with a need."))


def propose(user, need: NeedPage, candidate: RecordPage, message: str = "") -> MatchProposal:
    """Propose ``candidate`` for ``need``; the need's owner and the provider are told."""
    if not policy.NEED_POLICY.allowed(user, need, policy.PROPOSE):
        if need.live and need.status != NeedStatus.OPEN and policy.NEED_POLICY.roles_for(user, need):
            # Its owner or editor, too late: say why rather than refuse.
            raise ValidationError(_("This need is no longer open: no match can be proposed for it."))
        raise PermissionDenied
    kind = candidate_kind(candidate)
    if not need.live:
        raise ValidationError(_("This need is not published."))
    if not candidate.live:
        raise ValidationError(_("This offer or expert profile is not published."))
    with transaction.atomic():
        NeedPage.objects.select_for_update().filter(pk=need.pk).first()
        open_proposal = MatchProposal.objects.filter(
            need__translation_key=need.translation_key,
            candidate__translation_key=candidate.translation_key,
            state=ProposalState.PROPOSED,
        )
        if open_proposal.exists():
            raise ValidationError(_("This match has already been proposed and awaits the answers of both sides."))
        proposal = MatchProposal.objects.create(
            need=need, candidate=candidate, kind=kind, proposed_by=user, message=message.strip()[:2000]
        )
        MatchAuditEntry.record(proposal, user, Action.PROPOSED, to_state=ProposalState.PROPOSED, comment=message)
        raise_event(Event.PROPOSED, proposal, actor=user, extra={"comment": message.strip()})
    return proposal


def answer(user, proposal: MatchProposal, accept: bool, comment: str = "") -> MatchProposal:
    """Accept or decline for the side(s) ``user`` answers for; both accepted → the records are linked."""
    with transaction.atomic():
        proposal = (
            MatchProposal.objects.select_for_update(of=("self",))
            .select_related("need", "candidate", "proposed_by")
            .get(pk=proposal.pk)
        )
        sides = []
        if policy.PROPOSAL_POLICY.allowed(user, proposal, policy.ANSWER_FOR_NEED):
            sides.append("need_answer")
        if policy.PROPOSAL_POLICY.allowed(user, proposal, policy.ANSWER_FOR_PROVIDER):
            sides.append("provider_answer")
        if not sides:
            _refuse_closed(user, proposal, _("This proposal is closed: it can no longer be answered."))
        pending = [side for side in sides if getattr(proposal, side) == Answer.PENDING]
        if not pending:
            raise ValidationError(_("You have already answered this proposal."))
        value = Answer.ACCEPTED if accept else Answer.DECLINED
        for side in pending:
            setattr(proposal, side, value)
        action = Action.ACCEPTED if accept else Action.DECLINED
        if not accept:
            MatchAuditEntry.move(
                proposal, ProposalState.DECLINED, user, action, comment=comment, **dict.fromkeys(pending, value)
            )
            raise_event(Event.DECLINED, proposal, actor=user, extra={"comment": comment.strip()})
            return proposal
        proposal.save(update_fields=[*pending, "updated_at"])
        MatchAuditEntry.record(
            proposal,
            user,
            action,
            from_state=proposal.state,
            to_state=proposal.state,
            comment=comment,
            details={"sides": pending},
        )
        if proposal.need_answer == Answer.ACCEPTED and proposal.provider_answer == Answer.ACCEPTED:
            _link(proposal, user)
            MatchAuditEntry.move(
                proposal,
                ProposalState.ACCEPTED,
                user,
                Action.MATCHED,
                entry_fields={"details": {"need": proposal.need_id, "candidate": proposal.candidate_id}},
            )
            raise_event(Event.ACCEPTED, proposal, actor=user)
    return proposal


def withdraw(user, proposal: MatchProposal, comment: str = "") -> MatchProposal:
    with transaction.atomic():
        proposal = (
            MatchProposal.objects.select_for_update(of=("self",))
            .select_related("need", "candidate")
            .get(pk=proposal.pk)
        )
        if not policy.PROPOSAL_POLICY.allowed(user, proposal, policy.WITHDRAW):
            _refuse_closed(user, proposal, _("This proposal is closed: it can no longer be withdrawn."))
        MatchAuditEntry.move(proposal, ProposalState.WITHDRAWN, user, Action.WITHDRAWN, comment=comment)
        raise_event(Event.WITHDRAWN, proposal, actor=user, extra={"comment": comment.strip()})
    return proposal


def _refuse_closed(user, proposal: MatchProposal, message: str) -> None:
    """A party to a closed proposal learns that it is closed; anyone else is refused."""
    if proposal.state != ProposalState.PROPOSED and policy.PROPOSAL_POLICY.allowed(user, proposal, policy.VIEW):
        raise ValidationError(message)
    raise PermissionDenied


def _link(proposal: MatchProposal, user) -> None:
    """The need relates to the candidate and is matched: a published revision of each language of it
    (aliases follow their source); other open proposals of the need stay for their parties to close."""
    need = NeedPage.objects.select_for_update().get(pk=proposal.need_id)
    family = NeedPage.objects.filter(translation_key=need.translation_key, alias_of__isnull=True, live=True)
    for page in family:
        if not page.related_records.filter(record_id=proposal.candidate_id).exists():
            page.related_records.add(RelatedRecord(record_id=proposal.candidate_id))
        page.status = NeedStatus.MATCHED
        # The policy has let both parties accept: the portal publishes on their behalf.
        page.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    Suggestion.objects.filter(need__translation_key=need.translation_key).delete()
