"""Keep the Wagtail admin and the review flow from disagreeing.

Records are published by the flow's publish step only. While a record has an open submission, the
admin offers no Publish action and refuses publishing (and deleting an active one) by any other door:
editors still open and edit it in the admin (their edits become the revision the flow publishes).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.utils import get_valid_next_url_from_request

from workflows.permissions import ACTIVE_STATES, OPEN_STATES

from .models import Submission

PUBLISHING_ACTIONS = {"action-publish", "action-submit", "action-restart-workflow"}


def _open_submission_ids(page_ids) -> set[int]:
    return set(Submission.objects.filter(page_id__in=page_ids, state__in=OPEN_STATES).values_list("page_id", flat=True))


@hooks.register("construct_page_action_menu")
def hide_publish_while_in_review(menu_items, request, context):
    page = context.get("page")
    if page is None or page.pk is None or not _open_submission_ids([page.pk]):
        return
    menu_items[:] = [item for item in menu_items if item.name not in PUBLISHING_ACTIONS]


@hooks.register("before_edit_page")
def refuse_publish_while_in_review(request, page):
    if request.method != "POST" or not PUBLISHING_ACTIONS & set(request.POST):
        return None
    if not _open_submission_ids([page.pk]):
        return None
    messages.error(request, _("This record is in the review workflow: it is published by the editor's decision."))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_bulk_publish_while_in_review(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    if not _open_submission_ids([getattr(obj, "pk", None) for obj in objects]):
        return None
    messages.error(request, _("Some of these records are in the review workflow: they are published by its decisions."))
    return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_explore_root")


@hooks.register("before_delete_page")
def refuse_delete_while_in_review(request, page):
    if not Submission.objects.filter(page_id=page.pk, state__in=ACTIVE_STATES).exists():
        return None
    messages.error(request, _("This record is under review; withdraw or decide it before deleting it."))
    return redirect("wagtailadmin_pages:edit", page.pk)
