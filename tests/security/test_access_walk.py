"""Walk every id-bearing admin and document address as every role: what one may not open never leaks.

A small world: a French submitter's unsubmitted draft, a Kenyan submission in review (several
revisions, an attachment), a published French record with a public attachment; each record's body
shows an image of its own (the draft's and the review's are private to their readers, the published
record's is public). The addresses are
enumerated from the URL patterns themselves, so that an admin view added by a later Wagtail is
walked too (or named below with the reason it needs no walk). A denial is a 403, a 404 or a
redirect (to the sign-in page or the dashboard), and the object's own words are never in the body.
"""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.accounts import roles
from content_types.records.models import NeedPage, RecordAttachment
from content_types.vocabularies.models import Country
from tests.records.factories import NeedFactory
from tests.workflows.helpers import assign, new_need, refreshed, screen
from workflows.access import Access, may
from workflows.permissions import State
from workflows.review import services
from workflows.review.documents import public_collection, store_upload

pytestmark = pytest.mark.django_db

DRAFT_WORDS = "Unsubmitted French draft on seagrass"
REVIEW_WORDS = "Kenyan mangrove plan in review"
PUBLISHED_WORDS = "French published wetland record"
DRAFT_FILE = "fr-draft-budget.pdf"
REVIEW_FILE = "ke-review-annex.pdf"
PUBLIC_FILE = "fr-public-leaflet.pdf"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DRAFT_IMAGE = "fr-draft-seagrass-photo"
REVIEW_IMAGE = "ke-review-mangrove-photo"
PUBLIC_IMAGE = "fr-public-wetland-photo"

# Which world objects each role may open in the admin (and so read there); everything else denied.
ADMIN_OPENS = {
    "anonymous": set(),
    "submitter_fr": set(),
    "submitter_ke": set(),
    "reviewer_assigned": set(),
    "reviewer_other": set(),
    "committee": set(),
    "national_editor_fr": {"published"},
    "secretariat_editor": {"review", "published"},
    "administrator": {"review", "published"},
    "superuser": {"review", "published"},
}
# Which restricted files each role may download (the public one is everyone's).
READS_FILES = {
    "anonymous": set(),
    "submitter_fr": {"draft"},
    "submitter_ke": {"review"},
    "reviewer_assigned": {"review"},
    "reviewer_other": set(),
    "committee": set(),
    "national_editor_fr": set(),
    "secretariat_editor": {"review"},
    "administrator": {"review"},
    "superuser": {"review"},
}

# Which images each role may see (the public one is everyone's): the readers of the record showing it.
READS_IMAGES = READS_FILES

# Admin patterns carrying an id that the walk does not request, and why.
NOT_WALKED = {
    "wagtailadmin_pages:workflow_action": "Wagtail moderation workflows are disabled (records have none)",
    "wagtailadmin_pages:collect_workflow_action_data": "Wagtail moderation workflows are disabled",
    "wagtailadmin_pages:confirm_workflow_cancellation": "Wagtail moderation workflows are disabled",
    "wagtailadmin_pages:workflow_preview": "Wagtail moderation workflows are disabled",
    "wagtailadmin_pages:workflow_history_detail": "needs a Wagtail workflow state; none exists",
    "wagtailadmin_pages:revisions_unschedule": "needs a scheduled revision; the lock refuses scheduling",
    "wagtailadmin_pages:move_confirm": "walked through move (same permission check)",
    "wagtailadmin_pages:add": "a parent id: walked as add_subpage",
    "wagtailadmin_pages:preview_on_add": "a parent id: walked as add_subpage",
    "wagtailadmin_api:pages:action": "POST actions; denials walked through the views they share checks with",
    "wagtailimages:create_multiple_from_uploaded_image": "an upload's id: Wagtail answers its uploader only",
    "wagtailimages:delete_upload_multiple": "an upload's id: Wagtail answers its uploader only",
}
PAGE_KWARGS = {"page_id", "parent_page_id", "page_to_move_id", "pk", "page_pk"}
DOCUMENT_KWARGS = {"document_id", "doc_id", "pk"}
IMAGE_KWARGS = {"image_id", "pk"}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), namespace + pattern.name, pattern.pattern.regex.groupindex


