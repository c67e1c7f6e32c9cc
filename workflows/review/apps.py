from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "workflows.review"
    label = "review"
    verbose_name = _("Submission review")

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from content_types.base.models import AccessControlledPage
        from content_types.records.models import RecordPage
        from workflows import access

        from . import flows  # noqa: F401  (defines the flow, whose nodes add the process permissions)
        from .events import register_review_events
        from .inbox import register_review_inbox
        from .locks import review_lock

        if review_lock not in RecordPage.lock_sources:
            RecordPage.lock_sources.append(review_lock)
        register_review_events()
        register_review_inbox()
        # One authority for who sees what: page testers, and the page policy behind listings and reports.
        if access.permission_tester not in AccessControlledPage.permission_testers:
            AccessControlledPage.permission_testers.append(access.permission_tester)
        register_permission_policy(Page, access.AuthorityPagePermissionPolicy(Page))
        # Exact class: Wagtail's documents app registers its own policy in its ``ready``, after ours.
        Document = get_document_model()
        register_permission_policy(
            Document,
            access.AuthorityDocumentPermissionPolicy(
                Document, auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
            ),
            exact_class=True,
        )
        Image = get_image_model()
        register_permission_policy(
            Image,
            access.AuthorityImagePermissionPolicy(
                Image, auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user"
            ),
            exact_class=True,
        )
