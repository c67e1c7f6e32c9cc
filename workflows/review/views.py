"""The workspace on the public site: my submissions, record forms, progress, history, task inbox.

Every lookup by id goes through what the person may see (``Submission.objects.visible_to``, the
inbox's task queryset across flows, ``workflows.core.inbox.visible_tasks``): someone else's id is a 404,
never a hint that it exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow import STATUS

from workflows import access
from workflows.core import inbox
from workflows.review.policy import (
    ACTIVE_STATES,
    Action,
    State,
    allowed,
    allowed_actions,
    can_create_submissions,
    is_editor,
)

from . import grants, services
from .forms import CommentForm
from .models import AuditEntry, Decision, ReviewAssignment, ScreeningDecision, Submission
from .record_forms import model_for_slug, record_details, record_form_class, submittable_types, type_slug

ACTIVE_TASK_STATUSES = inbox.INBOX_TASK_STATUSES
visible_tasks = inbox.visible_tasks  # every registered flow's tasks the person holds or may take


def _flow():
    from .flows import SubmissionFlow

    return SubmissionFlow


def _visible_submission(request, pk) -> Submission:
    return get_object_or_404(
        Submission.objects.visible_to(request.user).select_related("page", "submitter", "acting_for_country"), pk=pk
    )


# --- pieces shared by the submission page and the task pages --------------------------------


def can_see_reviewer_names(user, submission) -> bool:
    if allowed(user, submission, Action.VIEW_CONFIDENTIAL):
        return True
    return submission.submitter_id == user.pk and not submission.anonymous_reviewers


def reviewer_label(assignment, show_names: bool) -> str:
    if show_names:
        return assignment.reviewer.get_full_name() or assignment.reviewer.get_username()
    return assignment.anonymous_label()


def submission_context(request, submission) -> dict:
    user = request.user
    actions = allowed_actions(user, submission)
    show_names = can_see_reviewer_names(user, submission)
    reviews = []
    if Action.VIEW_REVIEWS in actions:
        submitted = submission.assignments.filter(submitted_at__isnull=False).select_related("reviewer")
        if Action.VIEW_CONFIDENTIAL not in actions:  # the submitter reads reviews of decided rounds only
            decided_rounds = submission.decisions.values_list("round", flat=True)
            submitted = submitted.filter(round__in=list(decided_rounds))
        reviews = [
            {
                "assignment": assignment,
                "label": reviewer_label(assignment, show_names),
                "confidential": assignment.confidential_comments if Action.VIEW_CONFIDENTIAL in actions else "",
            }
            for assignment in submitted.order_by("-round", "position")
        ]
    elif Action.VIEW_OWN_REVIEW in actions:  # a reviewer rereads what it sent, nothing of others'
        own = submission.assignments.sent_in_running_process().filter(reviewer=user).select_related("reviewer")
        reviews = [
            {"assignment": assignment, "label": _("Your review"), "confidential": ""}
            for assignment in own.order_by("-round", "position")
        ]
    assignments = []
    if Action.VIEW_CONFIDENTIAL in actions:
        assignments = [
            {"assignment": a, "label": reviewer_label(a, True)}
            for a in submission.assignments.filter(round=submission.round).select_related("reviewer")
        ]
    try:
        admin_url = reverse("wagtailadmin_pages:edit", args=[submission.page_id])
    except NoReverseMatch:
        admin_url = ""
    page = submission.page
    return {
        "submission": submission,
        "page": None,  # base.html reads ``page`` for Wagtail pages; this is not one
        "record": page,
        "actions": actions,
        "reviews": reviews,
        "assignments": assignments,
        "screenings": ScreeningDecision.objects.filter(submission=submission).select_related("editor"),
        "decisions": Decision.objects.filter(submission=submission).select_related("editor"),
        "admin_url": admin_url if Action.OPEN_IN_ADMIN in actions else "",
        "live_url": page.get_url(request) if page.live else "",
        "my_tasks": list(
            _flow()
            .task_class.objects.filter(
                process__submissionprocess__submission=submission, owner=user, status__in=ACTIVE_TASK_STATUSES
            )
            .exclude(flow_task=_flow().revise)  # the revision is answered on this page itself
        ),
        "State": State,
        "Action": Action,
    }


# --- my submissions ---------------------------------------------------------------------------


@login_required
def workspace(request):
    submissions = (
        Submission.objects.filter(submitter=request.user)
        .select_related("page", "page__locale")
        .order_by("-updated_at", "-pk")
    )
    task_count = visible_tasks(request.user).filter(owner=request.user, status=STATUS.ASSIGNED).count()
    types = [(type_slug(model), model._meta.verbose_name) for model in submittable_types()]
    return render(
        request,
        "review/workspace.html",
        {
            "submissions": submissions,
            "task_count": task_count,
            "types": types,
            "can_create": can_create_submissions(request.user),
        },
    )


@login_required
def choose_type(request):
    if not can_create_submissions(request.user):
        raise PermissionDenied
    types = [(type_slug(model), model._meta.verbose_name) for model in submittable_types()]
    return render(request, "review/choose_type.html", {"types": types})


@login_required
def create_record(request, type_name):
    if not can_create_submissions(request.user):
        raise PermissionDenied
    model = model_for_slug(type_name)
    if model is None:
        raise Http404
    if not services.has_record_sections():
        messages.error(request, _("The portal has no Records section yet; ask an administrator to create it."))
        return redirect("workspace:home")
    form_class = record_form_class(model)
    if request.method == "POST":
        form = form_class(
            request.POST,
            request.FILES,
            instance=model(),
            user=request.user,
            submitting="submit" in request.POST,
        )
        if form.is_valid():
            submission = services.create_draft(form.save_to_instance(), form.parent, request.user)
            if "submit" in request.POST:
                return _submit_and_redirect(request, submission.pk)
            messages.success(request, _("Draft saved. You can come back to it at any time before you submit it."))
            return redirect("workspace:submission", pk=submission.pk)
        messages.error(request, _("Please correct the errors below; what you typed is kept."))
    else:
        form = form_class(instance=model(), user=request.user)
    return render(
        request,
        "review/record_form.html",
        {"form": form, "model": model, "verbose_name": model._meta.verbose_name, "submission": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def edit_record(request, pk):
    submission = _visible_submission(request, pk)
    if not allowed(request.user, submission, Action.EDIT) or not grants.holds(request.user, submission.page, "change"):
        raise PermissionDenied
    page = submission.page.specific.get_latest_revision_as_object()
    form_class = record_form_class(type(page))
    language_editable = services.language_can_change(submission)
    if request.method == "POST":
        form = form_class(
            request.POST,
            request.FILES,
            instance=page,
            user=request.user,
            language_editable=language_editable,
            submitting="submit" in request.POST,
        )
        if form.is_valid():
            try:
                services.save_changes(submission.pk, form.save_to_instance(), request.user, move_to=form.moved_to)
            except services.TransitionError as error:
                messages.error(request, str(error))
                return redirect("workspace:submission", pk=submission.pk)
            if "submit" in request.POST:
                if submission.state == State.REVISION:
                    return _resubmit_and_redirect(request, submission.pk, request.POST.get("comment", ""))
                return _submit_and_redirect(request, submission.pk)
            messages.success(request, _("Your changes are saved."))
            return redirect("workspace:submission", pk=submission.pk)
        messages.error(request, _("Please correct the errors below; what you typed is kept."))
    else:
        form = form_class(instance=page, user=request.user, language_editable=language_editable)
    return render(
        request,
        "review/record_form.html",
        {"form": form, "model": type(page), "verbose_name": type(page)._meta.verbose_name, "submission": submission},
        status=400 if form.is_bound else 200,
    )


def _submit_and_redirect(request, pk):
    try:
        services.submit(pk, request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Submitted. An editor will screen it; you will be told what happens next."))
    return redirect("workspace:submission", pk=pk)


def _resubmit_and_redirect(request, pk, comment):
    try:
        services.resubmit(pk, request.user, comment)
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your revised record was sent back to the editors."))
    return redirect("workspace:submission", pk=pk)


@login_required
def submission_detail(request, pk):
    submission = _visible_submission(request, pk)
    context = submission_context(request, submission)
    context["details"] = record_details(submission.page.specific.get_latest_revision_as_object())
    context["attachments"] = current_attachments(submission)
    context["comment_form"] = CommentForm()
    return render(request, "review/submission_detail.html", context)


@login_required
@require_POST
def submit_submission(request, pk):
    submission = _visible_submission(request, pk)
    if submission.state == State.REVISION:
        form = CommentForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        return _resubmit_and_redirect(request, submission.pk, comment)
    return _submit_and_redirect(request, submission.pk)


@login_required
def withdraw_submission(request, pk):
    submission = _visible_submission(request, pk)
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.withdraw(submission.pk, request.user, form.cleaned_data["comment"])
            except services.TransitionError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Withdrawn. Your record is a draft again; nothing you wrote is lost."))
            return redirect("workspace:submission", pk=submission.pk)
    else:
        if not allowed(request.user, submission, Action.WITHDRAW):
            raise PermissionDenied
        form = CommentForm()
    return render(request, "review/withdraw.html", {"submission": submission, "form": form})


@login_required
@require_POST
def start_revision(request, pk):
    submission = _visible_submission(request, pk)
    try:
        revision = services.start_revision_of_live(submission.pk, request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
        return redirect("workspace:submission", pk=submission.pk)
    messages.success(request, _("The published version stays online while your revision is reviewed."))
    return redirect("workspace:edit", pk=revision.pk)


@login_required
def submission_history(request, pk):
    submission = _visible_submission(request, pk)
    if not allowed(request.user, submission, Action.VIEW_HISTORY):
        raise PermissionDenied
    show_names = can_see_reviewer_names(request.user, submission)
    show_review_notes = allowed(request.user, submission, Action.VIEW_CONFIDENTIAL)
    entries = []
    for entry in submission.audit_entries.select_related("actor", "assignment"):
        if entry.actor_role == "reviewer" and entry.assignment and not show_names:
            who = entry.assignment.anonymous_label()
        elif entry.actor is not None:
            who = entry.actor.get_full_name() or entry.actor.get_username()
        else:
            who = _("The portal")
        comment = entry.comment
        if entry.action == AuditEntry.Action.REVIEW_SUBMITTED and not show_review_notes:
            comment = ""  # recommendations are the editor's to weigh before the decision
        entries.append({"entry": entry, "who": who, "comment": comment})
    return render(request, "review/history.html", {"submission": submission, "entries": entries, "page": None})


def current_attachments(submission):
    page = submission.page.specific.get_latest_revision_as_object()
    rows = list(page.attachments.all())
    from wagtail.documents import get_document_model

    documents = get_document_model().objects.in_bulk([row.document_id for row in rows])
    return [{"row": row, "document": documents.get(row.document_id)} for row in rows if row.document_id in documents]


@login_required
def download_attachment(request, pk, document_id):
    """Serve a file of a record under review to the people who may see that submission."""
    submission = _visible_submission(request, pk)
    if not access.may(request.user, Action.VIEW, submission):
        raise PermissionDenied
    for item in current_attachments(submission):
        if item["document"].pk == document_id:
            document = item["document"]
            if not access.may(request.user, access.Access.READ, document):
                raise Http404
            response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.title)
            response["X-Content-Type-Options"] = "nosniff"
            response["Cache-Control"] = "private, no-store"
            return response
    raise Http404


# --- tasks ------------------------------------------------------------------------------------


@login_required
def task_inbox(request):
    today = timezone.localdate()
    mine, group = inbox.split_by_owner(request.user, inbox.inbox_rows(request.user, today))
    followed = []
    if is_editor(request.user):
        overdue = (
            ReviewAssignment.objects.overdue(today)
            .filter(submission=OuterRef("pk"), round=OuterRef("round"))
            .order_by()
            .values("submission")
            .annotate(count=Count("pk"))
            .values("count")
        )
        followed = (
            Submission.objects.visible_to(request.user)
            .filter(state__in=ACTIVE_STATES)
            .exclude(submitter=request.user)
            .select_related("page", "acting_for_country")
            .annotate(overdue_reviews=Coalesce(Subquery(overdue, output_field=IntegerField()), 0))
            .order_by("submitted_at", "pk")
        )
    sent = ReviewAssignment.objects.sent_in_running_process().filter(reviewer=request.user).values("submission")
    reviewed = (
        Submission.objects.visible_to(request.user).filter(pk__in=sent).select_related("page").order_by("-updated_at")
    )
    return render(
        request,
        "review/tasks.html",
        {
            "mine": mine,
            "group": group,
            "today": today,
            "is_editor": is_editor(request.user),
            "followed": followed,
            "reviewed": reviewed,
        },
    )


def _visible_task(request, task_pk):
    return get_object_or_404(
        visible_tasks(request.user, active_only=False).select_related("process", "owner"), pk=task_pk
    )


@login_required
def task_detail(request, task_pk):
    task = _visible_task(request, task_pk)
    if task.status not in ACTIVE_TASK_STATUSES:
        messages.info(request, inbox.closed_message(task))
        return redirect("workspace:submission_or_tasks", task_pk=task.pk)
    return task.flow_task.view(request, task=task)


@login_required
def submission_or_tasks(request, task_pk):
    """After a finished task: what it was about if the person may still see it (its flow says), else the inbox."""
    task = _visible_task(request, task_pk)
    return redirect(inbox.return_url(request.user, task) or "workspace:tasks")


@login_required
@require_POST
def task_claim(request, task_pk):
    task = _visible_task(request, task_pk)
    try:
        inbox.claim(task, request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
        return redirect("workspace:tasks")
    messages.success(request, _("The task is yours; colleagues see that you handle it."))
    return redirect("workspace:task", task_pk=task.pk)


@login_required
@require_POST
def task_release(request, task_pk):
    task = _visible_task(request, task_pk)
    try:
        inbox.release(task, request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The task is back in the editors' queue."))
    return redirect("workspace:tasks")