def id_patterns():
    """(name, route, kwargs) of every admin pattern about a page, a document or an image."""
    found = {}
    for route, name, groups in _walk(get_resolver().url_patterns):
        if not route.startswith("admin/"):
            continue
        kwargs = set(groups)
        is_page = name.startswith(("wagtailadmin_pages:", "wagtailadmin_api:pages:")) or name in {
            "wagtailadmin_explore",
            "wagtailadmin_explore_results",
            "wagtailadmin_choose_page_child",
            "wagtail_localize:submit_page_translation",
            "wagtail_localize:convert_to_alias",
        }
        is_document = name.startswith(("wagtaildocs:", "wagtaildocs_chooser:", "wagtailadmin_api:documents:"))
        is_image = name.startswith(("wagtailimages:", "wagtailimages_chooser:", "wagtailadmin_api:images:"))
        if (is_page and kwargs & PAGE_KWARGS) or (is_document and kwargs & DOCUMENT_KWARGS):
            found[(name, route)] = (kwargs, "page" if is_page else "document")
        elif is_image and kwargs & (IMAGE_KWARGS | {"uploaded_file_id"}):
            found[(name, route)] = (kwargs, "image")
    return found


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _png(name):
    from io import BytesIO

    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), (30, 120, 60)).save(buffer, "PNG")
    return SimpleUploadedFile(f"{name}.png", buffer.getvalue(), content_type="image/png")


def _image(title, user):
    return get_image_model().objects.create(title=title, file=_png(title), uploaded_by_user=user)


def _show_image(page, image):
    """The record's body shows the image: on the draft's row (as the workspace saves drafts) and in a revision."""
    page = NeedPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    page.body = [("image", {"image": image, "alt_text": image.title, "caption": ""})]
    if not page.live:
        page.save()
    return page.save_revision(user=image.uploaded_by_user)


def _attach(page, document, user):
    page = NeedPage.objects.get(pk=page.pk)
    page = page.get_latest_revision_as_object()
    page.attachments = [RecordAttachment(document=document)]
    return page.save_revision(user=user)


def _profile(user, country=None):
    user.profile.country = country
    user.profile.save()
    return user


@pytest.fixture
def world(site_pages, make_user, django_user_model):
    france, kenya = Country.objects.get(code="FR"), Country.objects.get(code="KE")
    users = SimpleNamespace(
        submitter_fr=_profile(make_user("walk-submitter-fr", roles.SUBMITTER), france),
        submitter_ke=_profile(make_user("walk-submitter-ke", roles.SUBMITTER), kenya),
        reviewer_assigned=make_user("walk-reviewer-a", roles.REVIEWER),
        reviewer_other=make_user("walk-reviewer-b", roles.REVIEWER),
        committee=make_user("walk-committee", roles.AWARD_COMMITTEE),
        national_editor_fr=_profile(make_user("walk-editor-fr", roles.EDITOR), france),
        secretariat_editor=_profile(make_user("walk-editor", roles.EDITOR)),
        administrator=make_user("walk-admin", roles.ADMINISTRATOR),
        superuser=django_user_model.objects.create_superuser("walk-root", "root@example.org", "x-password-x"),
    )

    draft = new_need(users.submitter_fr, title=DRAFT_WORDS)
    draft_file = store_upload(_pdf(DRAFT_FILE), users.submitter_fr)
    _attach(draft.page, draft_file, users.submitter_fr)
    images = {
        "draft": _image(DRAFT_IMAGE, users.submitter_fr),
        "review": _image(REVIEW_IMAGE, users.submitter_ke),
        "published": _image(PUBLIC_IMAGE, users.secretariat_editor),
    }
    _show_image(draft.page, images["draft"])

    review = new_need(users.submitter_ke, title="Kenyan mangrove plan, first notes")
    review_file = store_upload(_pdf(REVIEW_FILE), users.submitter_ke)
    page = NeedPage.objects.get(pk=review.page_id).get_latest_revision_as_object()
    page.title = page.draft_title = REVIEW_WORDS
    page.save_revision(user=users.submitter_ke)
    _show_image(review.page, images["review"])
    _attach(review.page, review_file, users.submitter_ke)
    services.submit(review.pk, users.submitter_ke)
    screen(refreshed(review), users.secretariat_editor)
    assign(refreshed(review), users.secretariat_editor, [users.reviewer_assigned])
    review = refreshed(review)
    assert review.state == State.IN_REVIEW

    public_file = get_document_model().objects.create(
        title=PUBLIC_FILE, file=_pdf(PUBLIC_FILE), collection=public_collection()
    )
    published = NeedFactory(title=PUBLISHED_WORDS, countries=[france])
    published.attachments = [RecordAttachment(document=public_file)]
    published.save_revision(user=users.superuser).publish()

    pages = {
        "draft": Page.objects.get(pk=draft.page_id),
        "review": Page.objects.get(pk=review.page_id),
        "published": Page.objects.get(pk=published.pk),
    }
    files = {"draft": draft_file, "review": review_file, "published": public_file}
    published.body = [("image", {"image": images["published"], "alt_text": PUBLIC_IMAGE, "caption": ""})]
    published.save_revision(user=users.superuser).publish()
    pages["published"] = Page.objects.get(pk=published.pk)
    return SimpleNamespace(users=users, pages=pages, files=files, images=images, review=review)


