"""Two deliveries of the same request at the same moment (a client's retry racing its first try)."""

import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from interop.push.models import IdempotencyKey
from workflows.review.models import Submission

from .conftest import need_body, post


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_same_key_sent_twice_at_once_creates_one_record(france_client):
    _client, token = france_client
    barrier = threading.Barrier(2)
    answers = []

    def deliver():
        try:
            http = APIClient()
            http.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            barrier.wait(timeout=10)
            response = post(http, need_body(), key="raced")
            answers.append((response.status_code, response.json(), response.get("Location")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [status for status, *_ in answers] == [201, 201]
    assert answers[0][1:] == answers[1][1:]  # the same submission, the same address
    assert Submission.objects.count() == 1
    assert IdempotencyKey.objects.filter(key="raced").count() == 1
    connection.close()
