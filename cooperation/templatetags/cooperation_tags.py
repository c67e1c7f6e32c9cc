"""The suggestions block of need, offer and expert pages: signed-in readers only, never cached.

Record pages keep their content in cached fragments and are cached whole for anonymous visitors;
this block is rendered outside the fragments, and only for a signed-in reader (whose responses are
private), so that nothing of it reaches a shared cache."""

from django import template

from .. import policy
from ..selectors import suggestions_for_page

register = template.Library()


@register.inclusion_tag("cooperation/includes/page_suggestions.html", takes_context=True)
def record_suggestions(context, page):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "is_preview", False) or not page.pk:
        return {"show": False}
    from content_types.records.models import NeedPage

    is_need = isinstance(page, NeedPage)
    return {
        "show": True,
        "page": page,
        "is_need": is_need,
        "suggestions": suggestions_for_page(page),
        "can_propose": is_need and policy.NEED_POLICY.allowed(user, page, policy.PROPOSE),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
