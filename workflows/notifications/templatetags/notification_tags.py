from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """Unread notifications of the signed-in person (one indexed count query; 0 for visitors)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_unread_notification_count", None)
    if cached is None:
        from ..models import Notification

        cached = Notification.objects.for_user(user).unread().count()
        request._unread_notification_count = cached
    return cached
