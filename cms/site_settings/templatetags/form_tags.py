"""Tags for the site frame's forms: the page title says when a form came back with errors."""

from django import template
from django.utils.translation import gettext

from cms.forms import PortalFormMixin

register = template.Library()


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """``Error: `` when a form of the page (one of the shared rendering) was sent and refused."""
    for value in context.flatten().values():
        # type(), not isinstance(): the latter would evaluate lazy values (the CSRF token, the user),
        # which sets a cookie and makes anonymous pages uncacheable.
        if issubclass(type(value), PortalFormMixin) and value.is_bound and value.errors:
            return gettext("Error:") + " "
    return ""
