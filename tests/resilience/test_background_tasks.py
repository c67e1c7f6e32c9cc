"""Wagtail's background tasks through Celery (cms/background_tasks.py, the production setting): sent
once the transaction commits, never for a rolled-back save, run here when the broker is down."""

import logging

import pytest
from django.db import transaction
from django.test import override_settings
from django_tasks import task

from .conftest import celery_broker

pytestmark = pytest.mark.django_db

CALLS: list[str] = []
CELERY_TASKS = {"default": {"BACKEND": "cms.background_tasks.CeleryBackend"}}


@task()
def remember(value: str) -> None:
    CALLS.append(value)


@pytest.fixture(autouse=True)
def fresh_calls():
    CALLS.clear()
    with override_settings(TASKS=CELERY_TASKS):
        yield
    CALLS.clear()


def test_a_task_runs_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            result = remember.enqueue("published")
            assert CALLS == []  # not inside the transaction that saves the page
        assert result.status == "READY"

    assert len(callbacks) == 1
    assert CALLS == ["published"]


def test_nothing_is_sent_for_a_save_that_is_rolled_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        remember.enqueue("never")
        transaction.set_rollback(True)

    assert callbacks == []
    assert CALLS == []


def test_the_task_runs_here_when_the_broker_is_down(closed_port, django_capture_on_commit_callbacks, caplog):
    broker = celery_broker(f"redis://127.0.0.1:{closed_port}/0")
    with broker, caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        remember.enqueue("kept")

    assert CALLS == ["kept"]
    assert "running cms.run_django_task here" in caplog.text


def test_wagtail_publishing_sends_its_index_updates_after_commit(site_pages, django_capture_on_commit_callbacks):
    from wagtail.search.models import IndexEntry

    from tests.records.factories import NeedFactory

    need = NeedFactory(title="Seagrass need")
    entries = IndexEntry.objects.filter(object_id=str(need.pk))
    entries.delete()
    need.summary = "Changed"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        need.save_revision().publish()
        assert not entries.exists()  # Wagtail's own search index is not written inside the publication

    for callback in callbacks:
        callback()
    assert entries.exists()  # but once it commits
