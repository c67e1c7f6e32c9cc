"""``/sitemap.xml`` in every language and ``/robots.txt`` pointing at it."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from cms.caching import cache_tags
from cms.frontend_purge import SITEMAP

from .sitemap import InvalidSitemapPage, build_sitemap

# Paths no crawler should follow: the admin, personal and editorial pages, write endpoints of the API.
DISALLOWED = ("/admin/", "/i18n/", "/api/v1/submissions/")
# Language-prefixed paths: the workspace, accounts and search results with a query.
DISALLOWED_IN_EACH_LANGUAGE = ("workspace/", "accounts/", "search/?")


@require_safe
@cache_tags(SITEMAP)
def sitemap(request):
    try:
        built = build_sitemap(request, request.GET.get("p"))
    except InvalidSitemapPage:
        raise Http404(_("There is no such page of the sitemap.")) from None
    response = HttpResponse(built.body, content_type="application/xml")
    if built.last_modified:
        response["Last-Modified"] = http_date(built.last_modified.timestamp())
    return response


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/{path}" for path in DISALLOWED_IN_EACH_LANGUAGE]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
