"""What `make run` prints: no alarming broker warning when tasks run in the process."""

import logging
from urllib.parse import urlsplit

from celery import shared_task

from cms.resilience.tasks import INLINE, dispatch


@shared_task(name="tests.foundation.echo")
def echo(value):
    return value


def test_the_in_process_broker_names_its_host():
    from cms.settings import base

    if not base.REDIS_URL:
        assert urlsplit(base.CELERY_BROKER_URL).hostname


def test_an_eager_task_runs_without_the_no_hostname_warning(caplog):
    caplog.set_level(logging.WARNING)

    assert dispatch(echo, 1, fallback=INLINE) == "ran"

    assert "No hostname" not in caplog.text
    assert not [record for record in caplog.records if record.name.startswith("kombu")]
