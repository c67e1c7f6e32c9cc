"""What people do in the award process, each step checked against the cycle's tables and audited.

Every function takes the acting person first, asks the policy, changes the rows in one transaction
and writes the step's audit row (a nomination's or the committee's). A step that is not allowed
raises :class:`Denied` (the views answer 403); one that is allowed but not possible now raises
:class:`django.core.exceptions.ValidationError` with the message people read.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.status import PROCESS

from content_types.awards.models import AwardEntry, AwardEntryScore, AwardJuryMember, AwardResult, Prize
from workflows.core import tasks as core_tasks
from workflows.core.people import SUBMITTER_GROUP, group_names, profile_country_id
from workflows.core.tasks import ACTIVE_TASK_STATUSES, TransitionError
from workflows.notifications.events import Link, raise_event

from . import policy as P
from .events import Event
from .models import (
    Assessment,
    Award,
    Committee,
    CommitteeMember,
    Conflict,
    EvaluationEntry,
    EvaluationProcess,
    EvaluationState,
    Nomination,
    NominationAttachment,
    NominationEntry,
    NominationState,
    Score,
)


class Denied(PermissionDenied):
    """The cycle's table does not allow this person this action."""


# The evaluation's wording of the core's task messages.
TASK_MESSAGES = core_tasks.TaskMessages(
    busy=gettext_lazy("Someone is acting on this evaluation right now; try again in a moment."),
    cancelled=gettext_lazy("This task was closed: the scoring is closed, or you stepped aside from the nomination."),
)


def _flow():
    from .flows import EvaluationFlow

    return EvaluationFlow


def require(policy, user, obj, action):
    if not policy.allowed(user, obj, action):
        raise Denied(_("You may not do this."))


# --- nominations --------------------------------------------------------------------------------
def deadline_passed(cycle, today=None) -> bool:
    return (today or timezone.localdate()) > cycle.nomination_deadline


def deadline_message(cycle) -> str:
    return _("The nomination deadline (%(date)s) has passed: the nomination can no longer be changed.") % {
        "date": cycle.nomination_deadline.isoformat()
    }


def may_edit(user, nomination, today=None) -> bool:
    """Editable by its Party: a draft or a submitted nomination until the deadline; a correction the
    secretariat asked for, until it is sent back."""
    if not P.NOMINATION_POLICY.allowed(user, nomination, P.EDIT):
        return False
    return nomination.state == NominationState.CORRECTION or not deadline_passed(nomination.cycle, today)


def save_nomination(
    user,
    cycle,
    *,
    category,
    website,
    answers=None,
    nomination=None,
    submit=False,
    today=None,
    attachments=(),
    remove_attachments=(),
):
    """Create or update the Party's nomination; ``submit`` sends it to the secretariat's check.

    ``attachments`` are uploaded files already checked by the form (cms.uploads); they are checked
    again here, with the count of those kept, before any is stored. ``remove_attachments`` are ids of
    the nomination's own attachments to delete."""
    country_id = profile_country_id(user) if SUBMITTER_GROUP in group_names(user) else None
    if country_id is None:
        raise Denied(_("Only a focal point acting for a Party may nominate."))
    if today is None:
        today = timezone.localdate()
    if today < cycle.call_opens:
        raise ValidationError(_("The call for nominations is not open yet."))
    if category.page_id != cycle.pk:
        raise ValidationError({"category": _("Choose a category of this cycle.")})
    with transaction.atomic():
        if nomination is None:
            if deadline_passed(cycle, today):
                raise ValidationError(deadline_message(cycle))
            nomination = Nomination(cycle=cycle, country_id=country_id, nominated_by=user)
            created = True
        else:
            nomination = Nomination.objects.select_for_update().select_related("cycle").get(pk=nomination.pk)
            created = False
            if not P.NOMINATION_POLICY.allowed(user, nomination, P.EDIT):
                raise Denied(_("You may not change this nomination."))
            if not may_edit(user, nomination, today):
                raise ValidationError(deadline_message(cycle))
        nomination.category = category
        nomination.website = website
        nomination.answers = answers or {}
        try:
            with transaction.atomic():
                nomination.save()
        except IntegrityError:
            raise ValidationError(
                {"category": _("Your country already has a nomination in this category of this cycle.")}
            ) from None
        if created:
            NominationEntry.record(nomination, user, "create", to_state=nomination.state, role=P.NOMINEE)
        else:
            NominationEntry.record(nomination, user, "edit", role=P.NOMINEE)
        _store_attachments(user, nomination, list(attachments), list(remove_attachments))
        if submit and nomination.state in (NominationState.DRAFT, NominationState.CORRECTION):
            NominationEntry.move(nomination, NominationState.SUBMITTED, user, "submit", role=P.NOMINEE)
            raise_event(Event.NOMINATION_SUBMITTED, nomination, actor=user)
    return nomination


