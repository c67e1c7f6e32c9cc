from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import UserProfile


class UserProfileViewSet(ModelViewSet):
    """Administrators link people to the Party or organisation they act for."""

    model = UserProfile
    icon = "user"
    menu_label = _("User profiles")
    add_to_settings_menu = True
    list_display = ["user", "country", "organisation", "preferred_language"]
    list_filter = ["country", "preferred_language"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation"]
    form_fields = ["user", "country", "organisation", "preferred_language"]


@hooks.register("register_admin_viewset")
def register_profiles():
    return UserProfileViewSet("user_profiles")


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    """Editors live in the admin: its account page leads to their two-factor settings too."""
    return {
        "url": reverse("accounts:two_factor"),
        "label": _("Two-factor sign-in"),
        "help_text": _("An authenticator app's code after your password, and your backup codes."),
    }
