"""Repair records published before the workspace asked their language (see workflows/review/repair.py).

Moving a page to another locale's tree and making aliases are methods and signal receivers of the
real Wagtail models (tree paths, copied relations, search and reference indexes), which historical
models do not have; so the historical models only tell whether there is anything to repair (an empty
database has nothing), and the repair itself runs with the real models.
"""

from django.db import ProgrammingError, migrations, transaction


def repair(apps, schema_editor):
    RecordPage = apps.get_model("records", "RecordPage")
    if not RecordPage.objects.filter(live=True).exists():
        return
    from workflows.review.repair import repair_record_languages

    try:
        with transaction.atomic():
            report = repair_record_languages(move_misfiled=True)
    except ProgrammingError as error:
        # The current models may already expect columns that later migrations add: the repair is
        # idempotent, so it is left for after the upgrade rather than blocking it.
        print(
            f"\n  Records not repaired now ({error.__class__.__name__}); after migrating, run:"
            "\n  manage.py repair_record_languages --move-misfiled"
        )
        return
    if report.changed:
        print(f"\n  {len(report.moved)} records moved to their language, aliases added to {len(report.aliases)}.")


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_role_permissions"),
        ("records", "0002_identifier_sequence"),
        ("home", "0002_create_home_and_locales"),
        ("vocabularies", "0004_load_languages"),
        ("chm_search", "0003_newest_first_index"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
