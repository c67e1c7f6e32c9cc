# Titles in byte order of their upper case, for suggestions: a prefix is a range of this index, walked in
# order and left after the few titles shown (a common prefix read every matching title and entry, 0.3-2.5 s
# at 100,000 records). PostgreSQL only, as the other search indexes.

from django.db import migrations, models
from django.db.models.functions import Collate, Upper

import search.operations


class Migration(migrations.Migration):
    dependencies = [
        ("chm_search", "0009_codes_by_language"),
    ]

    operations = [
        search.operations.AddPostgresIndex(
            model_name="searchtext",
            index=models.Index(Collate(Upper("title"), "C"), name="chm_search_text_title_prefix"),
        ),
    ]
