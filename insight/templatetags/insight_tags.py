from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def csv_url(context, table_id: str) -> str:
    """This page's address with its filters, asking for the CSV of one table."""
    request = context["request"]
    pairs = [(name, value) for name, values in request.GET.lists() if name not in ("csv", "page") for value in values]
    return "?" + urlencode([*pairs, ("csv", table_id)])


@register.filter
def indent(depth) -> str:
    """Non-breaking spaces that show a region's place in the tree inside an <option>."""
    return "\u00a0\u00a0" * int(depth or 0)
