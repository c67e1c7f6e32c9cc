"""Runs (busy, stale, resumed, failed), the scheduled task, the command's input, the status page and
the home page's "Latest from the central portal" panel."""

import socket

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Site

from interop.harvest.importer import import_record
from interop.harvest.models import CentralPortalFeed, HarvestObject, HarvestRun, HarvestSource
from interop.harvest.services import HarvestBusy, start_run
from interop.harvest.tasks import harvest_due_sources

from .test_import import details


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def source(db):
    return HarvestSource.objects.create(name="Central portal", base_url=f"http://127.0.0.1:{closed_port()}")


def test_a_live_run_makes_the_next_one_wait(source):
    start_run(source)  # this process: alive
    with pytest.raises(HarvestBusy):
        start_run(source)


def test_a_run_whose_process_is_gone_is_interrupted_and_resumed(source):
    dead = HarvestRun.objects.create(
        source=source,
        host=socket.gethostname(),
        pid=2**22 + 12345,
        resume_cursor="http://peer/api/v1/changes/?cursor=abc",
    )
    HarvestObject.objects.create(run=dead, remote_identifier="CHM-NEED-FR-2026-0001", outcome="added")
    run = start_run(source)
    dead.refresh_from_db()
    assert dead.status == "interrupted" and dead.added == 1
    assert run.resumed_from == dead and run.resume_cursor == dead.resume_cursor


def test_a_silent_run_elsewhere_is_stale_after_the_delay(source):
    from datetime import timedelta

    from django.utils import timezone

    quiet = HarvestRun.objects.create(source=source, host="another-machine", pid=1)
    assert not quiet.is_stale()
    quiet.heartbeat_at = timezone.now() - timedelta(hours=1)
    assert quiet.is_stale()


@override_settings(HARVEST_HTTP_RETRIES=0, HARVEST_HTTP_TIMEOUT=2)
def test_the_scheduled_task_runs_due_sources_and_records_a_failure(source):
    HarvestSource.objects.create(name="Manual", base_url="http://127.0.0.1:1", interval_minutes=0)
    HarvestSource.objects.create(name="Off", base_url="http://127.0.0.1:2", active=False)
    assert harvest_due_sources.delay().get() == 1
    run = HarvestRun.objects.get()
    assert run.source == source and run.status == "failed" and "ConnectionError" in run.message
    assert run.finished_at is not None
    source.refresh_from_db()
    assert source.last_success_at is None  # a failed run does not move the window


def test_the_command_refuses_what_is_not_an_address(db):
    with pytest.raises(CommandError, match="Not a web address"):
        call_command("harvest", "not a url", "--no-progress")
    assert not HarvestSource.objects.exists()


@override_settings(HARVEST_HTTP_RETRIES=0)
def test_the_command_creates_the_source_and_reports_a_failed_run(db):
    url = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(CommandError, match="ConnectionError"):
        call_command("harvest", url, "--name", "Somewhere", "--no-progress")
    assert HarvestSource.objects.get().name == "Somewhere"


def test_scope_filters_and_the_peers_own_harvested_records(source):
    record = details()["en"]
    assert source.in_scope(record)
    source.scope_types, source.scope_countries = "offer, need", "fr"
    assert source.in_scope(record)
    source.scope_targets = "GBF-T9"
    assert not source.in_scope(record)
    source.scope_targets = ""
    assert not source.in_scope({**record, "provenance": {"source_portal": "Elsewhere"}})


def test_status_page_for_administrators_only(source, administrator, editor, client):
    run = HarvestRun.objects.create(source=source, status="succeeded", added=4, failed=1)
    HarvestObject.objects.create(run=run, remote_identifier="CHM-NEED-FR-2026-0009", outcome="failed", message="Bad X")
    client.force_login(editor)
    assert client.get(f"/admin/harvest/sources/{source.pk}/status/").status_code in (302, 403)
    client.force_login(administrator)
    html = client.get(f"/admin/harvest/sources/{source.pk}/status/").content.decode()
    assert "Central portal" in html and "CHM-NEED-FR-2026-0009" in html and "Bad X" in html
    assert client.get(f"/admin/harvest/sources/{source.pk + 1000}/status/", follow=True).status_code == 404
    assert client.get("/admin/harvest_sources/").status_code == 200


def test_the_home_page_shows_the_latest_from_the_central_portal(source, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_record(source, details())
    assert "Latest from the central portal" not in client.get("/fr/").content.decode()
    CentralPortalFeed.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"source": source, "count": 3}
    )
    french = client.get("/fr/").content.decode()
    assert "[fr] Training on species modelling" in french and "Central portal" in french
    spanish = client.get("/es/").content.decode()
    assert "Training on species modelling" in spanish  # an alias: the original's text
