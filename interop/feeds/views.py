"""``/sitemap.xml`` in every language and ``/robots.txt`` pointing at it."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from cms.caching import cache_tags
from cms.frontend_purge import SITEMAP

from .sitemap import AllLanguagesSitemap

# Paths no crawler should follow: the admin, personal and editorial pages, write endpoints of the API.
DISALLOWED = ("/admin/", "/i18n/", "/api/v1/submissions/")
# Language-prefixed paths: the workspace, accounts and search results with a query.
DISALLOWED_IN_EACH_LANGUAGE = ("workspace/", "accounts/", "search/?")


@cache_tags(SITEMAP)
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": AllLanguagesSitemap})


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/{path}" for path in DISALLOWED_IN_EACH_LANGUAGE]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