WORDS = {"draft": DRAFT_WORDS, "review": REVIEW_WORDS, "published": PUBLISHED_WORDS}
FILE_WORDS = {"draft": DRAFT_FILE, "review": REVIEW_FILE, "published": PUBLIC_FILE}
IMAGE_WORDS = {"draft": DRAFT_IMAGE, "review": REVIEW_IMAGE, "published": PUBLIC_IMAGE}


def client_as(world, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world.users, role))
    return client


def _kwargs_for(kwargs, kind, obj_key, world):
    page = world.pages[obj_key]
    values = {}
    for name in kwargs:
        if kind == "page" and name in PAGE_KWARGS:
            values[name] = page.pk
        elif kind == "document" and name in DOCUMENT_KWARGS:
            values[name] = world.files[obj_key].pk
        elif kind == "image" and name in IMAGE_KWARGS:
            values[name] = world.images[obj_key].pk
        elif name == "filter_spec":
            values[name] = "width-20"
        elif name == "revision_id":
            values[name] = page.latest_revision_id
        elif name == "revision_id_a":
            values[name] = "earliest"
        elif name == "revision_id_b":
            values[name] = "latest"
        elif name == "destination_id":
            values[name] = page.get_parent().pk
        else:
            return None
    return values


def _addresses(world, obj_key):
    """Every walked admin address about one world object."""
    addresses = []
    for (name, route), (kwargs, kind) in sorted(id_patterns().items()):
        if name in NOT_WALKED:
            continue
        values = _kwargs_for(kwargs, kind, obj_key, world)
        assert values is not None, f"{name} ({route}) takes ids the walk cannot fill: add it or say why not"
        addresses.append((name, reverse(name, kwargs=values)))
    return addresses


def assert_denied(response, words, what):
    assert response.status_code in (302, 403, 404), f"{what}: {response.status_code}"
    assert words not in response.content.decode(errors="replace"), f"{what} leaks"
    if response.status_code == 302:
        assert "/documents/" not in response["Location"] or "login" in response["Location"], what


def test_every_id_pattern_is_walked_or_named():
    patterns = id_patterns()
    names = {name for name, _ in patterns}
    assert {"wagtailadmin_pages:edit", "wagtailadmin_pages:revisions_view", "wagtaildocs:edit"} <= names
    assert set(NOT_WALKED) <= names, set(NOT_WALKED) - names


@pytest.mark.parametrize("role", list(ADMIN_OPENS))
def test_admin_addresses_of_the_world_as(role, world):
    client = client_as(world, role)
    leaks = []
    for obj_key in ("draft", "review", "published"):
        opens = obj_key in ADMIN_OPENS[role]
        words = WORDS[obj_key] if obj_key != "published" else FILE_WORDS["published"]
        for name, address in _addresses(world, obj_key):
            kind = "document" if "doc" in name else "image" if "image" in name else "page"
            if kind == "document":
                opens_it = obj_key in READS_FILES[role] or (obj_key == "published" and role in _STAFF)
                words = FILE_WORDS[obj_key]
            elif kind == "image":
                opens_it = obj_key in READS_IMAGES[role] or (obj_key == "published" and role in _STAFF)
                words = IMAGE_WORDS[obj_key]
            else:
                opens_it = opens
            response = client.get(address)
            assert response.status_code < 500, (role, address, response.status_code)
            if opens_it:
                continue
            if response.status_code not in (302, 403, 404, 405) or words in response.content.decode(errors="replace"):
                leaks.append((address, response.status_code))
    assert leaks == [], leaks


_STAFF = {"national_editor_fr", "secretariat_editor", "administrator", "superuser"}


@pytest.mark.parametrize("role", list(ADMIN_OPENS))
def test_the_pages_each_role_opens_are_the_expected_ones(role, world):
    """The grants: the edit view, the draft, the latest revision and the comparison answer 200."""
    client = client_as(world, role)
    for obj_key, page in world.pages.items():
        urls = [
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
            reverse("wagtailadmin_pages:revisions_view", args=[page.pk, page.latest_revision_id]),
            reverse("wagtailadmin_pages:history", args=[page.pk]),
        ]
        for url in urls:
            response = client.get(url)
            if obj_key in ADMIN_OPENS[role]:
                assert response.status_code == 200, (role, url, response.status_code)
            else:
                assert_denied(response, WORDS[obj_key], (role, url))
        user = getattr(world.users, role, None)
        if user is not None:
            assert may(user, Access.OPEN_IN_ADMIN, page) == (obj_key in ADMIN_OPENS[role])


