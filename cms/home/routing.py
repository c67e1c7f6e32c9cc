"""Finding the page an address names in two queries, whatever its depth.

Wagtail walks the tree one level at a time (a query for each child, and one more for each level's
specific page), so that a record four levels down costs five queries before it is rendered. The home
page looks up every page along the address at once by ``url_path``, then loads the last one's specific
type; a page on the way that routes by itself (a routable page whose own route matches the rest of the
address, or a page type with its own ``route``) takes over from there, as it would in Wagtail's walk.
"""

import logging

from django.core.cache import cache
from django.urls import Resolver404
from django.utils.translation import get_language
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from cms import content_version, view_restrictions
from cms.frontend_purge import page_tag
from cms.page_fragments import fragment_tags

logger = logging.getLogger(__name__)


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
    page its address routes to under the host, port, language and path for the current base version
    (``cms.content_version``), valid while the page's own version is the one it was kept under, and
    hands them to Wagtail the way it keeps its own answer for the request (``request._wagtail_site``
    and ``request._wagtail_route_for_request``): no query for
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
        stored = self._stored_route(request, path)
        if stored is not None and not hasattr(request, "_wagtail_route_for_request"):
            site, page, remaining = stored
            request._wagtail_site = site
            if remaining is None:
                request._wagtail_route_for_request = RouteResult(page)
            else:
                request._wagtail_route_for_request = page.route(request, remaining)
        return None

    def _stored_route(self, request, path: str):
        """The route kept for ``path`` while the base version and the page's own are those it was
        kept under (the page object is served as it was read); when only the page's own changed, the
        page read again by its id; routed and kept afresh otherwise."""
        version = content_version.versions()
        if version is None:
            return None
        parts = (request._get_raw_host(), request.get_port(), get_language(), path)
        key = f"chm:fragment:route:{content_version._digest(parts, version)}"
        try:
            stored = cache.get(key)
        except Exception:  # noqa: BLE001 - an unreachable cache only means "route as usual"
            logger.warning("Could not read a cached route", exc_info=True)
            return None
        route = None
        if stored is not None:
            site, page, remaining, page_version = stored
            current = self._page_version(page)
            if page_version == current:
                return site, page, remaining
            # Only the page itself changed (a new address, a page unpublished or moved replace the base
            # version, and with it this key): the address still names it, read afresh in one query (a
            # routable page then resolves the rest of the address itself, as it does on a hit).
            fresh = self._reloaded(page)
            route = (site, fresh, remaining) if fresh is not None else None
        route = route or self._route(request, path)
        if route is None:
            return None
        if view_restrictions.ANCESTORS not in route[1].__dict__:
            view_restrictions.remember_ancestors(route[1])
        page_version = self._page_version(route[1])
        if page_version is not None and content_version.writable():
            try:
                cache.set(key, (*route, page_version), content_version.CACHE_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("Could not cache a route", exc_info=True)
        return route

    @staticmethod
    def _page_version(page) -> str | None:
        # With the versions its cached parts are kept under (its languages, the kinds it lists): read
        # here in the same round trip, they are not read again when the page looks its parts up.
        versions = content_version.tag_versions(fragment_tags(page))
        return None if versions is None else versions[page_tag(page.pk)]

    @staticmethod
    def _reloaded(page):
        """``page`` read again with its specific type, its parent as it was kept, or None when it is no
        longer live at the same address (then routed from the start)."""
        pages = type(page)._default_manager
        if page.alias_of_id is not None:
            # With its original, for an alias: Wagtail checks the original's view restrictions on every request.
            pages = pages.select_related("alias_of")
        fresh = next(iter(pages.filter(pk=page.pk, url_path=page.url_path, live=True).order_by()[:1]), None)
        if fresh is not None and "_cached_parent_obj" in page.__dict__:
            fresh._cached_parent_obj = page._cached_parent_obj
        if fresh is not None:
            view_restrictions.carry_ancestors(page, fresh)
        return fresh

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
