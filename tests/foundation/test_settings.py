"""Configuration: the environment parser, its documentation, and production's safety checks."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cms.settings import env
from tests.deploy.environment import production_environment, random_secret_key

PROJECT_DIR = Path(settings.BASE_DIR)


# --- the parser -------------------------------------------------------------------------------


def test_database_url_unset_gives_sqlite(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    config = env.database_config(tmp_path / "db.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_url_set_gives_postgresql(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://chm:s%40cret@db.example.org:5433/portal")

    config = env.database_config(tmp_path / "db.sqlite3")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example.org", 5433, "portal")
    assert (config["USER"], config["PASSWORD"]) == ("chm", "s@cret")
    assert config["CONN_MAX_AGE"] > 0
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["OPTIONS"]["options"] == "-c max_parallel_workers_per_gather=0"  # short statements


def test_a_database_url_s_own_options_are_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://chm@db/portal?options=-c%20statement_timeout%3D5000")

    config = env.database_config(tmp_path / "db.sqlite3")

    assert config["OPTIONS"]["options"] == "-c statement_timeout=5000 -c max_parallel_workers_per_gather=0"


def test_a_sqlite_database_url_gets_no_postgresql_options(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'portal.sqlite3'}")

    config = env.database_config(tmp_path / "db.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "options" not in config.get("OPTIONS", {})


def test_web_requests_plan_without_parallel_workers_and_index_writes_with_them(db):
    from django.db import connection, transaction

    from search.backends.database import PARALLEL_PLAN_SQL

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
        with transaction.atomic():
            cursor.execute(PARALLEL_PLAN_SQL.format(workers=2))
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] == "2"


def test_email_url_unset_prints_to_the_console(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)

    assert env.email_config() == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_email_url_with_starttls(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://chm%40example.org:p%40ss%3Aword@mail.example.org:587")

    config = env.email_config()

    assert config == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "chm@example.org",
        "EMAIL_HOST_PASSWORD": "p@ss:word",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_email_url_with_ssl_and_no_credentials(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp+ssl://mail.example.org")

    config = env.email_config()

    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("mail.example.org", 25)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("", "")
    assert (config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (False, True)


def test_email_url_with_another_scheme_is_refused(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "https://mail.example.org")

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env.email_config()


def test_undeclared_variable_raises(monkeypatch):
    monkeypatch.setenv("NOT_A_PORTAL_SETTING", "x")

    with pytest.raises(ImproperlyConfigured, match="NOT_A_PORTAL_SETTING"):
        env.env("NOT_A_PORTAL_SETTING")


def test_declared_variable_falls_back_to_its_default(monkeypatch):
    monkeypatch.delenv("ELASTICSEARCH_INDEX_PREFIX", raising=False)
    assert env.env("ELASTICSEARCH_INDEX_PREFIX") == "chm"

    monkeypatch.setenv("ELASTICSEARCH_INDEX_PREFIX", "national")
    assert env.env("ELASTICSEARCH_INDEX_PREFIX") == "national"


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("1", True), (" Yes ", True), ("on", True), ("false", False), ("", False)]
)
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("SERVE_MEDIA", raw)

    assert env.env_bool("SERVE_MEDIA") is expected


def test_env_list_skips_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " portal.example.org, ,www.portal.example.org,")

    assert env.env_list("ALLOWED_HOSTS") == ["portal.example.org", "www.portal.example.org"]


def test_every_variable_has_a_default_and_a_meaning():
    for name, declaration in env.VARIABLES.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", name)
        default, meaning = declaration
        assert isinstance(default, str), name
        assert meaning.strip(), name


def test_every_variable_is_documented_in_the_readme():
    readme = PROJECT_DIR / "README.md"
    if not readme.exists():
        pytest.fail("README.md is missing: it must list every environment variable")
    text = readme.read_text(encoding="utf-8")

    missing = [name for name in env.VARIABLES if f"`{name}`" not in text]

    assert not missing, f"README.md does not document: {', '.join(missing)}"


def test_the_readme_table_is_generated_from_the_declarations():
    """Defaults and meanings too: regenerate the table with ``python -m cms.settings.env``."""
    text = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")

    assert env.readme_table() in text


def test_settings_read_only_declared_variables():
    """Settings go through the parser, never os.environ directly, so that nothing is undocumented."""
    offenders = []
    for path in sorted((PROJECT_DIR / "cms" / "settings").glob("*.py")):
        if path.name == "env.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ|os\.getenv", source):
            offenders.append(path.name)
    assert not offenders


# --- production -------------------------------------------------------------------------------


def _manage(*args, **values) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=production_environment(**values),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def deploy_check() -> subprocess.CompletedProcess:
    return _manage("check", "--deploy", SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="portal.example.org")


def test_check_deploy_passes(deploy_check):
    assert deploy_check.returncode == 0, deploy_check.stderr


def test_check_deploy_has_no_warnings(deploy_check):
    output = deploy_check.stdout + deploy_check.stderr
    assert "WARNINGS" not in output, output
    assert "ERRORS" not in output, output
    assert "System check identified no issues" in output


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", ALLOWED_HOSTS="portal.example.org")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _manage("check", SECRET_KEY="too-short", ALLOWED_HOSTS="portal.example.org")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", SECRET_KEY=random_secret_key())

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_base_settings_are_safe_by_default():
    source = (PROJECT_DIR / "cms" / "settings" / "base.py").read_text(encoding="utf-8")

    assert re.search(r"^DEBUG\s*=\s*False", source, re.MULTILINE)
    assert not re.search(r"^SECRET_KEY\s*=\s*['\"]", source, re.MULTILINE)
