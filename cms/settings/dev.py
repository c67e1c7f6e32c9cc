"""Local development and the embedded default: SQLite, database search, eager tasks, debug on."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY
from .env import env_flag

DEBUG = True
SECRET_KEY = SECRET_KEY or "insecure-local-development-key-never-use-in-production"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "renditions": {"BACKEND": "cms.uploads.renditions.RenditionFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic needed
WHITENOISE_USE_FINDERS = True
# The demo's staff sign in with their password alone, so that `make run` is one step; production
# requires two-factor sign-in of Administrators and Editors (TWO_FACTOR_ENFORCED=true here to try it).
TWO_FACTOR_ENFORCED = env_flag("TWO_FACTOR_ENFORCED", default=False)
