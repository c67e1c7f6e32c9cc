"""Every state change of a submission, in one place: guarded by the matrix, locked, audited.

Views call these functions and the flow's nodes call back into them; each transition checks the
permission matrix inside the lock, writes its audit row in the same transaction, moves the
per-object grants and queues the notifications (sent after commit).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow import STATUS
from viewflow.workflow.exceptions import FlowLockFailed

from content_types.base.translations import ensure_aliases, move_to_section
from workflows.notifications.events import Event
from workflows.notifications.services import notify
from workflows.permissions import (
    ACTIVE_STATES,
    EDITOR_GROUP,
    Action,
    Role,
    State,
    allowed,
    roles_for,
)

from . import grants
from .models import AuditEntry, Decision, ReviewAssignment, ScreeningDecision, Submission, SubmissionProcess
from .page_log import log_to_page_history

ACTIVE_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


class TransitionError(Exception):
    """A transition that cannot happen now; its message is shown to the person who tried."""


def _flow():
    from .flows import SubmissionFlow

    return SubmissionFlow


# --- audit ------------------------------------------------------------------------------------


def acting_role(user, submission) -> str:
    roles = roles_for(user, submission) if user is not None else frozenset()
    for role in (Role.SUBMITTER, Role.EDITOR, Role.NATIONAL_EDITOR, Role.REVIEWER):
        if role in roles:
            return role
    return "system"


def audit(submission, actor, action, *, from_state="", to_state="", comment="", role=None, assignment=None):
    entry = AuditEntry.objects.create(
        submission=submission,
        actor=actor,
        actor_role=role or (acting_role(actor, submission) if actor else "system"),
        assignment=assignment,
        action=action,
        from_state=from_state,
        to_state=to_state,
        round=submission.round,
        comment=comment,
    )
    log_to_page_history(entry)  # the same step in Wagtail's page history
    return entry


def move(submission, to_state, actor, action, *, comment="", role=None, assignment=None, **fields):
    """Set the state (and ``fields``) and write the audit row of the transition."""
    from_state = submission.state
    submission.state = to_state
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.save(update_fields=["state", "updated_at", *fields])
    submission.forget_cached_roles()
    return audit(
        submission,
        actor,
        action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        role=role,
        assignment=assignment,
    )


def require(user, submission, action) -> None:
    if not allowed(user, submission, action):
        raise PermissionDenied


# --- who is told ------------------------------------------------------------------------------


def responsible_editors(submission):
    """Secretariat editors and the national editors of the submission's country (never its submitter)."""
    User = get_user_model()
    scope = Q(profile__country__isnull=True)
    if submission.acting_for_country_id:
        scope |= Q(profile__country_id=submission.acting_for_country_id)
    return list(
        User.objects.filter(groups__name=EDITOR_GROUP, is_active=True)
        .filter(scope)
        .exclude(pk=submission.submitter_id)
        .select_related("profile")
        .distinct()
    )


def _notify(recipients, event, submission, actor=None, **extra):
    notify(
        recipients,
        event,
        title=submission.title,
        viewname="workspace:submission",
        kwargs={"pk": submission.pk},
        actor=actor,
        extra={key: str(value) for key, value in extra.items() if value not in (None, "")},
    )


def _reject(submission, user, action, outcome, comment) -> None:
    """Rejection at screening or at the decision: the same end state and message to the submitter."""
    move(submission, State.REJECTED, user, action, comment=comment, decided_at=timezone.now())
    _notify([submission.submitter], Event.DECISION, submission, actor=user, outcome=outcome.label, comment=comment)


# --- locking ----------------------------------------------------------------------------------


def _locked_submission(pk) -> Submission:
    return Submission.objects.select_for_update().select_related("page", "submitter").get(pk=pk)


def _running_process(submission):
    return (
        SubmissionProcess.objects.filter(submission=submission)
        .exclude(status__in=[STATUS.CANCELED, STATUS.DONE])
        .order_by("-pk")
        .first()
    )


# --- drafts -----------------------------------------------------------------------------------


def record_index_for(language_code: str):
    """The Records section of the locale a record is written in (None when that locale has none)."""
    from content_types.records.models import RecordIndexPage

    return RecordIndexPage.objects.filter(locale__language_code=language_code).order_by("depth", "pk").first()


def has_record_sections() -> bool:
    from content_types.records.models import RecordIndexPage

    return RecordIndexPage.objects.exists()


