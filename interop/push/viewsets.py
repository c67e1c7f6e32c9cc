"""API clients in the Wagtail admin: issued, listed and revoked by Administrators only.

Only Administrators hold the ``push`` model permissions (their role has every permission), so the
menu, the list and every view below are closed to editors and everyone else.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from .models import ApiClient

FORM_FIELDS = ["name", "scope_country", "scope_organisation", "acting_user"]


class ApiClientCreateView(generic.CreateView):
    """Issue a client: its token is shown on the next page, once, and never again."""

    def get_initial(self):
        return {**super().get_initial(), "acting_user": self.request.user.pk}  # or a service account

    def save_instance(self):
        self.token = self.form.instance.issue_token()
        self.form.instance.issued_by = self.request.user
        return super().save_instance()

    def form_valid(self, form):
        super().form_valid(form)
        return TemplateResponse(
            self.request,
            "push/token_issued.html",
            {"client": self.object, "token": self.token, "index_url": reverse(self.index_url_name)},
        )


class ApiClientEditView(generic.EditView):
    @property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.object.is_active:
            url = reverse("push_apiclient:revoke", args=[self.object.pk])
            buttons.append(Button(_("Revoke the token"), url=url, icon_name="lock", priority=15))
        return buttons


def revoke_view(request, pk):
    """Confirm, then refuse the client's token from now on (a revoked client cannot be reactivated)."""
    if not request.user.has_perm("push.change_apiclient"):
        raise PermissionDenied
    client = get_object_or_404(ApiClient, pk=pk)
    if request.method == "POST":
        if client.is_active:
            client.revoke()
        messages.success(request, _("The token of “%(name)s” is revoked.") % {"name": client.name})
        return redirect("push_apiclient:index")
    return TemplateResponse(request, "push/revoke.html", {"client": client})


class ApiClientViewSet(ModelViewSet):
    model = ApiClient
    icon = "key"
    menu_label = gettext_lazy("API clients")
    add_to_settings_menu = True
    add_view_class = ApiClientCreateView
    edit_view_class = ApiClientEditView
    form_fields = FORM_FIELDS
    list_display = ["name", "scope_label", "acting_user", "is_active", "token_prefix", "last_used_at", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("revoke/<int:pk>/", revoke_view, name="revoke")]
