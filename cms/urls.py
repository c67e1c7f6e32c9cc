from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.http import Http404
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.caching import cache_tags
from cms.frontend_purge import SEARCH
from cms.icons import favicon
from cms.security.policy import REPORT_PATH
from cms.security.reports import csp_report
from cms.uploads.renditions import serve_rendition
from search.api import SearchAPIView
from workflows.access_views import serve_document

handler500 = "cms.views.server_error"

urlpatterns = [
    # Before Wagtail's admin: refused with a 403 to anyone but editors and administrators.
    path("admin/records-import/", include("interop.transfer.urls")),
    path("admin/", include(wagtailadmin_urls)),
    # Before Wagtail's own: restricted files are checked by the access authority and sent as downloads.
    path("documents/<int:document_id>/<str:document_filename>", serve_document, name="document_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("interop.feeds.urls")),  # sitemap.xml, robots.txt
    path("favicon.ico", favicon, name="favicon"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("interop.api.urls")),
    path("api/docs/", include("interop.api.docs_urls")),
    path("api/search/", cache_tags(SEARCH)(SearchAPIView.as_view()), name="api-search"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path(REPORT_PATH.strip("/") + "/", csp_report, name="csp-report"),
    path("api/v1/", include("interop.push.urls")),
]


def not_a_public_file(request, path):
    """Documents and original images are served by permission-checked views only, never as files."""
    raise Http404


if settings.DEBUG:
    urlpatterns += [re_path(r"^media/(?P<path>(?:documents|original_images|awards)/.*)$", not_a_public_file)]
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.SERVE_MEDIA:
    # Only image renditions are public files (under unguessable names); documents go through their
    # permission-checked views.
    urlpatterns += [re_path(r"^media/images/(?P<path>.*)$", serve_rendition)]

urlpatterns += i18n_patterns(
    path("accounts/", include("cms.accounts.urls")),
    path("workspace/notifications/", include("workflows.notifications.urls")),
    path("workspace/awards/", include("workflows.awards.urls")),
    path("workspace/suggestions/", include("suggest.urls")),
    path("workspace/matches/", include("cooperation.urls")),
    path("workspace/", include("workflows.review.urls")),
    path("search/", include("search.urls")),
    path("", include("insight.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