def language_can_change(submission) -> bool:
    """A record changes language only as a draft that nobody has reviewed or read in public yet.

    Its page then simply moves to the other language's Records section. Once submitted, reviewers
    and editors read it in its language; once published, its address, aliases and translations
    depend on it, and a version in another language is a translation.
    """
    page = submission.page
    return (
        submission.state == State.DRAFT
        and not submission.is_revision_of_live
        and not page.live
        and page.first_published_at is None
    )


@transaction.atomic
def create_draft(page, parent, user) -> Submission:
    """Store ``page`` (unsaved, from a validated form) as an unpublished child of ``parent`` owned by ``user``.

    The page is in ``parent``'s locale: Wagtail would give a page without a tree position the default one.
    """
    page.locale_id = parent.locale_id
    page.owner = user
    page.live = False
    page.has_unpublished_changes = True
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    profile = getattr(user, "profile", None)
    submission = Submission.objects.create(
        page=page,
        submitter=user,
        acting_for_country_id=getattr(profile, "country_id", None),
        acting_for_organisation=getattr(profile, "organisation", "") or "",
    )
    audit(submission, user, AuditEntry.Action.CREATED, to_state=State.DRAFT, role=Role.SUBMITTER)
    grants.grant_submitter(submission)
    return submission


@transaction.atomic
def save_changes(submission_pk, page, user, move_to=None):
    """Store the edited record as a new revision; a published record's live version is left as it is.

    ``move_to``: the Records section of the language the submitter now says the draft is written in.
    """
    submission = _locked_submission(submission_pk)
    require(user, submission, Action.EDIT)
    if not grants.holds(user, submission.page, "change"):
        raise PermissionDenied
    if move_to is not None and not language_can_change(submission):
        raise TransitionError(_("A record keeps its language once it has been submitted."))
    if not page.live:
        page.save()
    revision = page.save_revision(user=user, log_action=True)
    comment = ""
    if move_to is not None:
        move_to_section(page, move_to, user=user)
        comment = _("Language of the record: %(language)s") % {"language": move_to.locale.get_display_name()}
    audit(submission, user, AuditEntry.Action.EDITED, role=Role.SUBMITTER, comment=comment)
    submission.save(update_fields=["updated_at"])
    return revision


@transaction.atomic
def start_revision_of_live(submission_pk, user) -> Submission:
    """Open a working copy of a published record: the live version stays until the revision is published."""
    previous = _locked_submission(submission_pk)
    require(user, previous, Action.REVISE_LIVE)
    page = previous.page
    if Submission.objects.open().filter(page=page).exists():
        raise TransitionError(_("A revision of this record is already under way."))
    profile = getattr(user, "profile", None)
    submission = Submission.objects.create(
        page=page,
        submitter=user,
        acting_for_country_id=getattr(profile, "country_id", None) or previous.acting_for_country_id,
        acting_for_organisation=getattr(profile, "organisation", "") or previous.acting_for_organisation,
        is_revision_of_live=True,
        anonymous_reviewers=previous.anonymous_reviewers,
    )
    # The working copy starts from what is live, not from a rejected or abandoned revision.
    live = page.specific
    live.save_revision(user=user, log_action=True, changed=False)
    audit(submission, user, AuditEntry.Action.REVISION_STARTED, to_state=State.DRAFT, role=Role.SUBMITTER)
    grants.grant_submitter(submission)
    return submission


# --- submitter's transitions ------------------------------------------------------------------


def require_complete(submission):
    """A record goes to review only with what its type asks before submission (a draft may lack it)."""
    from .record_forms import missing_to_submit

    missing = missing_to_submit(submission.page.specific.get_latest_revision_as_object())
    if missing:
        raise TransitionError(
            _("Fill in %(fields)s before you submit: edit the record, then submit it again.")
            % {"fields": ", ".join(str(label) for label in missing)}
        )


def submit(submission_pk, user) -> Submission:
    """Send a draft for review: the process starts with an editor's screening."""
    with transaction.atomic():
        submission = _locked_submission(submission_pk)
        if submission.state != State.DRAFT:
            raise TransitionError(_("This submission was already submitted."))
        require(user, submission, Action.SUBMIT)
        require_complete(submission)
        move(submission, State.SCREENING, user, AuditEntry.Action.SUBMITTED, submitted_at=timezone.now())
        grants.revoke_submitter(submission)
        _flow().start.run(submission=submission, user=user)
        _notify([user], Event.SUBMISSION_RECEIVED, submission, actor=user)
        _notify(responsible_editors(submission), Event.SCREENING_NEEDED, submission, actor=user)
    return submission