@pytest.mark.parametrize("role", list(ADMIN_OPENS))
def test_listings_search_choosers_reports_and_api_show_only_what_opens(role, world):
    client = client_as(world, role)
    records = world.pages["published"].get_parent()
    listings = [
        reverse("wagtailadmin_explore", args=[records.pk]),
        reverse("wagtailadmin_explore_results", args=[records.pk]),
        reverse("wagtailadmin_pages:search") + "?q=French",
        reverse("wagtailadmin_pages:search") + "?q=Kenyan",
        reverse("wagtailadmin_choose_page_child", args=[records.pk]),
        reverse("wagtailadmin_choose_page_search") + "?q=mangrove",
        reverse("wagtailadmin_api:pages:listing") + f"?child_of={records.pk}&limit=100",
        reverse("wagtailadmin_api:pages:listing") + "?search=mangrove",
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtaildocs:index") + "?q=pdf",
        reverse("wagtaildocs_chooser:choose") + "?q=pdf",
        reverse("wagtailadmin_api:documents:listing") + "?limit=100",
        reverse("wagtailimages:index") + "?q=photo",
        reverse("wagtailimages:index_results"),
        reverse("wagtailimages_chooser:choose") + "?q=photo",
        reverse("wagtailimages_chooser:choose_results"),
        reverse("wagtailimages_chooser:chosen_multiple") + "?" + "&".join(f"id={i.pk}" for i in world.images.values()),
        reverse("wagtailadmin_api:images:listing") + "?limit=100",
    ]
    explorer = client.get(listings[0]).content.decode(errors="replace")
    for obj_key in ADMIN_OPENS[role]:
        assert WORDS[obj_key] in explorer, (role, obj_key)  # the grants: what opens is listed
    for url in listings:
        response = client.get(url)
        assert response.status_code < 500, (role, url)
        body = response.content.decode(errors="replace")
        for obj_key in ("draft", "review"):
            if obj_key not in ADMIN_OPENS[role]:
                assert WORDS[obj_key] not in body, (role, url, obj_key)
            if obj_key not in READS_FILES[role]:
                assert FILE_WORDS[obj_key] not in body, (role, url, obj_key)
            if obj_key not in READS_IMAGES[role]:
                assert IMAGE_WORDS[obj_key] not in body, (role, url, obj_key)


@pytest.mark.parametrize("role", list(READS_FILES))
def test_documents_are_served_to_their_readers_only_and_as_downloads(role, world):
    client = client_as(world, role)
    for obj_key, document in world.files.items():
        response = client.get(document.url)
        if obj_key == "published":
            assert response.status_code == 200
            continue
        if obj_key in READS_FILES[role]:
            assert response.status_code == 200, (role, obj_key)
            assert response["Content-Disposition"].startswith("attachment")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
        else:
            assert response.status_code in (302, 404), (role, obj_key, response.status_code)
            if response.status_code == 302:
                assert "login" in response["Location"]


def test_stored_files_are_never_served_from_media(world, client, settings):
    """Documents live under the storage's documents/ folder: no public address serves it."""
    for document in world.files.values():
        response = client.get("/media/" + document.file.name)
        assert response.status_code == 404


def _state(page):
    page = Page.objects.filter(pk=page.pk).values("latest_revision_id", "live", "locked", "title", "path").first()
    return page


DENIED_CHANGERS = [
    ("national_editor_fr", "review"),
    ("national_editor_fr", "draft"),
    ("secretariat_editor", "draft"),
    ("administrator", "draft"),
    ("superuser", "draft"),
    ("submitter_ke", "review"),
    ("reviewer_assigned", "review"),
]


