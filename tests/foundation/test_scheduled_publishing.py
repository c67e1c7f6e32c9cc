"""Scheduled publishing runs on Celery beat: go-live and expiry dates set in the admin take effect
within a minute, through Wagtail's own ``publish_scheduled``."""

import datetime
from unittest import mock

import pytest
from django.db import connections
from django.utils import timezone

from cms.celery import PUBLISH_SCHEDULED_LOCK, app, publish_scheduled
from tests.records.factories import NeedFactory

pytestmark = pytest.mark.django_db


GO_LIVE_IN = datetime.timedelta(hours=1)


def _scheduled_record():
    """A record published with a go-live date an hour ahead: Wagtail keeps it unpublished until then."""
    record = NeedFactory(live=False, title="Seagrass monitoring", slug="seagrass-monitoring")
    record.go_live_at = timezone.now() + GO_LIVE_IN
    record.save_revision().publish()
    record.refresh_from_db()
    assert not record.live
    return record


def _run_task_at(moment) -> bool:
    """What beat's run of the task at ``moment`` does (tasks run in the test process)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return publish_scheduled.apply().get()


def test_publish_scheduled_is_sent_by_beat_every_minute():
    entries = {entry["task"]: entry for entry in app.conf.beat_schedule.values()}

    assert entries["cms.publish_scheduled"]["schedule"] == 60
    assert entries["cms.publish_scheduled"]["options"]["expires"] < 60  # a late run never piles up
    assert "cms.publish_scheduled" in app.tasks


def test_a_record_whose_go_live_date_has_passed_is_published(site_pages, client, django_capture_on_commit_callbacks):
    record = _scheduled_record()

    with django_capture_on_commit_callbacks(execute=True):
        assert _run_task_at(timezone.now() + GO_LIVE_IN + datetime.timedelta(minutes=1)) is True

    record.refresh_from_db()
    assert record.live
    assert client.get(record.url).status_code == 200


def test_a_record_whose_go_live_date_is_ahead_stays_unpublished(site_pages, client):
    record = _scheduled_record()

    assert _run_task_at(timezone.now() + GO_LIVE_IN - datetime.timedelta(minutes=5)) is True

    record.refresh_from_db()
    assert not record.live
    assert client.get(record.url).status_code == 404


def test_a_record_past_its_expiry_date_is_unpublished(site_pages, client):
    record = NeedFactory(title="Old call for experts", slug="old-call-for-experts")
    record.save_revision().publish()
    type(record).objects.filter(pk=record.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))

    assert _run_task_at(timezone.now()) is True

    record.refresh_from_db()
    assert not record.live and record.expired
    assert client.get(record.url).status_code == 404


def test_a_run_while_another_holds_the_lock_does_nothing(site_pages):
    record = _scheduled_record()
    if connections["default"].vendor != "postgresql":
        pytest.skip("the lock is PostgreSQL's")
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLISH_SCHEDULED_LOCK])

        assert _run_task_at(timezone.now() + GO_LIVE_IN + datetime.timedelta(minutes=1)) is False

        record.refresh_from_db()
        assert not record.live
    finally:
        other.rollback()
        other.close()
