"""The committee's evaluation of a cycle, as a Viewflow flow on the workflow core.

naming the committee → one scoring task per member and nomination it may assess, beside the
secretariat's task of closing the scoring → the chair's decision → one sign-off task per member
without a conflict → the secretariat's publication.

Human steps are the core's ``GuardedTask``: a scoring task asks the nomination table (``score``), the
others the committee table, as well as Viewflow's owner checks. Closing the scoring cancels the
scoring tasks still open; a nomination accepted while scoring is open adds its tasks to the same
split, and a declared conflict cancels the member's task. The services do each step's work and
complete its task through the core's task helpers, so the pages, the inbox and the flow agree.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.exceptions import FlowRuntimeError

from workflows.core.nodes import GuardedTask, PerAssigneeSplit

from . import policy as P
from . import task_views
from .models import CommitteeMember, EvaluationProcess, EvaluationState, Nomination


def committee_of(task):
    """A fresh committee (its people's roles are cached per object, never across steps)."""
    from .models import Committee

    return Committee.objects.select_related("cycle").get(pk=task.process.coerced.committee_id)


class NominationTask(GuardedTask):
    """A member's step on one nomination, guarded by the nomination table."""

    policy = P.NOMINATION_POLICY

    def subject_of(self, task):
        return Nomination.objects.select_related("cycle").get(pk=task.data["nomination"])


class CommitteeTask(GuardedTask):
    """A step on the committee's work, guarded by the committee table."""

    policy = P.COMMITTEE_POLICY

    def subject_of(self, task):
        return committee_of(task)


class ScoringSplit(PerAssigneeSplit):
    """One scoring task per member and nomination it may assess, and the secretariat's closing task."""


class SignOffSplit(PerAssigneeSplit):
    """One sign-off task per member without a declared conflict."""

    def empty_message(self, activation) -> str:
        return f"Nobody signs the decision of committee {activation.process.coerced.committee_id} off"


class EvaluationFlow(flow.Flow):
    """Award evaluation

    The committee scores every nomination it may assess, the chair decides, every member without a
    conflict signs the decision off and the secretariat publishes the results.
    """

    process_class = EvaluationProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Award evaluation")
    process_description = _("Scoring by the committee, the chair's decision, sign-off and publication.")

    start = (
        flow.StartHandle(this.start_process)
        .Annotation(title=_("Committee named"), description=_("The secretariat names the cycle's committee."))
        .Next(this.scoring)
    )
    scoring = (
        ScoringSplit(this.scoring_items)
        .Annotation(title=_("Scoring"), description=_("One scoring task per member and nomination."))
        .Next(this.score)
        .Always(this.close)
    )
    score = (
        NominationTask(task_views.ScoreView.as_view(), action=P.SCORE)
        .Annotation(
            title=_("Score the nomination"),
            description=_("A member scores every criterion, logs its virtual visit and submits its scores."),
        )
        .Assign(this.member_of)
        .Next(this.scoring_done)
    )
    close = (
        CommitteeTask(task_views.RankingView.as_view(), action=P.CLOSE_SCORING, releasable=True)
        .Annotation(
            title=_("Close the scoring"),
            description=_("The secretariat reads the ranking and closes the scoring for the chair's decision."),
        )
        .Next(this.scoring_done)
    )
    scoring_done = (
        flow.Join(continue_on_condition=this.scoring_closed).Annotation(title=_("Scoring closed")).Next(this.decide)
    )
    decide = (
        CommitteeTask(task_views.DecisionView.as_view(), action=P.DECIDE)
        .Annotation(
            title=_("Record the committee's decision"),
            description=_("The chair gives the prizes, the justification and the feedback to each nominee."),
        )
        .Assign(this.chair_of)
        .Next(this.sign_offs)
    )
    sign_offs = (
        SignOffSplit(this.signer_items)
        .Annotation(title=_("Sign-off"), description=_("One sign-off task per member without a conflict."))
        .Next(this.sign_off)
    )
    sign_off = (
        CommitteeTask(task_views.RankingView.as_view(), action=P.SIGN_OFF)
        .Annotation(title=_("Sign the decision off"), description=_("A member agrees with the decision."))
        .Assign(this.member_of)
        .Next(this.signed)
    )
    signed = flow.Join().Annotation(title=_("Signed off by the committee")).Next(this.publish)
    publish = (
        CommitteeTask(task_views.RankingView.as_view(), action=P.PUBLISH, releasable=True)
        .Annotation(
            title=_("Publish the results"),
            description=_("The secretariat publishes the results and the feedback goes to each nominee."),
        )
        .Next(this.published)
    )
    published = flow.End().Annotation(title=_("Published"))

    # --- start ---------------------------------------------------------------------------------
    def start_process(self, activation, committee, user):
        if committee.state != EvaluationState.SCORING:
            raise FlowRuntimeError("An evaluation starts only from a committee that is scoring")
        activation.process.committee = committee
        activation.task.owner = user
        return activation.process

    # --- who does what --------------------------------------------------------------------------
    def scoring_items(self, activation):
        from .services import scoring_pairs

        return [
            {"member": member_id, "nomination": nomination_id}
            for member_id, nomination_id in scoring_pairs(activation.process.coerced.committee)
        ]

    def signer_items(self, activation):
        from .services import signers

        return [{"member": member.pk} for member in signers(activation.process.coerced.committee)]

    def member_of(self, activation):
        return CommitteeMember.objects.select_related("user").get(pk=activation.task.data["member"]).user

    def chair_of(self, activation):
        chair = (
            CommitteeMember.objects.filter(committee_id=activation.process.coerced.committee_id, is_chair=True)
            .select_related("user")
            .first()
        )
        return chair.user if chair else None

    # --- conditions ------------------------------------------------------------------------------
    def scoring_closed(self, activation, active_tasks) -> bool:
        from .models import Committee

        state = Committee.objects.values_list("state", flat=True).get(pk=activation.process.coerced.committee_id)
        return state != EvaluationState.SCORING