def withdraw(submission_pk, user, comment="") -> Submission:
    """Take a submission back before the final decision: its tasks close, the draft is kept."""
    submission = Submission.objects.get(pk=submission_pk)
    process = _running_process(submission)
    try:
        with _flow().lock(process.pk) if process else transaction.atomic():
            submission = _locked_submission(submission_pk)
            if submission.state not in ACTIVE_STATES:
                raise TransitionError(_("This submission can no longer be withdrawn."))
            require(user, submission, Action.WITHDRAW)
            open_reviewers = [a.reviewer for a in submission.assignments.open().select_related("reviewer")]
            if process is not None:
                _cancel_process(process)
            submission.assignments.open().update(cancelled_at=timezone.now())
            grants.revoke_reviewers(submission)
            move(submission, State.DRAFT, user, AuditEntry.Action.WITHDRAWN, comment=comment, revision_due=None)
            grants.grant_submitter(submission)
            _notify([*responsible_editors(submission), *open_reviewers], Event.WITHDRAWN, submission, actor=user)
    except FlowLockFailed as error:
        raise TransitionError(_("Someone is acting on this submission right now; try again in a moment.")) from error
    return submission


def _cancel_process(process) -> None:
    """Cancel every open task of ``process`` and close it (inside the caller's lock)."""
    from viewflow.workflow.status import PROCESS

    now = timezone.now()
    for task in process.task_set.filter(status__in=ACTIVE_TASK_STATUSES):
        activation = task.flow_task.activation_class(task)
        cancel = getattr(activation, "cancel", None)
        if cancel is not None and cancel.can_proceed():
            cancel()
        else:
            task.status = STATUS.CANCELED
            task.finished = now
            task.save(update_fields=["status", "finished"])
    process.status = PROCESS.CANCELED
    process.finished = now
    process.save(update_fields=["status", "finished"])


def resubmit(submission_pk, user, comment="") -> Submission:
    """Answer a revision request: completes the submitter's revision task, which starts the next step."""
    submission = Submission.objects.get(pk=submission_pk)
    task = (
        _flow()
        .task_class.objects.filter(
            process__submissionprocess__submission=submission,
            flow_task=_flow().revise,
            status__in=ACTIVE_TASK_STATUSES,
        )
        .first()
    )
    if task is None:
        raise TransitionError(_("This submission is not waiting for a revision."))
    require_complete(submission)

    def perform(activation, submission):
        resume_at = activation.process.resume_at
        to_state = State.SCREENING if resume_at == SubmissionProcess.ResumeAt.SCREENING else State.ASSIGNMENT
        move(submission, to_state, user, AuditEntry.Action.RESUBMITTED, comment=comment, revision_due=None)
        grants.revoke_submitter(submission)
        _notify(responsible_editors(submission), Event.SCREENING_NEEDED, submission, actor=user)

    complete_task(task.pk, user, perform)
    return Submission.objects.get(pk=submission_pk)


# --- tasks ------------------------------------------------------------------------------------


def complete_task(task_pk, user, perform):
    """Run ``perform(activation, submission)`` as ``user``'s completion of a task, exactly once.

    The process row is locked (``select_for_update``) before anything is read, so that of two people
    acting at once one completes the task and the other is told it is already done.
    """
    flow_class = _flow()
    task = flow_class.task_class.objects.select_related("process").get(pk=task_pk)
    try:
        with flow_class.lock(task.process_id):
            task.refresh_from_db()
            node = task.flow_task
            if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
                raise TransitionError(task_closed_message(task))
            submission = _locked_submission(task.process.coerced.submission_id)
            activation = node.activation_class(task)
            if task.status == STATUS.NEW:
                if not node.can_assign(user, task):
                    raise TransitionError(_("This task is not yours to do."))
                activation.assign(user)
            if not node.can_execute(user, task):
                raise TransitionError(_("This task is assigned to someone else."))
            activation.start(None)
            result = perform(activation, submission)
            activation.execute()
            return result
    except FlowLockFailed as error:
        raise TransitionError(_("Someone is acting on this submission right now; try again in a moment.")) from error
    except TransitionNotAllowed as error:
        raise TransitionError(_("This step cannot be taken now.")) from error


