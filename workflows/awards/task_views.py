"""The pages of the evaluation's human steps: each task opens the page where that work is done.

The inbox's task page finds the task among those the person may see and hands it to its node's view;
the work itself (scores, the decision, sign-off, publication) is done on the cycle's pages, whose
services complete the task through the core's helpers.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.views import View


class StepView(View):
    def setup(self, request, *args, task=None, **kwargs):
        super().setup(request, *args, **kwargs)
        self.task = task

    def target(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        return redirect(self.target())

    post = get


class ScoreView(StepView):
    def target(self):
        return reverse("awards_flow:nomination", kwargs={"pk": self.task.data["nomination"]})


class RankingView(StepView):
    def target(self):
        return reverse("awards_flow:ranking", kwargs={"cycle_pk": self.task.process.coerced.committee.cycle_id})


class DecisionView(StepView):
    def target(self):
        return reverse("awards_flow:decision", kwargs={"cycle_pk": self.task.process.coerced.committee.cycle_id})