def _store_attachments(user, nomination, files, remove) -> None:
    from cms.uploads.validators import validate_upload, validate_upload_count

    from .forms import MAX_ATTACHMENTS, max_attachment_size

    if not files and not remove:
        return
    removed = list(nomination.attachments.filter(pk__in=remove))
    kept = nomination.attachments.exclude(pk__in=[attachment.pk for attachment in removed]).count()
    validate_upload_count(kept + len(files), MAX_ATTACHMENTS)
    for uploaded in files:
        validate_upload(uploaded, max_size=max_attachment_size())
    for attachment in removed:
        attachment.file.delete(save=False)
        attachment.delete()
    names = []
    for uploaded in files:
        name = str(uploaded.name or "").rsplit("/", 1)[-1]
        NominationAttachment.objects.create(nomination=nomination, file=uploaded, title=name[:200])
        names.append(name)
    NominationEntry.record(
        nomination,
        user,
        "attachments",
        role=P.NOMINEE,
        details={"added": names, "removed": [str(attachment) for attachment in removed]},
    )


ACCEPT, CORRECT, REJECT = "accept", "correct", "reject"


def check_nomination(user, nomination, outcome, comment=""):
    """The secretariat's eligibility check: accept, ask for a correction, or reject with a reason."""
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().select_related("cycle").get(pk=nomination.pk)
        require(P.NOMINATION_POLICY, user, nomination, P.CHECK)
        if outcome not in (ACCEPT, CORRECT, REJECT):
            raise ValidationError(_("Choose accept, ask for a correction or reject."))
        if outcome in (CORRECT, REJECT) and not comment.strip():
            raise ValidationError({"comment": _("Say what to correct, or why the nomination is not eligible.")})
        target = {
            ACCEPT: NominationState.ACCEPTED,
            CORRECT: NominationState.CORRECTION,
            REJECT: NominationState.REJECTED,
        }[outcome]
        NominationEntry.move(
            nomination, target, user, outcome, comment=comment, role=P.SECRETARIAT, secretariat_comment=comment
        )
        if outcome == ACCEPT:
            open_scoring_tasks(nomination)
        if outcome == CORRECT:
            raise_event(Event.NOMINATION_CORRECTION, nomination, actor=user, extra={"comment": comment})
        else:
            with translation.override("en"):  # the e-mail translates it into each recipient's language
                outcome_label = str(NominationState(target).label)
            raise_event(
                Event.NOMINATION_CHECKED, nomination, actor=user, extra={"outcome": outcome_label, "comment": comment}
            )
    return nomination


# --- the committee --------------------------------------------------------------------------------
def form_committee(cycle, members, chair, actor=None) -> Committee:
    """Name the cycle's committee (``members`` are users; their profile's country is their Party)."""
    from cms.accounts.roles import AWARD_COMMITTEE

    if chair not in members:
        raise ValidationError(_("The chair must be one of the members."))
    outsiders = [user for user in members if AWARD_COMMITTEE not in group_names(user)]
    if outsiders:
        raise ValidationError(_("Every member must belong to the award committee group."))
    with transaction.atomic():
        committee, _created = Committee.objects.get_or_create(cycle=cycle)
        for process in EvaluationProcess.objects.filter(committee=committee, status=PROCESS.NEW):
            with _flow().lock(process.pk):  # a committee named anew starts its evaluation anew
                core_tasks.cancel_process(process)
        committee.members.all().delete()
        for user in members:
            CommitteeMember.objects.create(
                committee=committee, user=user, country_id=profile_country_id(user), is_chair=user == chair
            )
        EvaluationEntry.record(
            committee, actor, "committee", details={"members": [user.pk for user in members], "chair": chair.pk}
        )
        if committee.state == EvaluationState.SCORING:
            _flow().start.run(committee=committee, user=actor)
    return committee


