"""Two people acting on the same step at the same moment: one wins, the other is told, nothing breaks.

These tests commit for real (``transaction=True``) and run the two requests in two threads, each on
its own database connection, so that PostgreSQL's row lock is what decides.
"""

import threading
import time

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from workflows.permissions import State
from workflows.review import services
from workflows.review.flows import SubmissionFlow
from workflows.review.models import Decision, ScreeningDecision, Submission

from .helpers import drive, new_need, open_task

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WON = "Decision recorded."
LOST = ("already done", "acting on this submission right now")


def _race(requests, slow_step, monkeypatch):
    """Run ``requests`` ((client, url, data) each) at once; ``slow_step`` is held inside the lock a moment."""
    original = getattr(services, slow_step)

    def slow(*args, **kwargs):
        time.sleep(0.4)  # keep the lock long enough for the other request to run into it
        return original(*args, **kwargs)

    monkeypatch.setattr(services, slow_step, slow)
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, client, url, data):
        try:
            barrier.wait()
            response = client.post(url, data, follow=True)
            results[index] = (response.status_code, response.content.decode())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_two_decisions_at_once_one_wins(people, monkeypatch):
    submission = drive(new_need(people.submitter), State.DECISION, people)
    task = open_task(submission, SubmissionFlow.decide)
    url = reverse("workspace:task", args=[task.pk])

    results = _race(
        [
            (_client(people.editor), url, {"outcome": "publish"}),
            (_client(people.national_editor), url, {"outcome": "reject", "comment": "Out of scope."}),
        ],
        "perform_decision",
        monkeypatch,
    )

    assert all(status == 200 for status, _ in results), "no error page for either person"
    winners = [body for _, body in results if WON in body]
    losers = [body for _, body in results if any(text in body for text in LOST)]
    assert len(winners) == 1 and len(losers) == 1
    assert Decision.objects.filter(submission=submission).count() == 1
    assert Submission.objects.get(pk=submission.pk).state in (State.PUBLISHED, State.REJECTED)


def test_two_screenings_at_once_one_wins(people, monkeypatch):
    submission = drive(new_need(people.submitter), State.SCREENING, people)
    url = reverse("workspace:task", args=[open_task(submission, SubmissionFlow.screen).pk])

    results = _race(
        [
            (_client(people.editor), url, {"outcome": "review"}),
            (_client(people.national_editor), url, {"outcome": "return", "comment": "Add a budget."}),
        ],
        "perform_screening",
        monkeypatch,
    )

    assert all(status == 200 for status, _ in results)
    assert sum("Screening recorded." in body for _, body in results) == 1
    assert sum(any(text in body for text in LOST) for _, body in results) == 1
    assert ScreeningDecision.objects.filter(submission=submission).count() == 1
    # The flow moved once: exactly one next task exists.
    process_tasks = SubmissionFlow.task_class.objects.filter(process__submissionprocess__submission=submission)
    assert process_tasks.filter(flow_task__in=[SubmissionFlow.assign_reviewers, SubmissionFlow.revise]).count() == 1


def test_withdrawal_racing_a_decision(people, monkeypatch):
    """The submitter withdraws while the editor decides: either order is consistent, never both."""
    submission = drive(new_need(people.submitter), State.DECISION, people)
    decide_url = reverse("workspace:task", args=[open_task(submission, SubmissionFlow.decide).pk])
    withdraw_url = reverse("workspace:withdraw", args=[submission.pk])

    results = _race(
        [
            (_client(people.editor), decide_url, {"outcome": "publish"}),
            (_client(people.submitter), withdraw_url, {"comment": "Not ready."}),
        ],
        "perform_decision",
        monkeypatch,
    )

    assert all(status == 200 for status, _ in results)
    final = Submission.objects.get(pk=submission.pk)
    decided = Decision.objects.filter(submission=submission).exists()
    assert (final.state == State.PUBLISHED and decided) or (final.state == State.DRAFT and not decided)
    (_, editor_page), (_, submitter_page) = results
    if final.state == State.PUBLISHED:
        assert any(text in submitter_page for text in ("can no longer be withdrawn", "acting on this submission"))
    else:
        assert any(text in editor_page for text in ("withdrew the submission", "acting on this submission"))
