"""Lists cost the same number of queries whatever their length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from workflows.permissions import State

from .helpers import drive, new_need

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    client.get(url)  # warm the per-process caches (content types, site root paths) first
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def add_submissions(people, count, state):
    for number in range(count):
        drive(new_need(people.submitter, title=f"Need number {number}"), state, people)


def test_my_submissions_costs_the_same_for_3_and_12(people, client_for):
    client = client_for(people.submitter)
    add_submissions(people, 3, State.DRAFT)
    few = count_queries(client, reverse("workspace:home"))
    add_submissions(people, 9, State.SCREENING)
    many = count_queries(client, reverse("workspace:home"))
    assert few == many, (few, many)


def test_the_inbox_costs_the_same_for_2_and_8_tasks(people, client_for):
    editor, reviewer = client_for(people.editor), client_for(people.reviewer_a)
    add_submissions(people, 1, State.SCREENING)
    add_submissions(people, 1, State.IN_REVIEW)
    few = count_queries(editor, reverse("workspace:tasks")), count_queries(reviewer, reverse("workspace:tasks"))
    add_submissions(people, 3, State.SCREENING)
    add_submissions(people, 3, State.IN_REVIEW)
    many = count_queries(editor, reverse("workspace:tasks")), count_queries(reviewer, reverse("workspace:tasks"))
    assert few == many, (few, many)


def test_the_history_costs_the_same_however_long(people, client_for, draft):
    client = client_for(people.editor)
    drive(draft, State.SCREENING, people)
    short = count_queries(client, reverse("workspace:history", args=[draft.pk]))
    from .helpers import assign, decide, review, screen

    screen(draft, people.editor)
    assign(draft, people.editor, [people.reviewer_a, people.reviewer_b])
    review(draft, people.reviewer_a)
    review(draft, people.reviewer_b)
    decide(draft, people.editor, "revise")
    long = count_queries(client, reverse("workspace:history", args=[draft.pk]))
    assert short == long, (short, long)