# --- the evaluation's tasks -------------------------------------------------------------------------
def current_process(committee):
    """The committee's running evaluation process, if any."""
    return EvaluationProcess.objects.filter(committee=committee, status=PROCESS.NEW).order_by("-pk").first()


def open_task(committee, node, *, member=None, nomination=None):
    """The open task of ``node`` in the committee's evaluation (a member's, on a nomination)."""
    tasks = _flow().task_class.objects.filter(
        process__evaluationprocess__committee=committee, flow_task=node, status__in=ACTIVE_TASK_STATUSES
    )
    if member is not None:
        tasks = tasks.filter(data__member=member.pk)
    if nomination is not None:
        tasks = tasks.filter(data__nomination=nomination.pk)
    return tasks.order_by("pk").first()


def scoring_pairs(committee, nominations=None) -> list[tuple[int, int]]:
    """(member, nomination) for every accepted nomination a member may assess: not its own country's,
    no declared conflict."""
    members = list(committee.members.all())
    conflicts = set(Conflict.objects.filter(member__committee=committee).values_list("member_id", "nomination_id"))
    if nominations is None:
        nominations = Nomination.objects.filter(cycle_id=committee.cycle_id, state=NominationState.ACCEPTED)
    return [
        (member.pk, nomination.pk)
        for nomination in nominations
        for member in members
        if member.country_id != nomination.country_id and (member.pk, nomination.pk) not in conflicts
    ]


def open_scoring_tasks(nomination) -> list:
    """A nomination accepted while the committee scores gets its scoring tasks in the same split."""
    committee = Committee.objects.filter(cycle_id=nomination.cycle_id).first()
    if committee is None or committee.state != EvaluationState.SCORING:
        return []
    process = current_process(committee)
    if process is None:
        return []
    flow_class = _flow()
    with flow_class.lock(process.pk):
        existing = {
            (data.get("member"), data.get("nomination"))
            for data in flow_class.task_class.objects.filter(process=process, flow_task=flow_class.score).values_list(
                "data", flat=True
            )
        }
        items = [
            {"member": member_id, "nomination": nomination_id}
            for member_id, nomination_id in scoring_pairs(committee, [nomination])
            if (member_id, nomination_id) not in existing
        ]
        return flow_class.scoring.open_more(process, items)


def _lock_committee(task):
    return Committee.objects.select_for_update().select_related("cycle").get(pk=task.process.coerced.committee_id)


def _complete(task, user, perform):
    """Complete ``task`` as ``user`` through the core, ``perform(committee)`` doing the step's work."""
    try:
        return core_tasks.complete_task(
            _flow(),
            task.pk,
            user,
            lambda activation, committee: perform(committee),
            lock_subject=_lock_committee,
            messages=TASK_MESSAGES,
        )
    except TransitionError as error:
        raise ValidationError(str(error)) from error


def _no_task() -> ValidationError:
    return ValidationError(_("There is no open task for this step of the evaluation."))


def _audit_task(action):
    def record(committee, user, node):
        EvaluationEntry.record(committee, user, action, comment=str(node.task_title), role=P.SECRETARIAT)

    return record


def claim_task(task_pk, user) -> None:
    """Take a group task of the secretariat (closing the scoring, publishing) so colleagues see it."""
    core_tasks.claim_task(
        _flow(),
        task_pk,
        user,
        lock_subject=_lock_committee,
        on_claimed=_audit_task("task-claimed"),
        messages=TASK_MESSAGES,
    )


def release_task(task_pk, user) -> None:
    core_tasks.release_task(
        _flow(),
        task_pk,
        user,
        lock_subject=_lock_committee,
        on_released=_audit_task("task-released"),
        messages=TASK_MESSAGES,
    )


