"""Editors manage memberships in the admin (coordinators do it on the public site)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import NetworkMembership


class NetworkMembershipViewSet(ModelViewSet):
    """Every membership and request to join, with filters by status and role."""

    model = NetworkMembership
    icon = "group"
    menu_label = _("Network memberships")
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["member", "network", "role", "status", "since", "requested_at"]
    list_filter = ["status", "role"]
    search_fields = ["network__title", "organisation__title", "expert__title", "message"]
    form_fields = ["network", "organisation", "expert", "role", "status", "since", "message"]
    ordering = ["-requested_at"]


@hooks.register("register_admin_viewset")
def register_memberships():
    return NetworkMembershipViewSet("network_memberships")
