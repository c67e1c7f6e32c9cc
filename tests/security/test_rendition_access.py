"""Renditions of images only drafts show cannot be fetched by guessing their addresses.

Renditions are files on a public path (``/media/images/``, served by the proxy, or by the portal
with ``SERVE_MEDIA``). Their names carry a random token (``cms/uploads/renditions.py``), so that
the address Wagtail would have given them (the original's name and the filter) answers 404 to
everyone, and the real one is known only to those shown a page with it (the walk checks that the
image's name, and so its rendition's address, is in no response to those who may not see it).
An image that turns private loses its renditions, so that addresses handed out while it was
public stop answering.
"""

import importlib
import re

import pytest
from django.urls import clear_url_caches
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Collection

from cms.uploads import renditions
from tests.caching.test_purge import proxy  # noqa: F401 - the fixture
from tests.security import test_access_walk as walk
from tests.security.test_access_walk import _image, client_as

pytestmark = pytest.mark.django_db

world = walk.world
# What the templates and the admin ask of an image: the record body's block, the admin's thumbnails
# and the image editor's preview.
FILTERS = ("width-960|format-webp", "max-165x165", "max-800x600", "width-20")
MEDIA_ADDRESS = re.compile(r"/media/images/[^\"'\s>]+")


@pytest.fixture
def served_media(settings):
    """The portal serves the renditions itself (``SERVE_MEDIA``), as the proxy would."""
    import cms.urls

    settings.SERVE_MEDIA = True
    importlib.reload(cms.urls)
    clear_url_caches()
    yield
    settings.SERVE_MEDIA = False
    importlib.reload(cms.urls)
    clear_url_caches()


def wagtails_own_name(image, spec: str) -> str:
    """The address plain Wagtail gives the rendition: guessable from the original's name and the filter."""
    return "/media/images/" + image.generate_rendition_file(Filter(spec)).name


def test_rendition_names_carry_a_random_token():
    image = _image("same-name-photo", None)
    other = _image("same-name-photo", None)
    first, second = image.get_rendition("width-20"), other.get_rendition("width-20")

    for rendition in (first, second):
        assert re.fullmatch(r"images/same-name-photo(_\w+)?\.width-20\.[A-Za-z0-9_-]{22}\.png", rendition.file.name)
        assert rendition.file.storage.exists(rendition.file.name)
    assert renditions.rendition_token(first.file.name) != renditions.rendition_token(second.file.name)
    # Originals keep the default storage and their own names.
    assert image.file.name.startswith("original_images/same-name-photo")


# (role, image): the owner, a submitter and a national editor of another country, a stranger.
GUESSERS = [
    ("anonymous", "draft"),
    ("anonymous", "review"),
    ("submitter_ke", "draft"),
    ("submitter_fr", "review"),
    ("national_editor_fr", "review"),
    ("reviewer_other", "review"),
    ("submitter_fr", "draft"),
    ("submitter_ke", "review"),
]


@pytest.mark.parametrize(("role", "image_key"), GUESSERS)
def test_a_private_images_renditions_cannot_be_guessed_by_anyone(role, image_key, world, served_media):
    image = world.images[image_key]
    made = [image.get_rendition(spec) for spec in FILTERS]  # as the draft's readers' pages made them
    client = client_as(world, role)
    for spec, rendition in zip(FILTERS, made, strict=True):
        guessed = wagtails_own_name(image, spec)
        assert guessed != rendition.url
        assert client.get(guessed).status_code == 404, (role, guessed)
        assert client.get(guessed.replace("/media/", "/media/original_")).status_code == 404
    # The stored original is on no public path either.
    assert client.get("/media/" + image.file.name).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "submitter_ke", "national_editor_fr", "reviewer_other"])
def test_pages_shown_to_others_never_name_a_private_images_renditions(role, world, served_media):
    tokens = {
        key: {renditions.rendition_token(world.images[key].get_rendition(spec).file.name) for spec in FILTERS}
        for key in ("draft", "review")
        if key not in walk.READS_IMAGES[role]
    }
    assert tokens
    client = client_as(world, role)
    urls = ["/en/", world.pages["published"].url, "/en/workspace/", "/admin/images/", "/admin/images/chooser/"]
    for url in urls:
        body = client.get(url).content.decode(errors="replace")
        for key, secret in tokens.items():
            assert not any(token in body for token in secret), (role, url, key)