def missing_regions(committee) -> list:
    """The UN regions (Africa, Americas, Asia, Europe, Oceania: the children of the world) that no
    member comes from: the committee should be regionally balanced."""
    from content_types.vocabularies.models import Region

    regions = {region.pk: region for region in Region.objects.all()}

    def top(region_id):
        region = regions.get(region_id)
        while region is not None and region.parent_id is not None and regions[region.parent_id].parent_id is not None:
            region = regions[region.parent_id]
        return getattr(region, "pk", None)

    represented = {
        top(member.country.region_id) for member in committee.members.select_related("country") if member.country_id
    }
    main = [region for region in regions.values() if region.parent_id and regions[region.parent_id].parent_id is None]
    return sorted((region for region in main if region.pk not in represented), key=lambda region: region.code)


def _member(user, committee) -> CommitteeMember:
    member = P.committee_member(user, committee)
    if member is None:
        raise Denied(_("You are not a member of this committee."))
    return member


def assignable_nominations(user, cycle):
    """The nominations ``user`` may score: accepted, not its own country's, no declared conflict."""
    committee = Committee.objects.filter(cycle=cycle).first()
    if committee is None:
        return Nomination.objects.none()
    member = committee.members.filter(user=user).first()
    if member is None:
        return Nomination.objects.none()
    nominations = Nomination.objects.filter(cycle=cycle, state=NominationState.ACCEPTED).exclude(
        conflicts__member=member
    )
    if member.country_id:
        nominations = nominations.exclude(country_id=member.country_id)
    return nominations


def declare_conflict(user, nomination, reason):
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the conflict of interest is.")})
    with transaction.atomic():
        nomination = Nomination.objects.select_related("cycle__committee").get(pk=nomination.pk)
        require(P.NOMINATION_POLICY, user, nomination, P.DECLARE_CONFLICT)
        committee = nomination.cycle.committee
        member = _member(user, committee)
        Conflict.objects.create(member=member, nomination=nomination, reason=reason)
        EvaluationEntry.record(
            committee, user, "conflict", comment=reason, role=P.MEMBER, details={"nomination": nomination.pk}
        )
        task = open_task(committee, _flow().score, member=member, nomination=nomination)
        if task is not None:
            with _flow().lock(task.process_id):
                task.refresh_from_db()
                if task.status in ACTIVE_TASK_STATUSES:
                    task.flow_task.activation_class(task).cancel()


def _scoring(user, nomination):
    nomination = Nomination.objects.select_related("cycle__committee").get(pk=nomination.pk)
    require(P.NOMINATION_POLICY, user, nomination, P.SCORE)
    committee = nomination.cycle.committee
    if committee.state != EvaluationState.SCORING:
        raise ValidationError(_("The scoring of this cycle is closed."))
    return nomination, committee, _member(user, committee)


def save_score(user, nomination, criterion, value, comment=""):
    """Set the member's score on a criterion; every change is audited with its old and new value."""
    with transaction.atomic():
        nomination, committee, member = _scoring(user, nomination)
        if criterion.page_id != nomination.cycle_id:
            raise ValidationError(_("This criterion belongs to another cycle."))
        if value is None or not criterion.scale_min <= value <= criterion.scale_max:
            raise ValidationError(
                _("Give a score from %(low)s to %(high)s.") % {"low": criterion.scale_min, "high": criterion.scale_max}
            )
        score = (
            Score.objects.select_for_update().filter(member=member, nomination=nomination, criterion=criterion).first()
        )
        old = None if score is None else score.value
        old_comment = "" if score is None else score.comment
        if score is None:
            score = Score(member=member, nomination=nomination, criterion=criterion)
        elif old == value and old_comment == comment:
            return score
        score.value, score.comment = value, comment
        score.save()
        EvaluationEntry.record(
            committee,
            user,
            "score",
            role=P.MEMBER,
            details={
                "nomination": nomination.pk,
                "criterion": criterion.pk,
                "old": old,
                "new": value,
                "old_comment": old_comment,
                "new_comment": comment,
            },
        )
    return score