@pytest.mark.parametrize(("role", "obj_key"), DENIED_CHANGERS)
def test_revert_delete_unpublish_move_lock_posts_change_nothing(role, obj_key, world):
    client = client_as(world, role)
    page = world.pages[obj_key]
    first_revision = page.revisions.order_by("pk").first()
    before, count = _state(page), Page.objects.count()
    posts = [
        (reverse("wagtailadmin_pages:edit", args=[page.pk]), {"revision": first_revision.pk, "title": "Reverted"}),
        (reverse("wagtailadmin_pages:delete", args=[page.pk]), {}),
        (reverse("wagtailadmin_pages:unpublish", args=[page.pk]), {}),
        (reverse("wagtailadmin_pages:lock", args=[page.pk]), {}),
        (reverse("wagtailadmin_pages:move_confirm", args=[page.pk, page.get_parent().get_parent().pk]), {}),
        (reverse("wagtailadmin_pages:copy", args=[page.pk]), {"new_title": "Copy", "new_slug": "copy-x"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert_denied(response, WORDS[obj_key], (role, url))
    assert _state(page) == before
    assert Page.objects.count() == count


def test_the_secretariat_reads_the_review_but_its_posts_change_nothing(world):
    """Opening is not changing: the lock of the review still refuses every change."""
    client = client_as(world, "secretariat_editor")
    page = world.pages["review"]
    before = _state(page)
    first_revision = page.revisions.order_by("pk").first()
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {"revision": first_revision.pk})
    client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert _state(page) == before
    assert Page.objects.filter(pk=page.pk).exists()


def test_a_national_editor_reaches_only_its_country(world, make_user):
    """Moving the published record to Kenya takes it out of the French editor's reach at once."""
    editor = world.users.national_editor_fr
    page = NeedPage.objects.get(pk=world.pages["published"].pk)
    assert may(editor, Access.OPEN_IN_ADMIN, page)
    page.countries = [Country.objects.get(code="KE")]
    page.save()
    page = NeedPage.objects.get(pk=page.pk)
    assert not may(editor, Access.OPEN_IN_ADMIN, page)
    response = client_as(world, "national_editor_fr").get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert_denied(response, "Save draft", "moved record")


def test_every_page_type_answers_through_the_authority():
    from django.apps import apps

    from workflows.access import AuthorityPagePermissionTester

    page_models = [model for model in apps.get_models() if issubclass(model, Page) and model is not Page]
    user = AnonymousUser()
    for model in page_models:
        tester = model().permissions_for_user(user)
        assert isinstance(tester, AuthorityPagePermissionTester), model


def test_the_expected_table_has_every_role():
    assert set(ADMIN_OPENS) == set(READS_FILES)
    assert re.match(r"^[a-z_]+$", "".join(ADMIN_OPENS))


@pytest.mark.parametrize("role", ["anonymous", "national_editor_fr", "secretariat_editor", "reviewer_other"])
def test_the_search_api_returns_no_draft_and_no_record_under_review(role, world):
    client = client_as(world, role)
    for words in ("seagrass", "mangrove", "Unsubmitted", "Kenyan"):
        response = client.get("/api/search/", {"q": words})
        assert response.status_code == 200
        body = response.content.decode()
        assert DRAFT_WORDS not in body and REVIEW_WORDS not in body
        assert str(world.pages["draft"].pk) not in [str(hit["page_id"]) for hit in response.json()["results"]]


def test_the_proxy_serves_no_document_from_media():
    from pathlib import Path

    conf = (Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "portal.conf").read_text()
    served = re.findall(r"location\s+(\S+)\s*\{([^}]*)\}", conf)
    media = {path: body for path, body in served if path.startswith("/media/")}
    assert set(media) == {"/media/images/", "/media/"}
    assert "return 404" in media["/media/"]
    assert "alias /srv/media/images/" in media["/media/images/"]


def test_development_media_serving_refuses_documents(settings):
    """With DEBUG on, Django serves MEDIA_ROOT, except documents and original images."""
    import importlib

    from django.urls import clear_url_caches, resolve

    import cms.urls

    settings.DEBUG = True
    try:
        importlib.reload(cms.urls)
        clear_url_caches()
        assert resolve("/media/documents/abc.pdf").func is cms.urls.not_a_public_file
        assert resolve("/media/original_images/a.png").func is cms.urls.not_a_public_file
        assert resolve("/media/images/a.width-100.png").func is not cms.urls.not_a_public_file
    finally:
        settings.DEBUG = False
        importlib.reload(cms.urls)
        clear_url_caches()


def test_the_explorer_costs_no_query_per_row_for_the_authority(world):
    """The authority filters and answers in the listing's own query: records out of reach cost nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(world, "national_editor_fr")
    records = world.pages["published"].get_parent()
    url = reverse("wagtailadmin_explore", args=[records.pk])

    def count():
        client.get(url)  # warm the per-request caches of the first call
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    kenya, france = Country.objects.get(code="KE"), Country.objects.get(code="FR")
    for index in range(6):
        NeedFactory(title=f"Extra record {index}", countries=[kenya if index % 2 else france])
    many = count()
    body = client.get(url).content.decode()
    assert "Extra record 0" in body and "Extra record 1" not in body
    # Wagtail's listing (wagtail-localize's translation actions) costs two queries per row shown;
    # the authority's answers and the review lock come with the listing's own query.
    shown = 3
    assert many - few <= 2 * shown, (few, many)
