"""Every page served names what it shows, for the caching proxy (cms/frontend_purge.py)."""

from wagtail import hooks

from cms.caching import add_cache_tags
from cms.frontend_purge import page_response_tags


@hooks.register("before_serve_page")
def tag_served_page(page, request, serve_args, serve_kwargs):
    add_cache_tags(request, *page_response_tags(page))