def save_visit(user, nomination, *, visited_on=None, pages_visited="", notes=None) -> Assessment:
    with transaction.atomic():
        nomination, committee, member = _scoring(user, nomination)
        assessment, _created = Assessment.objects.get_or_create(member=member, nomination=nomination)
        assessment.visited_on = visited_on
        assessment.pages_visited = pages_visited
        assessment.visit_notes = {str(key): value for key, value in (notes or {}).items() if value}
        assessment.save()
    return assessment


def submit_scores(user, nomination) -> Assessment:
    """The member's scores on a nomination are complete: from now on it sees the others' scores.

    Submitting completes the member's scoring task of the nomination; submitting again is harmless.
    """
    with transaction.atomic():
        nomination, committee, member = _scoring(user, nomination)
        assessment = Assessment.objects.filter(member=member, nomination=nomination).first()
        task = open_task(committee, _flow().score, member=member, nomination=nomination)
        if task is None:
            if assessment is not None and assessment.submitted_at is not None:
                return assessment
            raise _no_task()

        def perform(committee):
            required = {criterion.pk for criterion in nomination.cycle.criteria.all() if criterion.required}
            given = set(
                Score.objects.filter(member=member, nomination=nomination).values_list("criterion_id", flat=True)
            )
            if required - given:
                raise ValidationError(_("Score every required criterion before you submit."))
            assessment, _created = Assessment.objects.get_or_create(member=member, nomination=nomination)
            if assessment.submitted_at is None:
                assessment.submitted_at = timezone.now()
                assessment.save(update_fields=["submitted_at"])
                EvaluationEntry.record(committee, user, "submit", role=P.MEMBER, details={"nomination": nomination.pk})
            return assessment

        return _complete(task, user, perform)


def visible_scores(user, nomination):
    """The scores of ``nomination`` that ``user`` may read: its own always (as a scorer); the other
    members' only once its own are submitted; the secretariat reads all; nobody else reads any."""
    if not P.NOMINATION_POLICY.allowed(user, nomination, P.SEE_SCORES):
        return Score.objects.none()
    scores = Score.objects.filter(nomination=nomination).select_related("member__user", "criterion")
    if P.SECRETARIAT in P.NOMINATION_POLICY.roles_for(user, nomination):
        return scores
    member = P.committee_member(user, nomination.cycle.committee)
    submitted = Assessment.objects.filter(member=member, nomination=nomination, submitted_at__isnull=False).exists()
    return scores if submitted else scores.filter(member=member)


def close_scoring(user, committee):
    """The secretariat closes the scoring (its task): scoring tasks still open are cancelled."""
    with transaction.atomic():
        require(P.COMMITTEE_POLICY, user, Committee.objects.get(pk=committee.pk), P.CLOSE_SCORING)
        task = open_task(committee, _flow().close)
        if task is None:
            raise _no_task()

        _require_signers(committee)

        def perform(committee):
            require(P.COMMITTEE_POLICY, user, committee, P.CLOSE_SCORING)
            _require_signers(committee)
            EvaluationEntry.move(committee, EvaluationState.DECISION, user, "close", role=P.SECRETARIAT)
            return committee

        return _complete(task, user, perform)


# --- decision, sign-off, publication ----------------------------------------------------------------
def signers(committee) -> list[CommitteeMember]:
    """Who signs the decision off: every member who declared no conflict in the cycle."""
    return list(committee.members.exclude(conflicts__isnull=False).select_related("user").distinct())


def sign_off_gap(committee) -> str:
    """Why nobody could sign the committee's decision off ("" when at least one member may).

    Every member who declared a conflict is left out of the sign-off; with nobody left, the decision
    could never be signed, so the scoring does not close and no decision is recorded until the
    secretariat names another member."""
    members = list(committee.members.select_related("user"))
    conflicts: dict[int, set] = {}
    for member_id, nomination_id in Conflict.objects.filter(member__committee=committee).values_list(
        "member_id", "nomination_id"
    ):
        conflicts.setdefault(nomination_id, set()).add(member_id)
    if not members:
        return _("The committee has no member to sign the decision off: name its members.")
    if any(member.pk not in set().union(*conflicts.values()) for member in members):
        return ""
    everyone = {member.pk for member in members}
    blocked = Nomination.objects.filter(
        pk__in=[nomination_id for nomination_id, who in conflicts.items() if who >= everyone]
    ).select_related("country", "category")
    if blocked:
        return _(
            "No member may sign off nomination %(nominations)s: every member declared a conflict on it. "
            "Name another member to the committee before the decision is recorded."
        ) % {"nominations": ", ".join(str(nomination) for nomination in blocked)}
    return _(
        "No member may sign the decision off: every member declared a conflict on a nomination. "
        "Name another member to the committee before the decision is recorded."
    )


