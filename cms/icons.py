"""``/favicon.ico``: browsers ask for it at the site's root whatever the page says; it is the portal's
icon, not a 404 in every log."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    # To the static file under its hashed name (served with a year's cache), looked up when asked:
    # the manifest is read at the first request, not when the URLs are imported.
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
