"""The award process in the workspace: nominations, the check, scoring, the ranking, the decision,
sign-off, publication and the score sheet. Every view asks the cycle's tables; what they deny is a 403
(or a 404 for objects a person may not even know of)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content_types.awards.models import AwardCyclePage
from workflows.core.people import SUBMITTER_GROUP, group_names, is_secretariat_editor, profile_country_id

from . import policy as P
from . import services
from .export import score_sheet_csv, score_sheet_xlsx
from .forms import CheckForm, CommitteeForm, ConflictForm, DecisionForm, NominationForm, ScoreSheetForm, VisitForm
from .models import (
    Assessment,
    Committee,
    EvaluationState,
    Nomination,
    NominationAttachment,
    NominationState,
    Score,
    VisitScreenshot,
)
from .ranking import evaluation


def _cycle(pk):
    return get_object_or_404(AwardCyclePage, pk=pk)


def _committee(cycle):
    committee = Committee.objects.filter(cycle=cycle).first()
    if committee is None:
        raise Http404(_("This cycle has no committee yet."))
    return committee


def _nomination(user, pk, action=P.VIEW):
    nomination = get_object_or_404(Nomination.objects.select_related("cycle", "country", "category"), pk=pk)
    if not P.NOMINATION_POLICY.allowed(user, nomination, action):
        raise Http404(_("No such nomination."))
    return nomination


def _admin_url(cycle) -> str:
    try:
        return reverse("wagtailadmin_pages:edit", args=[cycle.pk])
    except NoReverseMatch:
        return ""


def _errors(form, error):
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@login_required
def awards_home(request):
    """The award cycles the person takes part in: its nominations, the nominations it scores, and for
    the secretariat every cycle with the pages where it runs them."""
    from .participation import cycles_of

    cycles = cycles_of(request.user)
    return render(
        request,
        "awards_flow/home.html",
        {
            "cycles": cycles,
            "nominee": [roles for roles in cycles if roles.nominations or roles.may_nominate],
            "scoring": [roles for roles in cycles if roles.member],
            "secretariat": [roles for roles in cycles if roles.secretariat],
        },
    )


@login_required
def cycle_home(request, cycle_pk):
    """The cycle as the person's roles show it: its own nominations, those to check, those to score."""
    cycle = _cycle(cycle_pk)
    user = request.user
    own, to_check, to_score = [], [], []
    if SUBMITTER_GROUP in group_names(user) and profile_country_id(user):
        own = list(
            Nomination.objects.filter(cycle=cycle, country_id=profile_country_id(user)).select_related("category")
        )
    if is_secretariat_editor(user):
        to_check = list(
            Nomination.objects.filter(cycle=cycle)
            .exclude(state=NominationState.DRAFT)
            .select_related("country", "category")
        )
    committee = Committee.objects.filter(cycle=cycle).first()
    member = P.committee_member(user, committee) if committee else None
    if member is not None:
        submitted = set(
            Assessment.objects.filter(member=member, submitted_at__isnull=False).values_list("nomination_id", flat=True)
        )
        to_score = [
            (nomination, nomination.pk in submitted)
            for nomination in services.assignable_nominations(user, cycle).select_related("country", "category")
        ]
    if not (
        own
        or is_secretariat_editor(user)
        or member
        or (SUBMITTER_GROUP in group_names(user) and profile_country_id(user))
    ):
        raise PermissionDenied
    context = {
        "cycle": cycle,
        "own": own,
        "to_check": to_check,
        "to_score": to_score,
        "committee": committee,
        "member": member,
        "may_nominate": SUBMITTER_GROUP in group_names(user)
        and profile_country_id(user)
        and not services.deadline_passed(cycle),
        "deadline_passed": services.deadline_passed(cycle),
        "actions": P.COMMITTEE_POLICY.allowed_actions(user, committee) if committee else set(),
        "missing_regions": services.missing_regions(committee) if committee and is_secretariat_editor(user) else [],
        "secretariat": is_secretariat_editor(user),
        "admin_url": _admin_url(cycle) if is_secretariat_editor(user) else "",
    }
    return render(request, "awards_flow/cycle.html", context)


