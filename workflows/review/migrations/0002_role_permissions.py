"""Give the roles the review permissions listed in ``ROLE_PERMISSIONS``.

The roles are otherwise filled by ``accounts``' own migration, which runs before this app exists, so
the review's permissions are created and granted here (idempotent, like ``ensure_roles``).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_review_permissions(apps, schema_editor):
    from cms.accounts.roles import ROLE_PERMISSIONS

    app_config = apps.get_app_config("review")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    review_permissions = Permission.objects.filter(content_type__app_label="review")
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        if wanted == ["*"]:
            group.permissions.add(*review_permissions)
            continue
        codenames = [dotted.split(".", 1)[1] for dotted in wanted if dotted.startswith("review.")]
        group.permissions.add(*review_permissions.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("accounts", "0002_create_roles"),
    ]

    operations = [migrations.RunPython(grant_review_permissions, migrations.RunPython.noop)]
