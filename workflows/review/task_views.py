"""The views of the flow's human steps, one per node (``flow.View(...)`` points at them).

The inbox's task page finds the task among those the person may see, then hands it to its node's
view. A POST completes the task through :func:`services.complete_task`, which locks the process and
checks the matrix again, so that a step is never done twice or by someone it is not meant for.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from workflows.review.policy import Action, allowed

from . import services
from .forms import AssignReviewersForm, DecisionForm, ReviewForm, ScreeningForm
from .record_forms import record_details


class TaskView(View):
    """GET shows the step's form; POST completes the step once, as the person who posts it."""

    form_class = None
    template_name = "review/task.html"
    action = None
    success_message = ""

    def setup(self, request, *args, task=None, **kwargs):
        super().setup(request, *args, **kwargs)
        self.task = task
        self.submission = task.process.coerced.submission

    def get_form_kwargs(self):
        return {}

    def get_form(self, data=None):
        return self.form_class(data, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        from .views import current_attachments, submission_context

        node = self.task.flow_task
        context = submission_context(self.request, self.submission)
        context.update(
            {
                "task": self.task,
                "node": node,
                "can_act": node.can_execute(self.request.user, self.task)
                or node.can_assign(self.request.user, self.task),
                "details": record_details(self.submission.page.specific.get_latest_revision_as_object()),
                "attachments": current_attachments(self.submission),
            }
        )
        context.update(kwargs)
        return context

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        if not allowed(request.user, self.submission, self.action):
            raise PermissionDenied
        form = self.get_form(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self.get_context_data(form=form), status=400)
        try:
            services.complete_task(
                self.task.pk, request.user, lambda activation, submission: self.perform(activation, submission, form)
            )
        except services.TransitionError as error:
            messages.error(request, str(error))
            return redirect("workspace:submission_or_tasks", task_pk=self.task.pk)
        except ValidationError as error:
            messages.error(
                request, _("The record cannot be published yet: %(errors)s") % {"errors": " ".join(error.messages)}
            )
            return redirect("workspace:submission", pk=self.submission.pk)
        messages.success(request, self.success_message)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse("workspace:tasks")

    def perform(self, activation, submission, form):
        raise NotImplementedError


class ScreeningView(TaskView):
    form_class = ScreeningForm
    action = Action.SCREEN
    success_message = _("Screening recorded.")

    def perform(self, activation, submission, form):
        services.perform_screening(
            activation, submission, self.request.user, form.cleaned_data["outcome"], form.cleaned_data["comment"]
        )


class AssignReviewersView(TaskView):
    form_class = AssignReviewersForm
    action = Action.ASSIGN
    success_message = _("Reviewers named; each has a review task.")

    def get_form_kwargs(self):
        return {"submission": self.submission}

    def perform(self, activation, submission, form):
        services.perform_assignment(
            activation,
            submission,
            self.request.user,
            list(form.cleaned_data["reviewers"]),
            form.cleaned_data["due_date"],
            form.cleaned_data["anonymous_reviewers"],
        )


class ReviewView(TaskView):
    form_class = ReviewForm
    action = Action.REVIEW
    success_message = _("Thank you: your review was sent to the editor.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignment"] = self.submission.assignments.filter(pk=self.task.data.get("assignment")).first()
        return context

    def perform(self, activation, submission, form):
        services.perform_review(
            activation,
            submission,
            self.request.user,
            form.cleaned_data["recommendation"],
            form.cleaned_data["comments_to_submitter"],
            form.cleaned_data["confidential_comments"],
        )


class DecisionView(TaskView):
    form_class = DecisionForm
    action = Action.DECIDE
    success_message = _("Decision recorded.")

    def perform(self, activation, submission, form):
        services.perform_decision(
            activation,
            submission,
            self.request.user,
            form.cleaned_data["outcome"],
            form.cleaned_data["comment"],
            form.cleaned_data.get("revision_due"),
        )


class ReviseView(View):
    """The submitter answers a revision request from its submission page (edit, then resubmit)."""

    def setup(self, request, *args, task=None, **kwargs):
        super().setup(request, *args, **kwargs)
        self.task = task

    def get(self, request, *args, **kwargs):
        return redirect("workspace:submission", pk=self.task.process.coerced.submission_id)

    post = get
