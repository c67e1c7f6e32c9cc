"""The import's place in the admin menu, shown to those who may import (editors and administrators)."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .importer import may_import


class RecordImportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_import(request.user)


@hooks.register("register_admin_menu_item")
def register_record_import_menu_item():
    return RecordImportMenuItem(
        _("Import records"), reverse_lazy("record_import:upload"), icon_name="upload", order=280
    )
