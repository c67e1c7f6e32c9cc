"""Wagtail images answer through the access authority: drafts' images to their readers, the rest public."""

import pytest
from django.urls import NoReverseMatch, reverse
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from tests.security import test_access_walk as walk
from tests.security.test_access_walk import IMAGE_WORDS, _image, _show_image, client_as
from workflows.access import (
    Access,
    AuthorityImagePermissionPolicy,
    hidden_image_ids,
    may,
    restricted_image_ids,
)

pytestmark = pytest.mark.django_db

world = walk.world  # the walk's world, with its images


def test_the_image_policy_is_the_authority():
    assert isinstance(policy_registry.get_by_type(get_image_model()), AuthorityImagePermissionPolicy)


def test_images_only_drafts_use_are_restricted_and_the_published_one_is_not(world):
    images = world.images
    assert restricted_image_ids() == {images["draft"].pk, images["review"].pk}


def test_a_kenyan_submissions_image_is_refused_to_a_french_national_editor(world):
    image = world.images["review"]
    editor = world.users.national_editor_fr
    assert not may(editor, Access.READ, image)
    assert image.pk in hidden_image_ids(editor)
    client = client_as(world, "national_editor_fr")
    for name in ("wagtailimages:edit", "wagtailimages:delete", "wagtailimages:image_usage"):
        response = client.get(reverse(name, args=[image.pk]))
        assert response.status_code in (302, 403, 404), (name, response.status_code)
        assert IMAGE_WORDS["review"] not in response.content.decode()
    response = client.get(reverse("wagtailimages_chooser:chosen", args=[image.pk]))
    assert response.status_code in (302, 403, 404)
    response = client.get(reverse("wagtailimages:preview", args=[image.pk, "width-20"]))
    assert response.status_code in (302, 403) and not response.get("Content-Type", "").startswith("image/")
    # The public image stays the French editor's to open.
    assert client.get(reverse("wagtailimages:edit", args=[world.images["published"].pk])).status_code == 200


def test_the_secretariat_chooses_the_review_image_but_does_not_change_it_while_in_review(world):
    image = world.images["review"]
    client = client_as(world, "secretariat_editor")
    assert client.get(reverse("wagtailimages_chooser:chosen", args=[image.pk])).status_code == 200
    assert client.get(reverse("wagtailimages:edit", args=[image.pk])).status_code in (302, 403)
    before = get_image_model().objects.filter(pk=image.pk).values("title").get()
    client.post(reverse("wagtailimages:delete", args=[image.pk]))
    client.post(reverse("wagtailimages:edit", args=[image.pk]), {"title": "Renamed"})
    assert get_image_model().objects.filter(pk=image.pk).values("title").get() == before


@pytest.mark.parametrize("role", ["submitter_ke", "reviewer_other", "anonymous"])
def test_other_people_and_strangers_do_not_see_a_drafts_image(role, world):
    user = getattr(world.users, role, None)
    image = world.images["draft"]
    if user is not None:
        assert not may(user, Access.READ, image)
    response = client_as(world, role).get(reverse("wagtailimages:edit", args=[image.pk]))
    assert response.status_code in (302, 403, 404)
    assert IMAGE_WORDS["draft"] not in response.content.decode()


def test_the_submitter_reads_its_drafts_image(world):
    assert may(world.users.submitter_fr, Access.READ, world.images["draft"])
    assert may(world.users.submitter_ke, Access.READ, world.images["review"])


def test_an_image_turns_public_when_its_record_goes_live(world):
    """The same image shown by the published record too: a live page shows it, so it is public."""
    image = world.images["review"]
    _show_image(world.pages["published"], image)  # a revision of a live page: not on its row yet
    assert image.pk in restricted_image_ids()
    from content_types.records.models import NeedPage

    page = NeedPage.objects.get(pk=world.pages["published"].pk).get_latest_revision_as_object()
    page.get_latest_revision().publish()
    assert image.pk not in restricted_image_ids()
    assert may(world.users.national_editor_fr, Access.READ, image)


def test_an_unused_image_of_the_review_collection_is_its_uploaders_only(world):
    from workflows.access import restricted_collection_id

    collection_id = restricted_collection_id()  # the world's uploads created it
    assert collection_id is not None
    image = _image("staged-photo", world.users.secretariat_editor)
    image.collection_id = collection_id
    image.save()
    assert may(world.users.secretariat_editor, Access.READ, image)
    assert not may(world.users.administrator, Access.READ, image)


def test_listing_and_chooser_hide_restricted_images_at_no_cost_per_image(world):
    """The authority's answer costs the same however many images are listed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(world, "national_editor_fr")
    urls = [reverse("wagtailimages:index"), reverse("wagtailimages_chooser:choose")]

    def count():
        total = 0
        for url in urls:
            client.get(url)  # warm: renditions of the thumbnails, per-request caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            total += len(queries)
        return total

    few = count()
    for index in range(6):
        _image(f"extra-public-photo-{index}", world.users.secretariat_editor)
    many = count()
    assert many - few <= 2, (few, many)
    for url in urls:
        body = client.get(url).content.decode()
        assert IMAGE_WORDS["published"] in body and "extra-public-photo-5" in body
        assert IMAGE_WORDS["review"] not in body and IMAGE_WORDS["draft"] not in body


def test_no_image_serve_view_and_no_original_image_on_a_public_path(world, client):
    with pytest.raises(NoReverseMatch):
        reverse("wagtailimages_serve", args=("sig", 1, "width-20"))
    for image in world.images.values():
        assert client.get("/media/" + image.file.name).status_code == 404
