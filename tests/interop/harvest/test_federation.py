"""Two portals federate over loopback: the peer runs as a real server (gunicorn, its own database),
this portal harvests it with ``manage.py harvest``."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page

from content_types.records.models import RecordPage
from interop.harvest.models import HarvestedRecord, HarvestRun, HarvestSource

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.slow,
]

ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh-hans"]
PEER_NAME = "National portal"


def database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        pytest.fail("The federation test needs DATABASE_URL (PostgreSQL): the peer gets a database beside it.")
    return base.rsplit("/", 1)[0] + "/" + name


def peer_command(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tests.interop.harvest.peer", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def peer():
    """The peer portal: database ``<ours>_peer`` prepared afresh, served by gunicorn on a free port."""
    ours = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1]
    env = {
        **os.environ,
        "DATABASE_URL": database_url(f"{ours}_peer"),
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
    }
    peer_command(env, "prepare")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{base_url}/api/v1/changes/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("the peer portal did not start")
        yield {"url": base_url, "run": lambda *args: peer_command(env, *args)}
    finally:
        server.terminate()
        server.wait(timeout=30)


def harvest(peer) -> HarvestRun:
    call_command("harvest", peer["url"], "--name", PEER_NAME, "--no-progress")
    return HarvestRun.objects.order_by("-started_at").first()


def local_versions(identifier: str) -> dict:
    original = RecordPage.objects.get(identifier=identifier, alias_of__isnull=True, locale__language_code="en")
    return {
        page.locale.language_code: page
        for page in Page.objects.filter(translation_key=original.translation_key).select_related("locale")
    }


def publish_update_and_unpublish_at_the_source(peer, client):
    import json

    identifiers = json.loads(peer["run"]("publish", "3", "--french", "1", "--start", "0"))["identifiers"]
    run = harvest(peer)
    assert run.status == "succeeded", run.message
    assert (run.added, run.failed) == (3, 0)
    first = identifiers[0]
    versions = local_versions(first)
    assert sorted(versions) == LANGUAGES and all(page.live for page in versions.values())
    assert versions["fr"].alias_of_id is None and versions["fr"].title == "Besoin du pair 0"
    for language, page in versions.items():
        html = client.get(page.url).content.decode()
        assert PEER_NAME in html, language  # attribution in every language
        listing = client.get(f"/{language}/records/").content.decode()
        assert page.title in listing, language
        query = "Besoin" if language == "fr" else "Peer need 0"
        found = client.get(f"/{language}/search/", {"q": query}).content.decode()
        assert f'href="{page.url}"' in found, language  # titles may come back highlighted

    peer["run"]("update", identifiers[1], "Peer need renamed at the source")
    run = harvest(peer)
    assert (run.status, run.added, run.updated, run.withdrawn, run.failed) == ("succeeded", 0, 1, 0, 0)
    assert local_versions(identifiers[1])["en"].title == "Peer need renamed at the source"

    peer["run"]("unpublish", identifiers[2])
    run = harvest(peer)
    assert (run.status, run.withdrawn, run.updated, run.failed) == ("succeeded", 1, 0, 0)
    assert not any(page.live for page in local_versions(identifiers[2]).values())
    assert run.harvest_objects.get(remote_identifier=identifiers[2]).outcome == "withdrawn"
    assert HarvestedRecord.objects.count() == 3


def a_harvest_killed_midway_resumes_without_duplicates_or_losses(peer):
    import json

    peer["run"]("publish", "8", "--start", "100")
    last_run = HarvestRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    runs = HarvestRun.objects.filter(pk__gt=last_run)  # the runs of this chapter
    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict["NAME"])}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "harvest", peer["url"], "--name", PEER_NAME, "--page-size", "2", "--no-progress"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while not runs.filter(pages__gte=1).exists():
            assert worker.poll() is None, "the harvest ended before its first page was committed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    killed = runs.get()
    assert killed.status == "running" and killed.resume_cursor

    run = harvest(peer)
    killed.refresh_from_db()
    assert killed.status == "interrupted"
    assert run.status == "succeeded" and run.resumed_from_id == killed.pk, run.message

    # Everything the peer publishes is here once, live; everything it withdrew is not live.
    published, withdrawn, url = set(), set(), f"{peer['url']}/api/v1/changes/?page_size=100"
    while url:
        page = requests.get(url, timeout=10).json()
        for change in page["results"]:
            (withdrawn if change["action"] == "deleted" else published).add(change["identifier"])
        url = page["next"]
    assert len(published) >= 10
    originals = RecordPage.objects.filter(alias_of__isnull=True, locale__language_code="en")
    assert set(originals.filter(live=True).values_list("identifier", flat=True)) == published
    assert not originals.filter(live=True, identifier__in=withdrawn).exists()
    assert originals.count() == originals.values("identifier").distinct().count()
    assert HarvestedRecord.objects.count() == len(published) + len(
        withdrawn & set(originals.values_list("identifier", flat=True))
    )
    assert HarvestSource.objects.count() == 1
    assert json.loads(json.dumps(run.outcome_counts()))["failed"] == 0


def test_two_portals_federate_and_a_killed_harvest_resumes(peer, client):
    """One test, two chapters in order: the second counts on what the first published at the peer
    (one peer server, so both always run in the same process)."""
    publish_update_and_unpublish_at_the_source(peer, client)
    a_harvest_killed_midway_resumes_without_duplicates_or_losses(peer)
