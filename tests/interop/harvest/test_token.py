"""The API token a harvest source sends to its peer: encrypted at rest, never shown back, never logged."""

import importlib
import logging
import socket
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from interop.harvest.models import HarvestSource
from interop.harvest.sealing import SealError, seal, unseal

pytestmark = pytest.mark.django_db
TOKEN = "peer-issued-token-4f9c2a7e0b"


def stored(source) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT api_token FROM harvest_harvestsource WHERE id = %s", [source.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def source(db):
    return HarvestSource.objects.create(name="Peer", base_url="http://127.0.0.1:9", api_token=TOKEN)


def test_the_token_is_encrypted_in_its_column_and_plain_in_python(source):
    column = stored(source)
    assert column.startswith("sealed:v1:") and TOKEN not in column
    assert HarvestSource.objects.get(pk=source.pk).api_token == TOKEN
    source.save()
    assert stored(source) != column  # a fresh nonce each time
    assert HarvestSource.objects.get(pk=source.pk).api_token == TOKEN


def test_no_token_stays_empty(db):
    empty = HarvestSource.objects.create(name="Anonymous", base_url="http://127.0.0.1:8")
    assert stored(empty) == "" and HarvestSource.objects.get(pk=empty.pk).api_token == ""


def test_an_altered_value_or_an_unknown_key_reads_as_empty_with_a_warning(source, caplog):
    column = stored(source)
    altered = column[:-3] + ("AAA" if not column.endswith("AAA") else "BBB")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE harvest_harvestsource SET api_token = %s WHERE id = %s", [altered, source.pk])
    with caplog.at_level(logging.WARNING):
        assert HarvestSource.objects.get(pk=source.pk).api_token == ""
    assert "could not be opened" in caplog.text and TOKEN not in caplog.text
    with pytest.raises(SealError):
        unseal("plain text")
    with override_settings(SECRET_KEY="another-key-of-enough-length-for-the-test-0123456789"), pytest.raises(SealError):
        unseal(column)


def test_a_rotated_key_still_opens_old_tokens(settings):
    former, old = settings.SECRET_KEY, seal(TOKEN)
    new_key = "the-new-secret-key-of-enough-length-0123456789"
    with override_settings(SECRET_KEY=new_key, SECRET_KEY_FALLBACKS=[]), pytest.raises(SealError):
        unseal(old)
    with override_settings(
        SECRET_KEY=new_key,
        SECRET_KEY_FALLBACKS=[former],
    ):
        assert unseal(old) == TOKEN
    with override_settings(HARVEST_TOKEN_KEY="a-dedicated-key", HARVEST_TOKEN_KEY_FALLBACKS=[]):
        dedicated = seal(TOKEN)
        with pytest.raises(SealError):
            unseal(old)  # SECRET_KEY is not used once a dedicated key is set
    with override_settings(HARVEST_TOKEN_KEY="the-next-key", HARVEST_TOKEN_KEY_FALLBACKS=["a-dedicated-key"]):
        assert unseal(dedicated) == TOKEN


def test_the_migration_encrypts_tokens_saved_in_plain_text(source):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE harvest_harvestsource SET api_token = %s WHERE id = %s", [TOKEN, source.pk])
    migration = importlib.import_module("interop.harvest.migrations.0004_api_token_encrypted")
    editor = SimpleNamespace(connection=connection)

    migration.seal_existing(None, editor)
    assert stored(source).startswith("sealed:v1:")
    assert HarvestSource.objects.get(pk=source.pk).api_token == TOKEN
    migration.seal_existing(None, editor)  # sealed once only
    assert HarvestSource.objects.get(pk=source.pk).api_token == TOKEN
    migration.open_existing(None, editor)
    assert stored(source) == TOKEN


def form_data(source, **changes) -> dict:
    data = {
        "name": source.name,
        "base_url": source.base_url,
        "scope_types": "",
        "scope_countries": "",
        "scope_targets": "",
        "api_token": "",
        "interval_minutes": "60",
        "active": "on",
        "harvested_until": "",
    }
    data.update(changes)
    return data


def test_the_admin_never_shows_the_token_and_keeps_it_when_left_empty(source, administrator, client):
    client.force_login(administrator)
    edit = f"/admin/harvest_sources/edit/{source.pk}/"

    html = client.get(edit).content.decode()
    assert TOKEN not in html and stored(source) not in html
    assert 'type="password"' in html and "A token is set" in html
    listing = client.get("/admin/harvest_sources/").content.decode()
    assert TOKEN not in listing and "Set" in listing

    assert client.post(edit, form_data(source, name="Peer portal")).status_code == 302
    source.refresh_from_db()
    assert (source.name, source.api_token) == ("Peer portal", TOKEN)

    assert client.post(edit, form_data(source, api_token="a-new-token")).status_code == 302
    assert HarvestSource.objects.get(pk=source.pk).api_token == "a-new-token"

    both = client.post(edit, form_data(source, api_token="x", remove_api_token="on"))
    assert both.status_code == 200 and "not both" in both.content.decode()
    assert client.post(edit, form_data(source, remove_api_token="on")).status_code == 302
    assert HarvestSource.objects.get(pk=source.pk).api_token == ""
    html = client.get(edit).content.decode()
    assert "No token is set" in html and "remove_api_token" not in html


def test_a_source_created_in_the_admin_has_its_token_encrypted(administrator, client):
    client.force_login(administrator)
    blank = SimpleNamespace(name="New peer", base_url="http://127.0.0.1:7")
    response = client.post("/admin/harvest_sources/new/", form_data(blank, api_token=TOKEN))
    assert response.status_code == 302
    created = HarvestSource.objects.get(name="New peer")
    assert created.api_token == TOKEN and TOKEN not in stored(created)


def test_editors_may_not_open_the_form(source, editor, client):
    client.force_login(editor)
    assert client.get(f"/admin/harvest_sources/edit/{source.pk}/").status_code in (302, 403)


@override_settings(HARVEST_HTTP_RETRIES=0)
def test_the_command_keeps_the_token_encrypted_and_out_of_the_log(db, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with caplog.at_level(logging.DEBUG), pytest.raises(CommandError):
        call_command("harvest", f"http://127.0.0.1:{port}", "--token", TOKEN, "--no-progress")
    source = HarvestSource.objects.get()
    assert source.api_token == TOKEN and TOKEN not in stored(source)
    assert TOKEN not in caplog.text
