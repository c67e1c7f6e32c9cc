"""The one parser for configuration from environment variables.

Every variable the portal reads is declared in ``VARIABLES`` with its default and meaning, so that the
README table and the code cannot drift apart (``tests/foundation/test_settings.py`` checks it).
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

VARIABLES = {
    "DJANGO_SETTINGS_MODULE": ("cms.settings.dev", "Settings module: dev, test or production."),
    "SECRET_KEY": ("", "Required in production. Signs sessions and tokens."),
    "ALLOWED_HOSTS": ("", "Required in production. Comma-separated host names."),
    "CSRF_TRUSTED_ORIGINS": ("", "Comma-separated origins (https://portal.example.org) behind a proxy."),
    "DATABASE_URL": ("", "PostgreSQL URL (postgres://user:pass@host:5432/name). Unset: SQLite in db.sqlite3."),
    "REDIS_URL": ("", "Redis URL for Celery and the cache. Unset: tasks run eagerly, local memory cache."),
    "ELASTICSEARCH_URL": ("", "Elasticsearch URL. Unset: search uses the database."),
    "ELASTICSEARCH_INDEX_PREFIX": ("chm", "Prefix of the Elasticsearch index and alias names."),
    "EMAIL_URL": (
        "",
        "smtp://user:pass@host:587 (smtp+tls://, smtp+ssl://). Unset: e-mails are printed to the console.",
    ),
    "DEFAULT_FROM_EMAIL": ("CHM Portal <noreply@localhost>", "Sender of notification e-mails."),
    "SITE_URL": ("http://127.0.0.1:8000", "Public base address, used in e-mails, feeds and the API."),
    "MEDIA_ROOT": ("media", "Folder for uploaded files (relative to the project folder or absolute)."),
    "AWS_STORAGE_BUCKET_NAME": (
        "",
        "S3-compatible bucket for uploaded files, shared by every web container. Unset: MEDIA_ROOT.",
    ),
    "AWS_S3_ENDPOINT_URL": ("", "Address of an S3-compatible service (https://s3.example.org). Unset: Amazon S3."),
    "AWS_S3_REGION_NAME": ("", "Region of the bucket, when the service asks for one."),
    "AWS_ACCESS_KEY_ID": ("", "Access key of the bucket. Unset: boto3's own credentials (instance role, files)."),
    "AWS_SECRET_ACCESS_KEY": ("", "Secret of that access key."),
    "STATIC_ROOT": ("staticfiles", "Folder that collectstatic fills."),
    "FRONTEND_CACHE_PURGE_URL": (
        "",
        "Comma-separated addresses (http://varnish:80) of the caching proxies that take a PURGE request "
        "with an xkey-purge header (deploy/varnish/default.vcl); publishing purges the pages that show "
        "the change. Unset: nothing is purged.",
    ),
    "SERVE_MEDIA": (
        "false",
        "Let the portal itself serve the public image renditions (/media/images/) when no proxy does.",
    ),
    "MACHINE_TRANSLATION": (
        "",
        "Machine translation for wagtail-localize: 'deepl' with DEEPL_API_KEY, or unset for none.",
    ),
    "DEEPL_API_KEY": ("", "API key used when MACHINE_TRANSLATION=deepl."),
    "TRUSTED_PROXIES": (
        "",
        "Comma-separated addresses or networks (10.0.0.0/8) of the reverse proxies in front of the portal; "
        "only their X-Forwarded-For header is believed. Unset: the connecting address is the client's.",
    ),
    "TWO_FACTOR_ENFORCED": (
        "",
        "Require two-factor sign-in of Administrators and Editors (true/false). Unset: on, except in "
        "cms.settings.dev, where the demo users sign in with their password alone.",
    ),
    "SECURE_SSL_REDIRECT": ("true", "Production: redirect HTTP to HTTPS (set false behind a proxy that does it)."),
    "INTEROP_API_THROTTLE_RATE": ("600/minute", "Requests per client to the open API (/api/v1/), e.g. 120/minute."),
    "INTEROP_API_CLIENT_THROTTLE_RATE": (
        "6000/minute",
        "Requests to the open API by each token-authenticated API client (a harvesting portal), e.g. 3000/minute.",
    ),
    "HARVEST_TOKEN_KEY": (
        "",
        "Key that encrypts the API tokens this portal sends to the peers it harvests (harvest sources). "
        "Unset: derived from SECRET_KEY. Changing it makes saved tokens unreadable unless the old key is "
        "listed in HARVEST_TOKEN_KEY_FALLBACKS.",
    ),
    "HARVEST_TOKEN_KEY_FALLBACKS": (
        "",
        "Comma-separated former values of HARVEST_TOKEN_KEY that still decrypt saved tokens (rotation). "
        "Unset: SECRET_KEY's own fallbacks, when HARVEST_TOKEN_KEY is unset.",
    ),
    "SUGGEST_RATE": ("60/minute", "Requests per signed-in user for suggestions while writing (suggest/)."),
    "LOG_LEVEL": ("INFO", "Level of the portal's log."),
    "WEB_BIND": ("0.0.0.0:8000", "Address gunicorn listens on (scripts/serve.sh)."),
    "WEB_CONCURRENCY": ("3", "Number of gunicorn worker processes in each web container."),
    "FORWARDED_ALLOW_IPS": (
        "127.0.0.1,::1",
        "Addresses whose X-Forwarded-Proto gunicorn trusts: the proxy's ('*' when only it reaches the web containers).",
    ),
}


def env(name: str) -> str:
    """The raw value of a declared variable, or its default."""
    if name not in VARIABLES:
        raise ImproperlyConfigured(f"{name} is not a declared environment variable")
    return os.environ.get(name, VARIABLES[name][0])


def env_bool(name: str) -> bool:
    return env(name).strip().lower() in {"1", "true", "yes", "on"}


def env_flag(name: str, *, default: bool) -> bool:
    """A true/false variable whose default depends on the settings module (unset or empty: ``default``)."""
    value = env(name).strip()
    return env_bool(name) if value else default


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env(name).split(",") if item.strip()]


def database_config(sqlite_path) -> dict:
    """``DATABASE_URL`` when set, else the embedded SQLite database."""
    url = env("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        # A page answers with many short statements: a parallel plan spent 10-35 ms starting its workers
        # for a search's 13 ms walk over the newest entries. Work that gains from workers asks for them
        # in its own transaction (the search index's large writes: search/backends/database.py).
        if "postgresql" in config["ENGINE"]:
            options = config.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c max_parallel_workers_per_gather=0".strip()
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(sqlite_path),
        # WAL lets the server read while a command writes; NORMAL sync is safe with WAL.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        },
    }


def media_storage() -> dict:
    """``STORAGES["default"]``: the S3-compatible bucket when one is named, else the ``MEDIA_ROOT`` folder.

    The bucket stays private: files are read through signed, expiring addresses or the portal's own
    views, and an upload never replaces another file of the same name.
    """
    bucket = env("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    endpoint = env("AWS_S3_ENDPOINT_URL")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "access_key": env("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,
            "file_overwrite": False,
            "signature_version": "s3v4",
            # Services other than Amazon's (MinIO, Ceph, Garage) answer path-style addresses.
            "addressing_style": "path" if endpoint else None,
        },
    }


def rendition_storage() -> dict:
    """``STORAGES["renditions"]``: where the media go, under names nobody can guess (cms/uploads/renditions.py)."""
    storage = media_storage()
    backends = {
        "django.core.files.storage.FileSystemStorage": "cms.uploads.renditions.RenditionFileSystemStorage",
        "storages.backends.s3.S3Storage": "cms.uploads.renditions_s3.RenditionS3Storage",
    }
    return {**storage, "BACKEND": backends[storage["BACKEND"]]}


def readme_table() -> str:
    """The README's table of variables, generated from ``VARIABLES``: ``python -m cms.settings.env``."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, (default, meaning) in VARIABLES.items():
        rows.append(f"| `{name}` | {f'`{default}`' if default else '(unset)'} | {meaning} |")
    return "\n".join(rows)


def email_config() -> dict:
    """Django e-mail settings from ``EMAIL_URL`` (console backend when unset)."""
    from urllib.parse import unquote, urlparse

    url = env("EMAIL_URL")
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parsed = urlparse(url)
    if parsed.scheme not in {"smtp", "smtp+tls", "smtp+ssl"}:
        raise ImproperlyConfigured("EMAIL_URL must start with smtp://, smtp+tls:// or smtp+ssl://")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or 25,
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parsed.scheme == "smtp+ssl",
    }


if __name__ == "__main__":
    print(readme_table())
