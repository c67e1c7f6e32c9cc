from django.contrib.auth.management import create_permissions
from django.db import migrations

from cms.accounts.roles import ensure_roles


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps, strict=False)
    # Wagtail's own starter groups would sit beside our roles and confuse; drop them while unused.
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=["Moderators", "Editors"], user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "__latest__"),
        ("wagtaildocs", "__latest__"),
        ("wagtailimages", "__latest__"),
        ("wagtailadmin", "__latest__"),
        ("wagtail_localize", "__latest__"),
        ("site_settings", "0001_initial"),
        ("vocabularies", "0002_load_vocabularies"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
