"""Celery application. Tasks run eagerly unless REDIS_URL points at a broker.

Periodic tasks are listed in ``CELERY_BEAT_SCHEDULE`` (cms/settings/base.py); the beat service of
docker-compose.yml sends them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Any number; two runs of publish_scheduled holding it at once would publish the same revision twice.
PUBLISH_SCHEDULED_LOCK = 0x43484D01


@app.task(name="cms.publish_scheduled", ignore_result=True)
def publish_scheduled() -> bool:
    """Run Wagtail's ``publish_scheduled``: revisions whose go-live date has passed go live, and live
    pages and snippets past their expiry date are unpublished.

    Returns False, doing nothing, while another run holds the lock (PostgreSQL).
    """
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection, transaction

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [PUBLISH_SCHEDULED_LOCK])
                if not cursor.fetchone()[0]:
                    return False
        call_command("publish_scheduled", stdout=StringIO())
    return True


@app.task(name="cms.run_django_task", ignore_result=True)
def run_django_task(path: str, args: list, kwargs: dict) -> None:
    """A django-tasks task (Wagtail's index updates) sent by ``cms.background_tasks.CeleryBackend``."""
    from cms.background_tasks import run

    run(path, args, kwargs)
