"""Tasks sent while the broker is down: the request never sees it; each task falls back as it chose."""

import logging

import pytest

from cms.resilience.tasks import INLINE, SKIP, dispatch
from search.models import SearchEntry
from search.tasks import update_search_index
from tests.records.factories import NeedFactory
from workflows.notifications.models import OutboxEmail
from workflows.notifications.tasks import send_outbox_email

from .conftest import REDIS_TEST_URL, celery_broker, needs_redis

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(site_pages):
    """A live record that the index does not hold yet (created without publishing signals)."""
    record = NeedFactory(title="Seagrass restoration need")
    SearchEntry.objects.filter(translation_key=record.translation_key).delete()
    return record


def test_search_indexing_runs_here_when_the_broker_is_down(need, closed_port, caplog):
    with celery_broker(f"redis://127.0.0.1:{closed_port}/0"), caplog.at_level(logging.INFO):
        outcome = dispatch(update_search_index, [str(need.translation_key)], fallback=INLINE)

    assert outcome == "ran"
    assert SearchEntry.objects.filter(translation_key=need.translation_key).exists()
    assert "Celery broker is unreachable" in caplog.text
    assert "running search.tasks.update_search_index here" in caplog.text


def test_an_email_is_left_in_the_outbox_when_the_broker_is_down(db, closed_port, caplog, mailoutbox):
    email = OutboxEmail.objects.create(recipient="someone@example.org", subject="Hello", body="Body", language="en")

    with celery_broker(f"redis://127.0.0.1:{closed_port}/0"), caplog.at_level(logging.WARNING):
        outcome = dispatch(send_outbox_email, email.pk, fallback=SKIP)

    assert outcome == "skipped"
    email.refresh_from_db()
    assert email.sent_at is None and email.attempts == 0  # waiting for the periodic sweep
    assert mailoutbox == []
    assert "send_outbox_email" in caplog.text and "not queued" in caplog.text


def test_the_broker_is_not_tried_again_while_its_breaker_is_open(need, hang_up_server):
    with celery_broker(f"redis://127.0.0.1:{hang_up_server.port}/0"):
        assert dispatch(update_search_index, [str(need.translation_key)], fallback=INLINE) == "ran"
        tried = hang_up_server.count()
        for _ in range(5):
            assert dispatch(update_search_index, [str(need.translation_key)], fallback=INLINE) == "ran"

    assert tried >= 1
    assert hang_up_server.count() == tried


def test_a_task_that_fails_when_run_here_is_logged_not_raised(need, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("index refused")

    monkeypatch.setattr("search.backends.database.DatabaseBackend.replace", broken)

    assert dispatch(update_search_index, [str(need.translation_key)], fallback=INLINE) == "failed"
    assert "index refused" in caplog.text


def test_an_unknown_fallback_is_a_programming_error():
    with pytest.raises(ValueError):
        dispatch(update_search_index, [], fallback="later")


@needs_redis
def test_with_the_broker_up_the_task_is_queued(need):
    import redis

    queue = redis.Redis.from_url(REDIS_TEST_URL)
    queue.delete("celery")
    try:
        with celery_broker(REDIS_TEST_URL):
            assert dispatch(update_search_index, [str(need.translation_key)], fallback=INLINE) == "queued"
        assert queue.llen("celery") == 1
        assert not SearchEntry.objects.filter(translation_key=need.translation_key).exists()  # a worker's job
    finally:
        queue.delete("celery")
