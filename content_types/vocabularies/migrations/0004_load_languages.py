from django.db import migrations

from content_types.vocabularies.loaders import load_languages


def load(apps, schema_editor):
    load_languages({"Language": apps.get_model("vocabularies", "Language")})


class Migration(migrations.Migration):
    dependencies = [("vocabularies", "0003_language")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
