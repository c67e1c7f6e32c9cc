"""Settings shared by every environment. Safe by default: no debug, no secret, no hosts."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from cms.security.policy import content_security_policy, media_sources

from .env import database_config, email_config, env, env_bool, env_flag, env_list, media_storage, rendition_storage

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL").rstrip("/")

INSTALLED_APPS = [
    # Project apps come first so that their templates override the libraries'.
    "cms.home",
    "cms.site_settings",
    "cms.accounts",
    "cms.demo",
    "cms.uploads",
    "content_types.vocabularies",
    "content_types.base",
    "content_types.news",
    "content_types.records",
    "content_types.events",
    "content_types.networks",
    "content_types.awards",
    "workflows.core",
    "workflows.review",
    "interop.push",
    "workflows.awards",
    "workflows.notifications",
    "suggest",
    "search",
    "cooperation",
    "interop.api",
    "interop.harvest",
    "interop.feeds",
    "interop.transfer",
    "insight",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "viewflow",
    "viewflow.workflow",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for cms.forms.PortalFormRenderer (the project's engine)
    "django.contrib.postgres",  # Wagtail's database search on PostgreSQL needs it
]

MIDDLEWARE = [
    "cms.health.HealthCheckMiddleware",
    "cms.uploads.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cms.security.policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "cms.caching.AnonymousCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cms.accounts.two_factor.TwoFactorMiddleware",
    "workflows.access_views.AdminPageAccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "cms.home.routing.CachedRoutingMiddleware",
    # Innermost: gives the Wagtail admin's inline initialisers the nonce before CSPMiddleware writes it.
    "cms.security.admin_scripts.AdminInlineScriptMiddleware",
]

# viewflow appends its own middleware when AUTOREGISTER is on; we keep control of the list.
VIEWFLOW = {"AUTOREGISTER": False}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

# /readyz answers 503 only when one of these is down (cms/health.py); the others degrade the portal.
READINESS_REQUIRED = ["database"]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.site_settings.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": database_config(BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Fails open (cms/resilience/cache.py): with Redis down every read is a miss, never an error page;
    # short timeouts bound the first failed call, then Redis is skipped for CIRCUIT_RESET_AFTER seconds.
    CACHES = {
        "default": {
            "BACKEND": "cms.resilience.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0, "CIRCUIT_RESET_AFTER": 30},
        }
    }
else:
    # Django's default of 300 entries is less than one listing of 100 cards with their versions: past
    # it, entries a request has just written (the content versions among them) are culled under it.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 50_000}}
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions live in the database, which every web container shares, with the cache in front of it:
# a cache that is cold, flushed or unreachable costs a query, never a session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Languages: the UN's six, Wagtail i18n, language-prefixed URLs ---------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", "العربية"),
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("zh-hans", "中文"),
]
LANGUAGE_NAMES_IN_ENGLISH = {
    "ar": _("Arabic"),
    "en": _("English"),
    "es": _("Spanish"),
    "fr": _("French"),
    "ru": _("Russian"),
    "zh-hans": _("Chinese"),
}
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
if env("MACHINE_TRANSLATION") == "deepl":
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": env("DEEPL_API_KEY")},
    }

# --- Browser security headers (cms/security/) ------------------------------------------------
# No inline script anywhere; the policy and why each source is there are in cms/security/policy.py.
CONTENT_SECURITY_POLICY = content_security_policy(
    media=media_sources(env("AWS_STORAGE_BUCKET_NAME"), env("AWS_S3_ENDPOINT_URL"))
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views answer SAMEORIGIN themselves
# The admin would otherwise fetch avatars from Gravatar (sending a hash of each e-mail address) and
# ask wagtail.org for new releases: both are third-party requests the policy refuses.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / env("STATIC_ROOT")
STATICFILES_DIRS = [BASE_DIR / "cms" / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "cms.staticfiles.ServedAppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / env("MEDIA_ROOT")
SERVE_MEDIA = env_bool("SERVE_MEDIA")
STORAGES = {
    # Uploaded files: an S3-compatible bucket when configured, so that every web container sees them.
    "default": media_storage(),
    # Image renditions, on a public path: the same place, under names nobody can guess.
    "renditions": rendition_storage(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Form fields other than files: 2.5 MB at most (Django's default, said here next to the other limits).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Uploads (cms/uploads/) -----------------------------------------------------------------
# Every upload is checked before it is stored: how many at once, size, kind and content; ZIP-based
# files (docx, odt, xlsx, zip...) are looked into within these limits, so that a small file that
# would inflate to gigabytes is refused from its headers.
UPLOAD_MAX_FILES = 10
# More files than this in one request are refused by Django itself (400) before any is kept on disk;
# up to it, the forms say clearly how many are allowed.
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * UPLOAD_MAX_FILES
UPLOAD_ARCHIVE_MAX_MEMBERS = 5_000
UPLOAD_ARCHIVE_MAX_DIRECTORY_BYTES = 2 * 1024 * 1024
UPLOAD_ARCHIVE_MAX_TOTAL_SIZE = 200 * 1024 * 1024
# Inflating more than UPLOAD_ARCHIVE_MAX_RATIO times is refused for members (and archives) above
# UPLOAD_ARCHIVE_RATIO_ABOVE; smaller ones may be as repetitive as office XML often is.
UPLOAD_ARCHIVE_MAX_RATIO = 200
UPLOAD_ARCHIVE_RATIO_ABOVE = 10 * 1024 * 1024
# A request body larger than this is refused with 413 before it is read; the proxy's
# client_max_body_size (deploy/nginx/portal.conf) says the same: ten full-size files and the form.
REQUEST_MAX_BODY_SIZE = 201 * 1024 * 1024
# Uploads nobody came back for (staged attachments, orphan files, temporary files) are removed
# by the hourly sweep once this old.
UPLOAD_ABANDONED_AFTER_HOURS = 24

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "CHM Portal"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents are always streamed by their view after its checks, never by a redirect to the storage's
# own address (a bucket URL would outlive the check).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.uploads.forms.CheckedDocumentForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Renditions carry a random token in their names (cms/uploads/renditions.py): a draft's image cannot
# be fetched by guessing the address of its renditions.
WAGTAILIMAGES_RENDITION_STORAGE = "renditions"
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Anonymous pages may sit in a shared cache for a few minutes (cms/caching.py); publishing,
# unpublishing, moving and deleting a page purge, after commit and in one request per proxy, the
# cache tags of every response that shows it (cms/frontend_purge.py).
FRONTEND_CACHE_PURGE_URLS = env_list("FRONTEND_CACHE_PURGE_URL")

# --- Object permissions (django-guardian) ---------------------------------------------------
ANONYMOUS_USER_NAME = None  # anonymous visitors never hold object grants
GUARDIAN_RAISE_403 = True

# --- Login throttling (django-axes) ---------------------------------------------------------
# Ten failures for one user name from one address pause that pair for an hour (cms/accounts/lockout.py);
# the same person elsewhere, and other people at the same address (a proxy, an office), sign in.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the retry time shown stays true
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.accounts.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "cms.accounts.lockout.lockout_response"
# Reverse proxies whose X-Forwarded-For is believed (cms/accounts/addresses.py); from anyone else it is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
WAGTAILADMIN_USER_LOGIN_FORM = "cms.accounts.forms.AdminLoginForm"

# --- Two-factor sign-in (django-otp, TOTP; cms/accounts/two_factor.py) -----------------------
# Administrators and Editors must enrol an authenticator app before using the admin or the
# workspace; anyone else may. On unless TWO_FACTOR_ENFORCED says otherwise (dev.py: off for the demo).
TWO_FACTOR_ENFORCED = env_flag("TWO_FACTOR_ENFORCED", default=True)
OTP_TOTP_ISSUER = "CHM Portal"

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Every error answers with RFC 9457 problem details (cms/problems.py).
    "EXCEPTION_HANDLER": "cms.problems.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CHM Portal API",
    "DESCRIPTION": "Public records, events and networks of a biodiversity clearing-house.",
    "VERSION": "1.0.0",
    "PREPROCESSING_HOOKS": ["cms.api_schema.only_project_paths"],
    # The facet names serve two fields of the search API; one name for the one choice set.
    "ENUM_NAME_OVERRIDES": {"FacetEnum": "search.indexing.FACETS"},
    # The browsable documentation (/api/docs/) is served from the portal's own static files.
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
# Requests per client (token client, account, or address) to the open API (/api/v1/).
INTEROP_API_THROTTLE_RATE = env("INTEROP_API_THROTTLE_RATE")
# Requests of each API client sending its token (interop/push ApiClient), counted per client.
INTEROP_API_CLIENT_THROTTLE_RATE = env("INTEROP_API_CLIENT_THROTTLE_RATE")
# Requests per signed-in user to the suggestions while writing (suggest/views.py).
SUGGEST_RATE = env("SUGGEST_RATE")

# --- Background work (Celery) ---------------------------------------------------------------
# Without Redis, an in-process broker. It names its host: an eager task still borrows a producer
# to serialise its arguments, and kombu warns "No hostname was supplied" for a bare "memory://".
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # embedded default: tasks run in the request
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down must not hold a request: short timeouts, few publish retries; callers then
# fall back as they choose (cms/resilience/tasks.py: run the task here, or leave it to a sweep).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = {
    # Overdue reviews: each open assignment past its due date is reminded once a day.
    "send-review-reminders": {"task": "workflows.review.tasks.send_review_reminders", "schedule": 60 * 60 * 6},
    # Go-live and expiry dates set in the admin take effect within a minute; a run still queued when
    # the next is due is dropped rather than piled up behind it.
    "publish-scheduled": {"task": "cms.publish_scheduled", "schedule": 60, "options": {"expires": 55}},
    # The e-mail outbox: whatever the mail server (or a broker outage) kept from being sent.
    "send-due-emails": {"task": "workflows.notifications.tasks.send_due_emails", "schedule": 60 * 5},
    # Uploads abandoned for UPLOAD_ABANDONED_AFTER_HOURS (cms/uploads/tasks.py).
    "sweep-abandoned-uploads": {"task": "cms.uploads.sweep_abandoned_uploads", "schedule": 60 * 60},
    # Idempotency keys of the write API are replayed for 24 hours (interop/push/services.py).
    "expire-idempotency-keys": {"task": "interop.push.expire_idempotency_keys", "schedule": 60 * 60},
    # Harvest sources whose interval has passed (interop/harvest); each source keeps its own interval.
    "harvest-due-sources": {
        "task": "interop.harvest.harvest_due_sources",
        "schedule": 60 * 5,
        "options": {"expires": 280},
    },
}
# Harvesting peer portals: HTTP timeout (s) and retries per request, changes per page, and after how
# long without a sign of life a running harvest counts as dead (its successor resumes it).
HARVEST_HTTP_TIMEOUT = 30
HARVEST_HTTP_RETRIES = 3
HARVEST_PAGE_SIZE = 100
HARVEST_STALE_AFTER_SECONDS = 15 * 60
# The key that encrypts the tokens sent to peers (interop/harvest/sealing.py); unset: from SECRET_KEY.
HARVEST_TOKEN_KEY = env("HARVEST_TOKEN_KEY")
HARVEST_TOKEN_KEY_FALLBACKS = env_list("HARVEST_TOKEN_KEY_FALLBACKS")

# --- Search (our own service; see search/) --------------------------------------------------
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX")

# --- E-mail ---------------------------------------------------------------------------------
globals().update(email_config())
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
EMAIL_TIMEOUT = 10  # seconds; a mail server that hangs delays one outbox attempt, not a worker for ever
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "modelsearch": {"level": "WARNING"},
        "celery": {"level": "WARNING"},
    },
}
