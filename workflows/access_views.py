"""``/documents/<id>/<name>``: restricted files go out only after the authority's check, as downloads."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from wagtail.admin.auth import permission_denied
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve

from . import access


def refusal(request):
    """Who is not signed in is asked to; anyone else learns nothing (the same 404 as a wrong id)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def serve_document(request, document_id, document_filename):
    document = get_object_or_404(get_document_model(), id=document_id)
    if document.filename != document_filename or document.pk not in access.restricted_document_ids([document.pk]):
        return wagtail_serve(request, document_id, document_filename)
    if not access.may_document(request.user, access.Access.READ, document):
        return refusal(request)
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


# Admin views that take a page id: what each needs. Wagtail's own views ask the permission tester,
# but some (the explorer and the chooser opened at a page, wagtail-localize's) ask nothing about it.
PAGE_ID_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "page_pk")
LISTING_VIEWS = {
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_pages:add_subpage",
    "wagtailadmin_pages:add",
    "wagtailadmin_pages:preview_on_add",
}
CHANGE_VIEWS = {"wagtail_localize:convert_to_alias", "wagtailadmin_pages:convert_alias"}


class AdminPageAccessMiddleware:
    """A fence in front of every admin view about one page: the authority answers before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.path.startswith("/admin/") or not access.uses_admin(request.user):
            return None
        page_id = next((view_kwargs[name] for name in PAGE_ID_KWARGS if name in view_kwargs), None)
        if page_id is None and match.view_name.startswith(("wagtailadmin_pages:", "wagtailadmin_api:pages:")):
            page_id = view_kwargs.get("pk")
        if page_id is None:
            return None
        from wagtail.models import Page

        page = Page.objects.filter(pk=page_id).first()
        if page is None or page.depth == 1:
            return None
        if match.view_name in LISTING_VIEWS:
            action = access.Access.LIST
        elif match.view_name in CHANGE_VIEWS:
            action = access.Access.CHANGE
        else:
            action = access.Access.OPEN_IN_ADMIN
        if not access.may_page(request.user, action, page):
            if match.view_name.startswith("wagtailadmin_api:"):
                raise PermissionDenied
            return permission_denied(request)  # Wagtail's own: back to the dashboard, with its message
        return None
