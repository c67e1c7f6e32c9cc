# The entries' index on their text becomes (text, language): a search that found its texts reads the
# visitor language's entries of those texts only, not all six. Added before the old one goes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("chm_search", "0006_search_vector_uncompressed"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["text", "locale"], name="chm_search_text_locale"),
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="text",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="entries",
                to="chm_search.searchtext",
                verbose_name="text",
            ),
        ),
    ]