def test_the_owner_fetches_its_drafts_rendition_at_its_real_address(world, served_media):
    rendition = world.images["draft"].get_rendition("width-960|format-webp")
    response = client_as(world, "submitter_fr").get(rendition.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"RIFF"


def test_a_public_images_rendition_answers_everyone_with_its_cache_tag(world, served_media, client):
    page = client.get(world.pages["published"].url)
    addresses = MEDIA_ADDRESS.findall(page.content.decode())
    assert addresses, "the published record shows its image"
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        tag = renditions.cache_tag(address)
        assert tag is not None and tag in response["xkey"].split()


def test_unpublishing_the_record_kills_its_images_rendition_addresses(
    world,
    served_media,
    client,
    proxy,  # noqa: F811 - the fixture imported above
    django_capture_on_commit_callbacks,
):
    image = world.images["published"]
    rendition = image.get_rendition("width-960|format-webp")
    address, tag = rendition.url, renditions.cache_tag(rendition.file.name)
    assert client.get(address).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        world.pages["published"].specific.unpublish()

    assert not image.renditions.exists()
    assert client.get(address).status_code == 404
    assert not rendition.file.storage.exists(rendition.file.name)
    assert any(tag in tags for tags in proxy.purged_tags())
    # A reader still allowed to see it gets a new address.
    again = get_image_model().objects.get(pk=image.pk).get_rendition("width-960|format-webp")
    assert again.url != address and client.get(again.url).status_code == 200


def test_deleting_the_live_record_kills_its_images_rendition_addresses(world, django_capture_on_commit_callbacks):
    """Once only the French draft shows the image, it is the draft's readers' only."""
    from tests.security.test_access_walk import _show_image

    image = world.images["published"]
    _show_image(world.pages["draft"], image)
    rendition = image.get_rendition("width-20")
    with django_capture_on_commit_callbacks(execute=True):
        world.pages["published"].specific.delete()
    assert not image.renditions.exists()
    assert not rendition.file.storage.exists(rendition.file.name)


def test_moving_an_image_into_the_review_collection_kills_its_rendition_addresses(
    world, django_capture_on_commit_callbacks
):
    from workflows.access import restricted_collection_id

    image = _image("public-then-private", world.users.secretariat_editor)
    rendition = image.get_rendition("width-20")
    image.collection = Collection.objects.get(pk=restricted_collection_id())
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    assert not image.renditions.exists()
    assert not rendition.file.storage.exists(rendition.file.name)


def test_a_public_images_renditions_survive_other_changes(world, django_capture_on_commit_callbacks):
    image = world.images["published"]
    rendition = image.get_rendition("width-20")
    with django_capture_on_commit_callbacks(execute=True):
        image.title = "Renamed wetland photo"
        image.save()
        world.pages["published"].specific.save_revision().publish()
    assert list(image.renditions.all()) == [rendition]


def test_the_migration_renames_existing_renditions_and_keeps_them_working(
    world, served_media, client, django_capture_on_commit_callbacks
):
    from django.apps import apps as django_apps

    migration = importlib.import_module("cms.uploads.migrations.0001_unguessable_rendition_names")
    image = world.images["published"]
    rendition = image.get_rendition("width-20")
    storage = rendition.file.storage
    old_name = storage.save("images/legacy-photo.width-20.png", rendition.file.open("rb"))
    type(rendition).objects.filter(pk=rendition.pk).update(file=old_name)
    missing = image.get_rendition("max-165x165")
    storage.delete(missing.file.name)
    type(missing).objects.filter(pk=missing.pk).update(file="images/gone.max-165x165.png")

    with django_capture_on_commit_callbacks(execute=True):
        migration.rename_renditions(django_apps, None)

    renamed = type(rendition).objects.get(pk=rendition.pk)
    assert renditions.rendition_token(renamed.file.name)
    assert renamed.file.name.startswith("images/legacy-photo.width-20.")
    assert client.get(renamed.url).status_code == 200
    assert not storage.exists(old_name)
    assert client.get("/media/" + old_name).status_code == 404
    assert not type(missing).objects.filter(pk=missing.pk).exists()  # made again when needed
