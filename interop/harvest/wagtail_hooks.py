"""Harvest sources in the Wagtail admin, each with its status page; harvested copies refuse edits."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from . import views
from .forms import HarvestSourceForm
from .locks import refusal_message
from .models import HarvestSource


class TokenColumn(Column):
    """Whether a token is saved; never the token."""

    def get_value(self, instance):
        return _("Set") if instance.api_token else _("Not set")


class StatusColumn(Column):
    def get_value(self, instance):
        return format_html('<a href="{}">{}</a>', reverse("harvest_source_status", args=[instance.pk]), _("Status"))


class HarvestSourceViewSet(ModelViewSet):
    """Peer portals this portal harvests: address, scope, schedule; and how their runs went."""

    model = HarvestSource
    icon = "download"
    menu_label = _("Harvest sources")
    add_to_admin_menu = True
    menu_order = 270
    list_display = [
        "name",
        "base_url",
        "active",
        "interval_minutes",
        "last_success_at",
        TokenColumn("api_token", label=_("API token")),
        StatusColumn("status", label=_("Status")),
    ]
    list_filter = ["active"]
    search_fields = ["name", "base_url"]
    form_fields = [
        "name",
        "base_url",
        "scope_types",
        "scope_countries",
        "scope_targets",
        "interval_minutes",
        "active",
        "harvested_until",
    ]

    def get_form_class(self, for_update=False):
        """The fields above, then the write-only token (``forms.HarvestSourceForm``)."""
        from django.forms import modelform_factory

        return modelform_factory(
            self.model,
            form=HarvestSourceForm,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.get_form_fields(),
        )


@hooks.register("register_admin_viewset")
def register_harvest_sources():
    return HarvestSourceViewSet("harvest_sources")


@hooks.register("register_admin_urls")
def register_status_alias():
    return [path("harvest/sources/<int:pk>/status/", views.source_status, name="harvest_source_status")]


@hooks.register("before_edit_page")
def refuse_changes_to_harvested_copies(request, page):
    """Any POST of the edit view on a harvested copy: the lock shows why, this makes it hold."""
    if request.method == "POST" and getattr(page.specific_deferred, "source_portal", ""):
        messages.error(request, refusal_message(page.specific_deferred))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
