"""Keep the Wagtail admin and the review flow from disagreeing, and show the review in the admin.

Records are published by the flow's publish step only. While a record has an open submission it
carries a ``ReviewLock`` (see ``locks``): Wagtail's edit view shows its state, round and due dates
and offers no save, and Wagtail's own permission tester refuses to unpublish it. Every other door
that would change, publish, move or copy-and-publish it refuses with the same message; deleting is
refused once it is submitted. The dashboard lists what waits for the editor, the explorer shows the
review state, and the review's steps are Wagtail log actions shown in page and site history.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from workflows import access, access_views
from workflows.review.policy import ACTIVE_STATES, OPEN_STATES, State

from . import dashboard, page_log
from .locks import annotate_open_submission, open_submission_of, refusal_message
from .models import Submission

# Bulk actions that would change what the flow owns; "delete" is refused only once submitted.
LOCKED_BULK_ACTIONS = {"publish", "unpublish", "move"}


def _refuse(request, submission, page_id):
    messages.error(request, refusal_message(submission))
    return redirect("wagtailadmin_pages:edit", page_id)


def _fence(request, page, action):
    """A second fence behind the permission tester: a view that forgot to ask still refuses."""
    if not access.may_page(request.user, action, page):
        raise PermissionDenied


@hooks.register("before_edit_page", order=-10)
def fence_edit(request, page):
    _fence(request, page, access.Access.OPEN_IN_ADMIN)


@hooks.register("before_delete_page", order=-10)
def fence_delete(request, page):
    _fence(request, page, access.Access.CHANGE)


@hooks.register("before_move_page", order=-10)
def fence_move(request, page, destination):
    _fence(request, page, access.Access.CHANGE)


@hooks.register("before_copy_page", order=-10)
def fence_copy(request, page):
    _fence(request, page, access.Access.OPEN_IN_ADMIN)


@hooks.register("before_convert_alias_page", order=-10)
def fence_convert_alias(request, page):
    _fence(request, page, access.Access.CHANGE)


@hooks.register("construct_page_chooser_queryset")
def choosable_pages(pages, request):
    return pages.filter(access.admin_pages_filter(request.user, access.Access.LIST) | Q(depth=1))


@hooks.register("before_serve_document", order=-10)
def fence_restricted_document(document, request):
    """Behind ``access_views.serve_document``: Wagtail's own serve view refuses restricted files too."""
    if document.pk in access.restricted_document_ids([document.pk]):
        return access_views.refusal(request)
    return None


@hooks.register("before_edit_page")
def refuse_changes_while_in_review(request, page):
    """Any POST of the edit view (save, publish, schedule, revert, autosave) while the lock holds."""
    if request.method != "POST":
        return None
    submission = open_submission_of(page)
    return _refuse(request, submission, page.pk) if submission else None


@hooks.register("before_move_page")
def refuse_move_while_in_review(request, page, destination):
    submission = open_submission_of(page)
    return _refuse(request, submission, page.pk) if submission else None


@hooks.register("before_copy_page")
def refuse_publishing_copy_while_in_review(request, page):
    """A plain copy is a new draft; a published copy or an alias would publish what is under review."""
    if request.method != "POST" or not {"publish_copies", "alias"} & set(request.POST):
        return None
    submission = open_submission_of(page)
    return _refuse(request, submission, page.pk) if submission else None


@hooks.register("before_bulk_action")
def refuse_bulk_actions_while_in_review(request, action_type, objects, action_class_instance):
    if action_type in LOCKED_BULK_ACTIONS:
        states = OPEN_STATES
    elif action_type == "delete":
        states = ACTIVE_STATES
    else:
        return None
    page_ids = [getattr(obj, "pk", None) for obj in objects]
    if not Submission.objects.filter(page_id__in=page_ids, state__in=states).exists():
        return None
    messages.error(
        request,
        _("Some of these records are in the review workflow, which owns them until its decision: leave them out."),
    )
    return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_explore_root")


@hooks.register("before_delete_page")
def refuse_delete_while_in_review(request, page):
    if not Submission.objects.filter(page_id=page.pk, state__in=ACTIVE_STATES).exists():
        return None
    messages.error(request, _("This record is under review; withdraw or decide it before deleting it."))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("construct_explorer_page_queryset")
def annotate_what_the_authority_asks(parent_page, pages, request):
    return access.annotate_for_listing(pages, request.user)


@hooks.register("construct_explorer_page_queryset")
def show_review_state_in_explorer(parent_page, pages, request):
    """The listing's status reads ``review_status`` (see ``RecordPage.status_string``): one subquery."""
    state = Subquery(Submission.objects.filter(page_id=OuterRef("pk"), state__in=OPEN_STATES).values("state")[:1])
    labels = [When(open_review_state=value, then=Value(str(State(value).label))) for value in OPEN_STATES]
    return pages.alias(open_review_state=state).annotate(review_status=Case(*labels, default=Value("")))


@hooks.register("construct_explorer_page_queryset")
def read_review_locks_with_the_listing(parent_page, pages, request):
    """Each row's review lock (``RecordPage.get_lock``) from the listing's own query, not one query per row."""
    return annotate_open_submission(pages)


@hooks.register("construct_homepage_panels")
def add_review_queue_panel(request, panels):
    panel = dashboard.panel_for(request.user)
    if panel is not None:
        panels.append(panel)


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    page_log.register(actions)


class AuthorityDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API's documents (choosers, rich text): the restricted ones to their readers only."""

    def get_queryset(self):
        hidden = access.hidden_document_ids(self.request.user)
        documents = super().get_queryset()
        return documents.exclude(pk__in=hidden) if hidden else documents


@hooks.register("construct_admin_api", order=100)
def restrict_admin_api_documents(router):
    """Runs after Wagtail's documents app registered its endpoint (hooks run by ``order``)."""
    router.register_endpoint("documents", AuthorityDocumentsAdminAPIViewSet)


class AuthorityImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """The admin API's images (rich text, choosers): images only drafts use to their readers only."""

    def get_queryset(self):
        hidden = access.hidden_image_ids(self.request.user)
        images = super().get_queryset()
        return images.exclude(pk__in=hidden) if hidden else images


@hooks.register("construct_admin_api", order=100)
def restrict_admin_api_images(router):
    """Runs after Wagtail's images app registered its endpoint (hooks run by ``order``)."""
    router.register_endpoint("images", AuthorityImagesAdminAPIViewSet)