def task_closed_message(task) -> str:
    if task.status == STATUS.CANCELED:
        return _("This task was closed: the submitter withdrew the submission.")
    return _("This task is already done; nothing more is needed from you.")


def claim_task(task_pk, user) -> None:
    """Take an unassigned editor task so that colleagues see who handles it."""
    flow_class = _flow()
    task = flow_class.task_class.objects.get(pk=task_pk)
    try:
        with flow_class.lock(task.process_id):
            task.refresh_from_db()
            if task.status != STATUS.NEW or task.owner_id:
                raise TransitionError(_("Someone already took this task."))
            if not task.flow_task.can_assign(user, task):
                raise TransitionError(_("This task is not yours to do."))
            task.flow_task.activation_class(task).assign(user)
            submission = _locked_submission(task.process.coerced.submission_id)
            audit(submission, user, AuditEntry.Action.TASK_CLAIMED, comment=str(task.flow_task.task_title))
    except FlowLockFailed as error:
        raise TransitionError(_("Someone is acting on this submission right now; try again in a moment.")) from error


def release_task(task_pk, user) -> None:
    """Give a taken editor task back to the group (its holder, or a manager of the flow)."""
    flow_class = _flow()
    task = flow_class.task_class.objects.get(pk=task_pk)
    try:
        with flow_class.lock(task.process_id):
            task.refresh_from_db()
            node = task.flow_task
            if task.status != STATUS.ASSIGNED or not getattr(node, "releasable", False):
                raise TransitionError(_("This task cannot be released."))
            if not node.can_unassign(user, task):
                raise TransitionError(_("This task is not yours to release."))
            node.activation_class(task).unassign()
            submission = _locked_submission(task.process.coerced.submission_id)
            audit(submission, user, AuditEntry.Action.TASK_RELEASED, comment=str(node.task_title))
    except FlowLockFailed as error:
        raise TransitionError(_("Someone is acting on this submission right now; try again in a moment.")) from error


# --- what the editor's and reviewers' tasks do (called by the task views inside complete_task) ----


def perform_screening(activation, submission, user, outcome, comment):
    require(user, submission, Action.SCREEN)
    ScreeningDecision.objects.create(submission=submission, editor=user, outcome=outcome, comment=comment)
    Outcome = ScreeningDecision.Outcome
    if outcome == Outcome.SEND_TO_REVIEW:
        move(submission, State.ASSIGNMENT, user, AuditEntry.Action.SCREENED, comment=comment)
    elif outcome == Outcome.RETURN:
        activation.process.resume_at = SubmissionProcess.ResumeAt.SCREENING
        activation.process.save(update_fields=["resume_at"])
        move(submission, State.REVISION, user, AuditEntry.Action.SCREENED, comment=comment)
        grants.grant_submitter(submission)
        _notify(
            [submission.submitter],
            Event.DECISION,
            submission,
            actor=user,
            outcome=Outcome.RETURN.label,
            comment=comment,
        )
    else:
        _reject(submission, user, AuditEntry.Action.SCREENED, Outcome.REJECT, comment)


def perform_assignment(activation, submission, user, reviewers, due_date, anonymous):
    require(user, submission, Action.ASSIGN)
    if not reviewers:
        raise TransitionError(_("Name at least one reviewer."))
    if any(reviewer.pk == submission.submitter_id for reviewer in reviewers):
        raise TransitionError(_("The submitter cannot review its own submission."))
    submission.round += 1
    submission.anonymous_reviewers = anonymous
    submission.save(update_fields=["round", "anonymous_reviewers", "updated_at"])
    assignments = []
    for position, reviewer in enumerate(reviewers, start=1):
        assignment = ReviewAssignment.objects.create(
            submission=submission,
            reviewer=reviewer,
            round=submission.round,
            position=position,
            assigned_by=user,
            due_date=due_date,
        )
        grants.grant_reviewer(assignment)
        assignments.append(assignment)
    comment = _("%(count)s reviewer(s), due %(due)s") % {"count": len(assignments), "due": due_date.isoformat()}
    move(submission, State.IN_REVIEW, user, AuditEntry.Action.REVIEWERS_ASSIGNED, comment=comment)
    for assignment in assignments:
        _notify([assignment.reviewer], Event.REVIEW_ASSIGNED, submission, actor=user, due_date=due_date.isoformat())
    return assignments


