"""Every state change of a submission, in one place: guarded by the matrix, locked, audited.

Views call these functions and the flow's nodes call back into them; each transition checks the
permission matrix inside the lock, writes its audit row in the same transaction, moves the
per-object grants and queues the notifications (sent after commit).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow import STATUS
from viewflow.workflow.exceptions import FlowLockFailed

from content_types.base.translations import ensure_aliases, move_to_section
from workflows.core import tasks as core_tasks
from workflows.core.tasks import ACTIVE_TASK_STATUSES, TransitionError  # noqa: F401  (part of this module's API)
from workflows.notifications.events import raise_event
from workflows.review.policy import ACTIVE_STATES, Action, Role, State, allowed

from . import grants
from .events import Event
from .events import responsible_editors as _responsible_editors
from .models import AuditEntry, Decision, ReviewAssignment, ScreeningDecision, Submission, SubmissionProcess

# The review's wording of the core's task messages (people act on "submissions" here).
TASK_MESSAGES = core_tasks.TaskMessages(
    busy=gettext_lazy("Someone is acting on this submission right now; try again in a moment."),
    cancelled=gettext_lazy("This task was closed: the submitter withdrew the submission."),
)


def _flow():
    from .flows import SubmissionFlow

    return SubmissionFlow


# --- audit ------------------------------------------------------------------------------------


def acting_role(user, submission) -> str:
    return AuditEntry.role_of(user, submission) if user is not None else "system"


def audit(submission, actor, action, *, from_state="", to_state="", comment="", role=None, assignment=None):
    """Write the audit row of a step that does not change the state (and its line in the page history)."""
    return AuditEntry.record(
        submission,
        actor,
        action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        role=role,
        assignment=assignment,
    )


def move(submission, to_state, actor, action, *, comment="", role=None, assignment=None, **fields):
    """Set the state (and ``fields``) and write the audit row of the transition."""
    return AuditEntry.move(
        submission,
        to_state,
        actor,
        action,
        comment=comment,
        role=role,
        entry_fields={"assignment": assignment},
        **fields,
    )


def require(user, submission, action) -> None:
    if not allowed(user, submission, action):
        raise PermissionDenied


# --- who is told ------------------------------------------------------------------------------


def responsible_editors(submission):
    """Secretariat editors and the national editors of the submission's country (never its submitter)."""
    return _responsible_editors(submission)


def _reject(submission, user, action, outcome, comment) -> None:
    """Rejection at screening or at the decision: the same end state and message to the submitter."""
    move(submission, State.REJECTED, user, action, comment=comment, decided_at=timezone.now())
    raise_event(Event.DECISION, submission, actor=user, extra={"outcome": outcome.label, "comment": comment})


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
        raise_event(Event.SUBMISSION_RECEIVED, submission, actor=user)
        raise_event(Event.SCREENING_NEEDED, submission, actor=user)
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
            raise_event(Event.WITHDRAWN, submission, actor=user, open_reviewers=open_reviewers)
    except FlowLockFailed as error:
        raise TransitionError(str(TASK_MESSAGES.busy)) from error
    return submission


_cancel_process = core_tasks.cancel_process


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
        raise_event(Event.SCREENING_NEEDED, submission, actor=user)

    complete_task(task.pk, user, perform)
    return Submission.objects.get(pk=submission_pk)


# --- tasks ------------------------------------------------------------------------------------


def _lock_task_submission(task) -> Submission:
    return _locked_submission(task.process.coerced.submission_id)


def complete_task(task_pk, user, perform):
    """Run ``perform(activation, submission)`` as ``user``'s completion of a task, exactly once.

    The process row is locked (``select_for_update``) before anything is read, so that of two people
    acting at once one completes the task and the other is told it is already done.
    """
    return core_tasks.complete_task(
        _flow(), task_pk, user, perform, lock_subject=_lock_task_submission, messages=TASK_MESSAGES
    )


def _audit_task(action):
    def record(submission, user, node):
        audit(submission, user, action, comment=str(node.task_title))

    return record


def claim_task(task_pk, user) -> None:
    """Take an unassigned editor task so that colleagues see who handles it."""
    core_tasks.claim_task(
        _flow(),
        task_pk,
        user,
        lock_subject=_lock_task_submission,
        on_claimed=_audit_task(AuditEntry.Action.TASK_CLAIMED),
        messages=TASK_MESSAGES,
    )


def release_task(task_pk, user) -> None:
    """Give a taken editor task back to the group (its holder, or a manager of the flow)."""
    core_tasks.release_task(
        _flow(),
        task_pk,
        user,
        lock_subject=_lock_task_submission,
        on_released=_audit_task(AuditEntry.Action.TASK_RELEASED),
        messages=TASK_MESSAGES,
    )


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
        raise_event(Event.DECISION, submission, actor=user, extra={"outcome": Outcome.RETURN.label, "comment": comment})
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
        raise_event(
            Event.REVIEW_ASSIGNED,
            submission,
            actor=user,
            reviewer=assignment.reviewer,
            extra={"due_date": due_date.isoformat()},
        )
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
        raise_event(
            Event.DECISION,
            submission,
            actor=user,
            extra={
                "outcome": Outcome.REVISE.label,
                "comment": comment,
                "revision_due": revision_due.isoformat() if revision_due else None,
            },
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
    raise_event(Event.REVIEWS_COMPLETE, submission)


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
    raise_event(
        Event.PUBLISHED,
        submission,
        extra={
            "live_url": page.get_full_url(),
            "go_live": timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M") if go_live else None,
        },
    )


def close_rejected(submission_pk) -> None:
    """A rejected submission keeps its draft (or, for a working copy, the live version) and loses its grants."""
    submission = _locked_submission(submission_pk)
    grants.revoke_submitter(submission)
    submission.assignments.open().update(cancelled_at=timezone.now())
    grants.revoke_reviewers(submission)
