"""Finding the page an address names in two queries, whatever its depth.

Wagtail walks the tree one level at a time (a query for each child, and one more for each level's
specific page), so that a record four levels down costs five queries before it is rendered. The home
page looks up every page along the address at once by ``url_path``, then loads the last one's specific
type; a page on the way that routes by itself (a routable page whose own route matches the rest of the
address, or a page type with its own ``route``) takes over from there, as it would in Wagtail's walk.
"""

from django.urls import Resolver404
from django.utils.translation import get_language
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from cms import content_version


def _routes_itself(page_class, remaining: list[str]) -> bool:
    """Whether a page of ``page_class`` would answer ``remaining`` itself rather than a child."""
    if issubclass(page_class, RoutablePageMixin):
        if not remaining:
            return False
        try:
            page_class.get_resolver().resolve("/" + "/".join(remaining) + "/")
        except Resolver404:
            return False
        return True
    return page_class.route is not Page.route


def route_from(root: Page, request, path_components: list[str]):
    """What ``root.route(request, path_components)`` would answer, in fewer queries."""
    prefixes = [root.url_path + "/".join(path_components[: count + 1]) + "/" for count in range(len(path_components))]
    found = {
        page.url_path: page
        for page in Page.objects.filter(url_path__in=prefixes, path__startswith=root.path, depth__gt=root.depth)
    }
    parent = root
    for count, prefix in enumerate(prefixes):
        page = found.get(prefix)
        if page is None or page.depth != parent.depth + 1 or not page.path.startswith(parent.path):
            break  # not found: the parent answers (a route of its own, or a 404)
        page._cached_parent_obj = parent
        remaining = path_components[count + 1 :]
        if page.specific_class is None or (remaining and _routes_itself(page.specific_class, remaining)):
            return page.specific.route(request, remaining)
        parent = page
    else:
        return parent.specific.route(request, [])
    rest = path_components[parent.depth - root.depth :]
    if parent is root:
        return Page.route(root, request, rest)  # Wagtail's own walk from here (it will answer 404)
    return parent.specific.route(request, rest)


class CachedRoutingMiddleware:
    """Which page an address names, kept in the shared cache until the content changes.

    Before Wagtail's ``serve`` view runs, a GET or HEAD request for a page looks up the site and the
    page its address routes to under the host, port, language and path for the current content
    version (``cms.content_version``), and hands them to Wagtail the way it keeps its own answer for
    the request (``request._wagtail_site`` and ``request._wagtail_route_for_request``): no query for
    the site, the locale, the home page or the page. On a miss Wagtail routes as usual and the answer
    is stored. Only plain pages and routable pages' own routes are kept: a page that answers with
    arguments of its own routes afresh; an address that answers 404 is never kept. Who may see the
    page is checked after routing as before (``before_serve_page``), on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail import views as wagtail_views

        if view_func is not wagtail_views.serve or request.method not in ("GET", "HEAD"):
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        parts = (request._get_raw_host(), request.get_port(), get_language(), path)
        stored = content_version.cached("route", parts, lambda: self._route(request, path))
        if stored is not None and not hasattr(request, "_wagtail_route_for_request"):
            site, page, remaining = stored
            request._wagtail_site = site
            if remaining is None:
                request._wagtail_route_for_request = RouteResult(page)
            else:
                request._wagtail_route_for_request = page.route(request, remaining)
        return None

    @staticmethod
    def _route(request, path: str):
        """(site, page, what a routable page resolves itself) for the cache, or None."""
        result = Page.route_for_request(request, path)
        site = getattr(request, "_wagtail_site", None)
        if result is None or site is None:
            return None
        page, args, kwargs = result
        if isinstance(page, RoutablePageMixin) and args and len(args) == 3:
            components = [component for component in path.split("/") if component]
            consumed = page.depth - site.root_page.depth
            return (site, page, components[consumed:]) if consumed >= 0 else None
        if args or kwargs:
            return None
        return (site, page, None)