@login_required
def committee_form(request, cycle_pk):
    """The secretariat names the committee (and its chair); naming it anew restarts the scoring."""
    cycle = _cycle(cycle_pk)
    if not is_secretariat_editor(request.user):
        raise PermissionDenied
    committee = Committee.objects.filter(cycle=cycle).first()
    if committee is not None and committee.state != EvaluationState.SCORING:
        messages.error(request, _("The committee can no longer change: its scoring is closed."))
        return redirect("awards_flow:cycle", cycle_pk=cycle.pk)
    initial = None
    if committee is not None:
        members = list(committee.members.select_related("user"))
        initial = {
            "members": [member.user for member in members],
            "chair": next((member.user for member in members if member.is_chair), None),
        }
    form = CommitteeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.form_committee(
                cycle, list(form.cleaned_data["members"]), form.cleaned_data["chair"], actor=request.user
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Committee named: each member has its scoring tasks."))
            return redirect("awards_flow:cycle", cycle_pk=cycle.pk)
    return render(
        request,
        "awards_flow/committee_form.html",
        {"cycle": cycle, "form": form, "committee": committee},
        status=400 if form.is_bound else 200,
    )


@login_required
def nomination_form(request, cycle_pk, pk=None):
    cycle = _cycle(cycle_pk)
    nomination = None
    if pk is not None:
        nomination = _nomination(request.user, pk, P.EDIT)
        if nomination.cycle_id != cycle.pk:
            raise Http404
    elif not (SUBMITTER_GROUP in group_names(request.user) and profile_country_id(request.user)):
        raise PermissionDenied
    read_only = (nomination is not None and not services.may_edit(request.user, nomination)) or (
        nomination is None and services.deadline_passed(cycle)
    )
    initial = None
    if nomination is not None:
        initial = {"category": nomination.category_id, "website": nomination.website, **nomination.answers}
    form = NominationForm(
        request.POST or None,
        request.FILES or None,
        cycle=cycle,
        initial=initial,
        attachments=nomination.attachments.all() if nomination is not None else (),
    )
    if read_only:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and not read_only and form.is_valid():
        submit = "submit" in request.POST
        if not submit or form.check_complete():
            try:
                nomination = services.save_nomination(
                    request.user,
                    cycle,
                    category=form.cleaned_data["category"],
                    website=form.cleaned_data["website"],
                    answers=form.answers(),
                    nomination=nomination,
                    submit=submit,
                    attachments=form.new_files(),
                    remove_attachments=form.removed_attachments(),
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, _("Nomination submitted.") if submit else _("Nomination saved."))
                return redirect("awards_flow:nomination", pk=nomination.pk)
    elif request.method == "POST" and read_only:
        messages.error(request, services.deadline_message(cycle))
    return render(
        request,
        "awards_flow/nomination_form.html",
        {
            "cycle": cycle,
            "form": form,
            "nomination": nomination,
            "read_only": read_only,
            "deadline_message": services.deadline_message(cycle) if read_only else "",
        },
    )


@login_required
def nomination_detail(request, pk):
    user = request.user
    nomination = _nomination(user, pk)
    actions = P.NOMINATION_POLICY.allowed_actions(user, nomination)
    cycle = nomination.cycle
    criteria = cycle.criterion_list
    context = {
        "nomination": nomination,
        "cycle": cycle,
        "actions": actions,
        "criteria": criteria,
        "attachments": list(nomination.attachments.all()),
    }
    if P.CHECK in actions:
        context["check_form"] = CheckForm()
    if P.SCORE in actions:
        member = P.committee_member(user, cycle.committee)
        own = {score.criterion_id: score for score in Score.objects.filter(member=member, nomination=nomination)}
        assessment = Assessment.objects.filter(member=member, nomination=nomination).first()
        context.update(
            score_form=ScoreSheetForm(criteria=criteria, scores=own),
            visit_form=VisitForm(
                criteria=criteria,
                initial={
                    "visited_on": assessment and assessment.visited_on,
                    "pages_visited": assessment and assessment.pages_visited,
                    **{f"note-{key}": value for key, value in (assessment.visit_notes if assessment else {}).items()},
                },
            ),
            conflict_form=ConflictForm(),
            assessment=assessment,
            screenshots=list(assessment.screenshots.all()) if assessment else [],
        )
    if P.SEE_SCORES in actions:
        context["scores"] = list(
            services.visible_scores(user, nomination).order_by("member_id", "criterion__sort_order")
        )
    if P.EDIT in actions:
        context["may_edit"] = services.may_edit(user, nomination)
    return render(request, "awards_flow/nomination.html", context)


@login_required
def attachment(request, pk, attachment_pk):
    """Serve a nomination's file to those who may see the nomination: its Party, the secretariat and
    the committee members who assess it; to anyone else the file does not exist."""
    nomination = _nomination(request.user, pk, P.VIEW)
    item = get_object_or_404(NominationAttachment, pk=attachment_pk, nomination=nomination)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is missing.")) from None
    response = FileResponse(handle, as_attachment=True, filename=item.title or item.file.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def screenshot(request, pk, screenshot_pk):
    """Serve a virtual-visit screenshot to the member who took it and to the secretariat; to anyone
    else it does not exist (the stored file is never on a public address)."""
    nomination = _nomination(request.user, pk, P.VIEW)
    shot = get_object_or_404(
        VisitScreenshot.objects.select_related("assessment__member"),
        pk=screenshot_pk,
        assessment__nomination=nomination,
    )
    if shot.assessment.member.user_id != request.user.pk and not is_secretariat_editor(request.user):
        raise Http404(_("No such screenshot."))
    try:
        handle = shot.image.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is missing.")) from None
    response = FileResponse(handle, filename=shot.image.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def check(request, pk):
    nomination = _nomination(request.user, pk, P.CHECK)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            services.check_nomination(
                request.user, nomination, form.cleaned_data["outcome"], form.cleaned_data["comment"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Eligibility recorded."))
    else:
        messages.error(request, _("Choose accept, ask for a correction or reject."))
    return redirect("awards_flow:nomination", pk=nomination.pk)


@login_required
@require_POST
def score(request, pk):
    nomination = _nomination(request.user, pk, P.SCORE)
    criteria = nomination.cycle.criterion_list
    form = ScoreSheetForm(request.POST, criteria=criteria)
    if not form.is_valid():
        messages.error(request, _("Some scores are not on the scale."))
        return redirect("awards_flow:nomination", pk=nomination.pk)
    try:
        for criterion in criteria:
            value = form.cleaned_data.get(f"score-{criterion.pk}")
            if value is not None:
                services.save_score(
                    request.user, nomination, criterion, value, form.cleaned_data.get(f"comment-{criterion.pk}", "")
                )
        if "submit" in request.POST:
            services.submit_scores(request.user, nomination)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Scores submitted.") if "submit" in request.POST else _("Scores saved."))
    return redirect("awards_flow:nomination", pk=nomination.pk)


@login_required
@require_POST
def visit(request, pk):
    nomination = _nomination(request.user, pk, P.SCORE)
    criteria = nomination.cycle.criterion_list
    form = VisitForm(request.POST, request.FILES, criteria=criteria)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("awards_flow:nomination", pk=nomination.pk)
    try:
        assessment = services.save_visit(
            request.user,
            nomination,
            visited_on=form.cleaned_data["visited_on"],
            pages_visited=form.cleaned_data["pages_visited"],
            notes={criterion.pk: form.cleaned_data.get(f"note-{criterion.pk}") for criterion in criteria},
        )
        if form.cleaned_data.get("screenshot"):
            screenshot = VisitScreenshot(assessment=assessment, image=form.cleaned_data["screenshot"])
            screenshot.full_clean()
            screenshot.save()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Virtual visit saved."))
    return redirect("awards_flow:nomination", pk=nomination.pk)


@login_required
@require_POST
def conflict(request, pk):
    nomination = _nomination(request.user, pk, P.DECLARE_CONFLICT)
    form = ConflictForm(request.POST)
    if form.is_valid():
        services.declare_conflict(request.user, nomination, form.cleaned_data["reason"])
        messages.success(request, _("Conflict declared: you are excluded from this nomination."))
        return redirect("awards_flow:cycle", cycle_pk=nomination.cycle_id)
    messages.error(request, _("Say what the conflict of interest is."))
    return redirect("awards_flow:nomination", pk=nomination.pk)


@login_required
def ranking(request, cycle_pk):
    cycle = _cycle(cycle_pk)
    committee = _committee(cycle)
    if not P.COMMITTEE_POLICY.allowed(request.user, committee, P.VIEW_RANKING):
        raise PermissionDenied
    normalised = request.GET.get("view") == "z"
    view = evaluation(cycle)
    actions = P.COMMITTEE_POLICY.allowed_actions(request.user, committee)
    return render(
        request,
        "awards_flow/ranking.html",
        {
            "cycle": cycle,
            "committee": committee,
            "evaluation": view,
            "normalised": normalised,
            "actions": actions,
            "sign_off_gap": services.sign_off_gap(committee) if {P.CLOSE_SCORING, P.DECIDE} & set(actions) else "",
        },
    )


@login_required
def decision(request, cycle_pk):
    cycle = _cycle(cycle_pk)
    committee = _committee(cycle)
    if not P.COMMITTEE_POLICY.allowed(request.user, committee, P.DECIDE):
        raise PermissionDenied
    view = evaluation(cycle)
    form = DecisionForm(request.POST or None, rows=view.rows, initial={"justification": committee.justification})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision(
                request.user, committee, form.prizes(), form.cleaned_data["justification"], form.feedback()
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Decision recorded: it now awaits the sign-off of the committee."))
            return redirect("awards_flow:ranking", cycle_pk=cycle.pk)
    return render(
        request,
        "awards_flow/decision.html",
        {"cycle": cycle, "form": form, "evaluation": view, "sign_off_gap": services.sign_off_gap(committee)},
    )


def _committee_step(action, step, done):
    @login_required
    @require_POST
    def view(request, cycle_pk):
        cycle = _cycle(cycle_pk)
        committee = _committee(cycle)
        if not P.COMMITTEE_POLICY.allowed(request.user, committee, action):
            raise PermissionDenied
        try:
            step(request.user, committee)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done())
        return redirect("awards_flow:ranking", cycle_pk=cycle.pk)

    return view


close_scoring = _committee_step(P.CLOSE_SCORING, services.close_scoring, lambda: _("Scoring closed."))
sign_off = _committee_step(P.SIGN_OFF, services.sign_off, lambda: _("You signed the decision off."))
publish = _committee_step(P.PUBLISH, services.publish, lambda: _("The results are published."))


@login_required
def export(request, cycle_pk, fmt):
    cycle = _cycle(cycle_pk)
    committee = _committee(cycle)
    if not P.COMMITTEE_POLICY.allowed(request.user, committee, P.EXPORT):
        raise PermissionDenied
    if fmt == "csv":
        return score_sheet_csv(cycle)
    if fmt == "xlsx":
        return score_sheet_xlsx(cycle)
    raise Http404
