"""The signed-in person's notifications: a list, and marking them read (one or all)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification

PAGE_SIZE = 25


@login_required
def notification_list(request):
    notifications = Notification.objects.for_user(request.user).select_related("actor")
    page_obj = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = Notification.objects.for_user(request.user).unread().count()
    return render(
        request,
        "notifications/notification_list.html",
        {"page_obj": page_obj, "notifications": page_obj.object_list, "unread_count": unread, "query_string": ""},
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    """Mark one of one's own notifications read (another person's id is a 404), then follow its link."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    follow = request.POST.get("follow") and notification.url
    if follow and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    return redirect("notifications:list")
