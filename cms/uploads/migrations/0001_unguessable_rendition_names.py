"""Give every existing image rendition an unguessable name (cms/uploads/renditions.py).

Each file is copied under its new name and the old one removed, so that no rendition has to be made
again; a rendition whose file is missing loses its row and is made again when a page needs it.
"""

from django.db import migrations, transaction


def rename_renditions(apps, schema_editor):
    from cms import content_version
    from cms.uploads.renditions import rendition_token, unguessable_name

    Rendition = apps.get_model("wagtailimages", "Rendition")
    storage = Rendition._meta.get_field("file").storage
    renamed = []
    for pk, name in Rendition.objects.values_list("pk", "file").order_by("pk").iterator():
        if rendition_token(name):
            continue
        if not name or not storage.exists(name):
            Rendition.objects.filter(pk=pk).delete()
            continue
        with storage.open(name) as content:
            new_name = storage.save(unguessable_name(name), content)
        Rendition.objects.filter(pk=pk).update(file=new_name)
        renamed.append(name)
    if renamed:
        # The old files go once the new names are committed; a migration that rolls back keeps them.
        transaction.on_commit(lambda: [storage.delete(name) for name in renamed])
        content_version.bump()  # cached listing cards name the old addresses


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RunPython(rename_renditions, migrations.RunPython.noop, elidable=True),
    ]
