"""Finding the page an address names in two queries, whatever its depth.

Wagtail walks the tree one level at a time (a query for each child, and one more for each level's
specific page), so that a record four levels down costs five queries before it is rendered. The home
page looks up every page along the address at once by ``url_path``, then loads the last one's specific
type; a page on the way that routes by itself (a routable page whose own route matches the rest of the
address, or a page type with its own ``route``) takes over from there, as it would in Wagtail's walk.
"""

from django.urls import Resolver404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page


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
