"""Matchmaking in the workspace: the editors' board, a person's own needs and proposals, proposing
a match and answering it. Every action goes through the policy (``cooperation.policy``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content_types.records.models import NeedPage, RecordPage
from workflows.core.people import is_editor

from . import policy, selectors, services
from .models import MatchProposal

MAX_MESSAGE = 2000


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if number <= 0:
        raise Http404
    return number


@login_required
def my_matches(request):
    return render(
        request,
        "cooperation/mine.html",
        {
            "rows": selectors.my_needs(request.user),
            "proposals": selectors.my_proposals(request.user),
            "is_editor": is_editor(request.user),
        },
    )


@login_required
def board(request):
    if not is_editor(request.user):
        raise PermissionDenied
    region = request.GET.get("region", "").strip()[:3]
    target = request.GET.get("target", "").strip()[:10]
    filters = selectors.board_filters()
    region = region if region in {term.code for term in filters["regions"]} else ""
    target = target if target in {term.code for term in filters["targets"]} else ""
    return render(
        request,
        "cooperation/board.html",
        {"rows": selectors.board(region, target), "region": region, "target": target, **filters},
    )


@require_POST
@login_required
def propose(request):
    need = get_object_or_404(NeedPage, pk=_int(request.POST.get("need")))
    candidate = get_object_or_404(RecordPage, pk=_int(request.POST.get("candidate"))).specific
    message = request.POST.get("message", "")
    if len(message) > MAX_MESSAGE:
        messages.error(request, _("The message is too long (2,000 characters at most)."))
        return redirect(_next_url(request, need.url or "cooperation:mine"))
    try:
        proposal = services.propose(request.user, need, candidate, message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_next_url(request, need.url or "cooperation:mine"))
    messages.success(request, _("The match was proposed; both sides have been told."))
    return redirect("cooperation:proposal", pk=proposal.pk)


def _proposal(pk):
    return get_object_or_404(MatchProposal.objects.select_related("need", "candidate", "proposed_by"), pk=pk)


@login_required
def proposal_detail(request, pk):
    proposal = _proposal(pk)
    if not policy.PROPOSAL_POLICY.allowed(request.user, proposal, policy.VIEW):
        raise PermissionDenied
    actions = policy.PROPOSAL_POLICY.allowed_actions(request.user, proposal)
    can_answer = (policy.ANSWER_FOR_NEED in actions and proposal.need_answer == "pending") or (
        policy.ANSWER_FOR_PROVIDER in actions and proposal.provider_answer == "pending"
    )
    return render(
        request,
        "cooperation/proposal.html",
        {
            "proposal": proposal,
            "can_answer": can_answer,
            "can_withdraw": policy.WITHDRAW in actions,
            "entries": proposal.audit_entries.select_related("actor"),
        },
    )


@require_POST
@login_required
def proposal_answer(request, pk):
    proposal = _proposal(pk)
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose whether you accept or decline the match."))
        return redirect("cooperation:proposal", pk=proposal.pk)
    try:
        services.answer(request.user, proposal, decision == "accept", request.POST.get("comment", "")[:MAX_MESSAGE])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer was recorded."))
    return redirect("cooperation:proposal", pk=proposal.pk)


@require_POST
@login_required
def proposal_withdraw(request, pk):
    proposal = _proposal(pk)
    try:
        services.withdraw(request.user, proposal, request.POST.get("comment", "")[:MAX_MESSAGE])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The proposal was withdrawn."))
    return redirect("cooperation:proposal", pk=proposal.pk)