def _require_signers(committee) -> None:
    gap = sign_off_gap(committee)
    if gap:
        raise ValidationError(gap)


def record_decision(user, committee, prizes, justification, feedback=None):
    """The chair's decision (its task): ``prizes`` maps nominations to prizes; it then awaits every
    sign-off. A decision revised during the sign-off asks every signer again."""
    with transaction.atomic():
        current = Committee.objects.get(pk=committee.pk)
        require(P.COMMITTEE_POLICY, user, current, P.DECIDE)
        _require_signers(current)
        if current.state == EvaluationState.DECISION:
            task = open_task(current, _flow().decide)
            if task is None:
                raise _no_task()
            return _complete(task, user, lambda locked: _record_decision(user, locked, prizes, justification, feedback))
        process = current_process(current)
        if process is None:
            raise _no_task()
        with _flow().lock(process.pk):
            committee = _record_decision(user, current, prizes, justification, feedback)
            asked = {
                task.data.get("member")
                for task in _flow().task_class.objects.filter(
                    process=process, flow_task=_flow().sign_off, status__in=ACTIVE_TASK_STATUSES
                )
            }
            _flow().sign_offs.open_more(
                process, [{"member": member.pk} for member in signers(committee) if member.pk not in asked]
            )
        return committee


def _record_decision(user, committee, prizes, justification, feedback=None):
    feedback = feedback or {}
    with transaction.atomic():
        committee = Committee.objects.select_for_update().select_related("cycle").get(pk=committee.pk)
        require(P.COMMITTEE_POLICY, user, committee, P.DECIDE)
        if not justification.strip():
            raise ValidationError({"justification": _("Give the committee's justification.")})
        _require_signers(committee)
        accepted = {
            nomination.pk: nomination
            for nomination in Nomination.objects.filter(cycle=committee.cycle, state=NominationState.ACCEPTED)
        }
        counts: dict = {}
        for nomination, prize in prizes.items():
            if nomination.pk not in accepted:
                raise ValidationError(_("Prizes go to eligible nominations of this cycle only."))
            if prize not in Prize.values:
                raise ValidationError(_("Choose a prize from the list."))
            counts[(accepted[nomination.pk].category_id, prize)] = (
                counts.get((accepted[nomination.pk].category_id, prize), 0) + 1
            )
        for category in committee.cycle.categories.all():
            allowed = {key: number for key, _label, number in category.prizes()}
            for prize in Prize.values:
                if counts.get((category.pk, prize), 0) > allowed.get(prize, 0):
                    raise ValidationError(
                        _("Category “%(category)s” awards at most %(number)s of this prize: %(prize)s.")
                        % {"category": category.name, "number": allowed.get(prize, 0), "prize": Prize(prize).label}
                    )
        Award.objects.filter(committee=committee).delete()
        Award.objects.bulk_create(
            [Award(committee=committee, nomination=nomination, prize=prize) for nomination, prize in prizes.items()]
        )
        for pk, nomination in accepted.items():
            text = feedback.get(pk, feedback.get(nomination, ""))
            if text != nomination.feedback:
                nomination.feedback = text
                nomination.save(update_fields=["feedback", "updated_at"])
        committee.members.update(signed_off_at=None)
        EvaluationEntry.move(
            committee,
            EvaluationState.SIGN_OFF,
            user,
            "decide",
            comment=justification,
            role=P.CHAIR,
            justification=justification,
            decided_at=timezone.now(),
            entry_fields={"details": {"prizes": {str(n.pk): p for n, p in prizes.items()}}},
        )
        to_sign = [member.user for member in signers(committee)]
        raise_event(
            Event.SIGN_OFF_NEEDED, committee, actor=user, recipients=to_sign, link=Link(title=str(committee.cycle))
        )
    return committee


