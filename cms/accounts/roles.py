"""The portal's roles as Django groups, with the permissions each needs.

Roles are global; what a person may do to one object also depends on per-object grants
(django-guardian) that the review flows give and take back. ``ensure_roles`` is idempotent: the
data migration calls it, and it runs again after every ``migrate`` so that apps added later
(records, awards…) extend the roles through ``ROLE_PERMISSIONS``.
"""

import logging

from django.apps import apps as global_apps
from django.utils.translation import gettext_noop

logger = logging.getLogger(__name__)

ADMINISTRATOR = "Administrator"
EDITOR = "Editor"
REVIEWER = "Reviewer"
SUBMITTER = "Submitter"
AWARD_COMMITTEE = "Award committee"
ROLE_NAMES = [ADMINISTRATOR, EDITOR, REVIEWER, SUBMITTER, AWARD_COMMITTEE]

# Marked for translation where they are shown to people.
ROLE_LABELS = {
    ADMINISTRATOR: gettext_noop("Administrator"),
    EDITOR: gettext_noop("Editor"),
    REVIEWER: gettext_noop("Reviewer"),
    SUBMITTER: gettext_noop("Submitter"),
    AWARD_COMMITTEE: gettext_noop("Award committee"),
}

_VOCABULARY_MODELS = ["gbfgoal", "gbftarget", "region", "country", "subject", "language"]

# Model permissions per role, as "app_label.codename". Permissions of apps that are not installed
# are skipped, so that later apps add theirs here without breaking earlier migrations.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    ADMINISTRATOR: ["*"],
    EDITOR: [
        "wagtailadmin.access_admin",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtail_localize.submit_translation",
        "site_settings.change_portalsettings",
        *[f"vocabularies.{action}_{model}" for model in _VOCABULARY_MODELS for action in ("add", "change", "view")],
        *[f"networks.{action}_networkmembership" for action in ("add", "change", "delete", "view")],
        "review.screen_submission",
        "review.assign_reviewers",
        "review.decide_submission",
    ],
    REVIEWER: ["review.review_submission"],
    SUBMITTER: ["review.add_submission", "review.revise_submission"],
    AWARD_COMMITTEE: [],
}

# Wagtail page permissions on the whole tree, per role.
ROLE_PAGE_PERMISSIONS: dict[str, list[str]] = {
    ADMINISTRATOR: ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
    EDITOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}

# Wagtail collection permissions (documents and images) on the root collection, per role.
ROLE_COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    ADMINISTRATOR: [
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.delete_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.delete_image",
        "wagtailimages.choose_image",
    ],
    EDITOR: [
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ],
}


def _permission(models, dotted: str):
    app_label, codename = dotted.split(".", 1)
    return models["Permission"].objects.filter(content_type__app_label=app_label, codename=codename).first()


def ensure_roles(apps=global_apps, *, strict: bool = True) -> None:
    """Create the role groups and give them their permissions; safe to run any number of times.

    ``strict`` warns about declared permissions that do not exist: a typo once every app has
    migrated, but expected from the early data migration, before later apps' models exist."""
    models = {
        "Group": apps.get_model("auth", "Group"),
        "Permission": apps.get_model("auth", "Permission"),
    }
    installed = {config.label for config in global_apps.get_app_configs()}
    for role in ROLE_NAMES:
        group, _ = models["Group"].objects.get_or_create(name=role)
        wanted = ROLE_PERMISSIONS.get(role, [])
        if wanted == ["*"]:
            group.permissions.set(models["Permission"].objects.all())
        else:
            permissions = []
            for dotted in wanted:
                permission = _permission(models, dotted)
                if permission is None:
                    if strict and dotted.split(".")[0] in installed:
                        logger.warning("Role %s: permission %s does not exist yet", role, dotted)
                    continue
                permissions.append(permission)
            group.permissions.add(*permissions)
        _ensure_tree_permissions(apps, models, group, role)


def _ensure_tree_permissions(apps, models, group, role) -> None:
    try:
        Page = apps.get_model("wagtailcore", "Page")
        GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
        Collection = apps.get_model("wagtailcore", "Collection")
        GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    except LookupError:
        return
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in ROLE_PAGE_PERMISSIONS.get(role, []):
            permission = _permission(models, f"wagtailcore.{codename}")
            if permission is not None:
                GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for dotted in ROLE_COLLECTION_PERMISSIONS.get(role, []):
            permission = _permission(models, dotted)
            if permission is not None:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )


def sync_roles_after_migrate(sender, app_config=None, using="default", plan=None, **kwargs):
    """post_migrate runs once per app that has models; the roles only need syncing once, after the
    last of those."""
    with_models = [config for config in global_apps.get_app_configs() if config.models_module is not None]
    if app_config is None or not with_models or app_config is not with_models[-1]:
        return
    # Our receiver may run before auth's for this last app (apps connect in INSTALLED_APPS order):
    # create its permissions first so that the Administrator role gets them too.
    from django.contrib.auth.management import create_permissions

    create_permissions(app_config, verbosity=0, using=using)
    ensure_roles()
