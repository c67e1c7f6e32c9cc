"""Wagtail's background tasks (its own search index, the reference index) in Celery, after commit.

Wagtail hands this work to django-tasks, whose default backend runs it at once, inside the request
that saves a page: publishing one record with its five aliases spent a third of its time updating
Wagtail's search and reference indexes for seven pages before the response (and before the cache
purge could be sent). With this backend (``TASKS`` in the production settings) each task is sent to
Celery once the transaction commits — a rolled-back save sends nothing — and runs in a worker; when
the broker is unreachable it runs in the request as before (``cms.resilience.tasks.dispatch``), so
nothing is lost and nothing breaks.
"""

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id, normalize_json


class CeleryBackend(BaseTaskBackend):
    """django-tasks backend: each task queued in Celery after the transaction commits (see the module)."""

    supports_defer = False
    supports_async_task = False
    supports_get_result = False
    supports_priority = False

    def enqueue(self, task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        if task.takes_context:
            raise ValueError(f"{task.module_path} takes a context, which a Celery worker cannot give it.")
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=normalize_json(list(args)),
            kwargs=normalize_json(dict(kwargs)),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        path, task_args, task_kwargs = task.module_path, result.args, result.kwargs
        transaction.on_commit(lambda: send(path, task_args, task_kwargs), robust=True)
        return result


def send(path: str, args: list, kwargs: dict) -> str:
    from cms.celery import run_django_task
    from cms.resilience.tasks import INLINE, dispatch

    return dispatch(run_django_task, path, args, kwargs, fallback=INLINE)


def run(path: str, args: list, kwargs: dict):
    """Run the django-tasks task at ``path`` (a ``Task`` object, as its decorator leaves it)."""
    return import_string(path).call(*args, **kwargs)