def sign_off(user, committee):
    """A member without a conflict signs the decision off (its task); the last signature ends it."""
    with transaction.atomic():
        current = Committee.objects.get(pk=committee.pk)
        require(P.COMMITTEE_POLICY, user, current, P.SIGN_OFF)
        member = _member(user, current)
        if member.pk not in {signer.pk for signer in signers(current)}:
            raise Denied(_("Members with a declared conflict do not sign the decision off."))
        task = open_task(current, _flow().sign_off, member=member)
        if task is None:
            if member.signed_off_at is not None:
                return current
            raise _no_task()

        def perform(committee):
            require(P.COMMITTEE_POLICY, user, committee, P.SIGN_OFF)
            expected = signers(committee)
            signer = next(signer for signer in expected if signer.pk == member.pk)
            if signer.signed_off_at is None:
                signer.signed_off_at = timezone.now()
                signer.save(update_fields=["signed_off_at"])
                EvaluationEntry.record(committee, user, "sign-off", role=P.MEMBER)
            if all(signer.signed_off_at for signer in expected):
                EvaluationEntry.move(committee, EvaluationState.SIGNED, None, "signed")
            return committee

        return _complete(task, user, perform)


def publish(user, committee, results_language="en"):
    """Fill the cycle's public results from the decision and the scores, publish them, and send each
    nominee the committee's feedback in its own language (the secretariat's last task)."""
    with transaction.atomic():
        require(P.COMMITTEE_POLICY, user, Committee.objects.get(pk=committee.pk), P.PUBLISH)
        task = open_task(committee, _flow().publish)
        if task is None:
            raise _no_task()
        return _complete(task, user, lambda locked: _publish(user, locked, results_language))


def _publish(user, committee, results_language):
    from .ranking import evaluation

    with transaction.atomic():
        committee = Committee.objects.select_for_update().select_related("cycle").get(pk=committee.pk)
        require(P.COMMITTEE_POLICY, user, committee, P.PUBLISH)
        cycle = committee.cycle
        view = evaluation(cycle)
        result, _created = AwardResult.objects.get_or_create(cycle=cycle)
        result.entries.all().delete()
        result.jury.all().delete()
        result.justification = committee.justification
        result.justification_language = results_language
        result.save()
        prizes = dict(Award.objects.filter(committee=committee).values_list("nomination_id", "prize"))
        scores = []
        for row in view.rows:
            nomination = row.nomination
            entry = AwardEntry.objects.create(
                result=result,
                category=nomination.category,
                country=nomination.country,
                national_chm_url=nomination.website,
                prize=prizes.get(nomination.pk, ""),
                rank=row.rank,
                total=None if row.total is None else Decimal(float(row.total)).quantize(Decimal("0.001")),
            )
            for criterion in view.criteria:
                mean = row.result.criteria[criterion.pk].summary.mean
                if mean is not None:
                    scores.append(
                        AwardEntryScore(
                            entry=entry, criterion=criterion, mean=Decimal(float(mean)).quantize(Decimal("0.001"))
                        )
                    )
        AwardEntryScore.objects.bulk_create(scores)
        AwardJuryMember.objects.bulk_create(
            [
                AwardJuryMember(
                    result=result,
                    name=str(member),
                    country_id=member.country_id,
                    is_chair=member.is_chair,
                    sort_order=number,
                )
                for number, member in enumerate(committee.members.select_related("user"))
            ]
        )
        result.publish()
        EvaluationEntry.move(committee, EvaluationState.PUBLISHED, user, "publish", role=P.SECRETARIAT)
        for nomination in Nomination.objects.filter(cycle=cycle, state=NominationState.ACCEPTED).select_related(
            "nominated_by", "country", "category"
        ):
            prize = prizes.get(nomination.pk)
            with translation.override("en"):  # the e-mail translates it into each recipient's language
                prize_label = str(Prize(prize).label) if prize else ""
            raise_event(
                Event.FEEDBACK,
                nomination,
                actor=user,
                extra={"prize": prize_label, "feedback": nomination.feedback},
            )
    return result
