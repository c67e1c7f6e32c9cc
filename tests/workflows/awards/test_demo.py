"""The demo's open cycle shows an evaluation in progress: nominations, the committee, some scores."""

import pytest

from cms.accounts.demo import build_users
from cms.demo.registry import DemoContext
from content_types.awards.demo import build_awards
from workflows.awards.demo import build_award_evaluation
from workflows.awards.models import Assessment, Committee, Nomination, Score
from workflows.awards.ranking import evaluation

pytestmark = pytest.mark.django_db


def quiet(iterable, *args, **kwargs):
    return iterable


def test_the_open_cycle_is_in_evaluation_with_scores(site_pages, django_capture_on_commit_callbacks):
    context = DemoContext(progress=quiet)
    with django_capture_on_commit_callbacks(execute=True):
        build_users(context)
        build_awards(context)
        build_award_evaluation(context)
    counts = (Nomination.objects.count(), Score.objects.count(), Assessment.objects.count())
    build_award_evaluation(context)  # idempotent
    assert (Nomination.objects.count(), Score.objects.count(), Assessment.objects.count()) == counts

    committee = Committee.objects.get()
    assert committee.members.filter(is_chair=True).get().user.username == "committee1"
    assert counts[0] == 3 and counts[1] > 0
    assert Assessment.objects.filter(submitted_at__isnull=False).exists()
    assert Assessment.objects.filter(submitted_at__isnull=True).exists()
    view = evaluation(committee.cycle)
    assert len(view.rows) == 3
    assert any(row.total is not None for row in view.rows)
