from django.db import migrations

from content_types.vocabularies.loaders import load_vocabularies


def load(apps, schema_editor):
    names = ["GBFGoal", "GBFTarget", "Region", "Country", "Subject"]
    load_vocabularies({name: apps.get_model("vocabularies", name) for name in names})


class Migration(migrations.Migration):
    dependencies = [("vocabularies", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