def perform_review(activation, submission, user, recommendation, comments_to_submitter, confidential_comments):
    require(user, submission, Action.REVIEW)
    assignment = ReviewAssignment.objects.select_for_update().get(pk=activation.task.data["assignment"])
    if assignment.reviewer_id != user.pk or not assignment.is_open:
        raise TransitionError(_("This review is not open for you."))
    assignment.recommendation = recommendation
    assignment.comments_to_submitter = comments_to_submitter
    assignment.confidential_comments = confidential_comments
    assignment.submitted_at = timezone.now()
    assignment.save()  # its view grant stays: it reads what it reviewed until the process ends
    submission.forget_cached_roles()
    audit(
        submission,
        user,
        AuditEntry.Action.REVIEW_SUBMITTED,
        comment=assignment.get_recommendation_display(),
        role=Role.REVIEWER,
        assignment=assignment,
    )
    return assignment


def perform_decision(activation, submission, user, outcome, comment, revision_due=None):
    require(user, submission, Action.DECIDE)
    decision = Decision.objects.create(
        submission=submission, round=submission.round, editor=user, outcome=outcome, comment=comment
    )
    Outcome = Decision.Outcome
    if outcome == Outcome.PUBLISH:
        move(submission, State.PUBLISHED, user, AuditEntry.Action.DECIDED, comment=comment, decided_at=timezone.now())
    elif outcome == Outcome.REVISE:
        activation.process.resume_at = SubmissionProcess.ResumeAt.REVIEW
        activation.process.save(update_fields=["resume_at"])
        move(submission, State.REVISION, user, AuditEntry.Action.DECIDED, comment=comment, revision_due=revision_due)
        grants.grant_submitter(submission)
        _notify(
            [submission.submitter],
            Event.DECISION,
            submission,
            actor=user,
            outcome=Outcome.REVISE.label,
            comment=comment,
            revision_due=revision_due.isoformat() if revision_due else None,
        )
    else:
        _reject(submission, user, AuditEntry.Action.DECIDED, Outcome.REJECT, comment)
    return decision


# --- what the flow's automatic steps do --------------------------------------------------------


def reviews_complete(submission_pk) -> None:
    """The last open review came in: the submission waits for the editor's decision."""
    submission = _locked_submission(submission_pk)
    if submission.state != State.IN_REVIEW:
        return
    move(submission, State.DECISION, None, AuditEntry.Action.REVIEWS_COMPLETE, role="system")
    _notify(responsible_editors(submission), Event.REVIEWS_COMPLETE, submission)


def publish(submission_pk) -> None:
    """Publish the record's latest revision through Wagtail, so history and scheduling keep working."""
    from .documents import make_attachments_public

    submission = _locked_submission(submission_pk)
    decision = submission.decisions.filter(outcome=Decision.Outcome.PUBLISH).order_by("-pk").first()
    page = submission.page.specific
    revision = page.get_latest_revision()
    # The permission matrix authorised the decision; Wagtail's own page permissions are the admin's concern.
    revision.publish(user=decision.editor if decision else None, skip_permission_checks=True)
    # The record in every language: live aliases now, or aliases Wagtail publishes with it on its go-live date.
    ensure_aliases(page)
    make_attachments_public(page)
    if decision is not None:
        decision.published_revision = revision
        decision.save(update_fields=["published_revision"])
    grants.revoke_submitter(submission)
    grants.revoke_reviewers(submission)
    revision.refresh_from_db()
    go_live = revision.approved_go_live_at  # set when the revision carries a future go-live date
    if go_live:
        comment = _("Revision %(id)s is scheduled to go live on %(when)s.") % {
            "id": revision.pk,
            "when": timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
        }
    else:
        comment = _("Revision %(id)s is live.") % {"id": revision.pk}
    audit(submission, None, AuditEntry.Action.PUBLISHED, role="system", comment=comment)
    page.refresh_from_db()
    _notify(
        [submission.submitter],
        Event.PUBLISHED,
        submission,
        live_url=page.get_full_url(),
        go_live=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M") if go_live else None,
    )


def close_rejected(submission_pk) -> None:
    """A rejected submission keeps its draft (or, for a working copy, the live version) and loses its grants."""
    submission = _locked_submission(submission_pk)
    grants.revoke_submitter(submission)
    submission.assignments.open().update(cancelled_at=timezone.now())
    grants.revoke_reviewers(submission)
