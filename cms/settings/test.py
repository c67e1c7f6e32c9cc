"""Tests: PostgreSQL when DATABASE_URL is set (CI), fast hashing, eager tasks, outbox e-mail."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-with-enough-length-to-be-accepted-0123456789"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"
# As the embedded default (base.py): a worker's cache keeps every test's entries, and Django's 300 made
# a query count depend on which tests ran before it in the same process.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 50_000}}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "renditions": {"BACKEND": "cms.uploads.renditions.RenditionFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = False  # login throttling has its own test that switches it back on
TWO_FACTOR_ENFORCED = False  # so is two-factor sign-in (tests/foundation/test_two_factor.py)
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic needed
WHITENOISE_USE_FINDERS = True
# A tiny second flow (no tables) that the workflow core's tests run beside the review.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.workflows.core.checklist"]  # noqa: F405

INTEROP_API_THROTTLE_RATE = "100000/minute"  # the throttling test sets its own low rate
