"""Anonymous pages are cacheable by browsers and shared caches; personal ones never are.

A response is public only when it is a successful GET/HEAD for an anonymous visitor and sets no
cookie (a page with a form sets the CSRF cookie, so it stays private). It sits above the session and
CSRF middleware so that it sees the cookies they add; ``ConditionalGetMiddleware`` above it adds the
ETag and answers 304s.

A public response also names what it shows in cache tags (``add_cache_tags``; which tags, and when
they are purged: ``cms/frontend_purge.py``), written into the ``xkey`` header that Varnish's xkey
module reads and the ``Surrogate-Key`` header that CDNs read.
"""

from functools import wraps

from django.utils.cache import patch_cache_control, patch_vary_headers

PUBLIC_MAX_AGE = 60  # browsers
SHARED_MAX_AGE = 300  # proxies and CDNs
PRIVATE_PREFIXES = ("/admin/", "/documents/", "/healthz", "/i18n/")
# Public responses under these paths show what the tags name, whatever the view: the open API lists
# and shows published pages of every kind (cms/frontend_purge.py purges "api" with every change).
PATH_TAGS = (("/api/v1/", ("api",)),)


TAG_HEADERS = ("xkey", "Surrogate-Key")


def add_cache_tags(request, *tags: str) -> None:
    """Record that the response to ``request`` shows what ``tags`` name."""
    existing = getattr(request, "_cache_tags", None)
    if existing is None:
        existing = request._cache_tags = set()
    existing.update(tags)


def cache_tags(*tags: str):
    """Decorate a view whose responses show what ``tags`` name."""

    def decorator(view):
        @wraps(view)
        def tagged(request, *args, **kwargs):
            add_cache_tags(request, *tags)
            return view(request, *args, **kwargs)

        return tagged

    return decorator


def is_public(request, response) -> bool:
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.cookies:
        return False
    if request.path.startswith(PRIVATE_PREFIXES):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class AnonymousCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        public = is_public(request, response)
        if public:
            for prefix, path_tags in PATH_TAGS:
                if request.path.startswith(prefix):
                    add_cache_tags(request, *path_tags)
            # Also when the view chose its own lifetime: whatever a shared cache keeps must be purgeable.
            tags = getattr(request, "_cache_tags", None)
            if tags:
                value = " ".join(sorted(tags))
                for header in TAG_HEADERS:
                    response[header] = value
        if response.has_header("Cache-Control"):
            return response
        if public:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE, s_maxage=SHARED_MAX_AGE)
            patch_vary_headers(response, ["Cookie"])
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response
