"""Roles: the groups the migrations create, their permissions, and what they let people do."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from cms.accounts import roles

pytestmark = pytest.mark.django_db


def permission_counts() -> dict[str, tuple[int, int, int]]:
    """(model permissions, page permissions, collection permissions) per role."""
    return {
        group.name: (
            group.permissions.count(),
            GroupPagePermission.objects.filter(group=group).count(),
            GroupCollectionPermission.objects.filter(group=group).count(),
        )
        for group in Group.objects.filter(name__in=roles.ROLE_NAMES)
    }


def test_the_five_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Administrator",
        "Editor",
        "Reviewer",
        "Submitter",
        "Award committee",
    }
    assert roles.ROLE_NAMES == ["Administrator", "Editor", "Reviewer", "Submitter", "Award committee"]


def test_wagtail_starter_groups_are_gone():
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()


def replay_first_migrate_post_migrate():
    """What the first ``migrate`` of a new database does once the migrations have run: post_migrate,
    app by app, creates each app's permissions, and the roles' receiver syncs the roles among them.
    Replayed on a database without permissions, it is the same whatever this test database has seen."""
    from django.contrib.auth.models import Permission
    from django.core.management.sql import emit_post_migrate_signal

    Permission.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


def test_first_migrate_leaves_every_role_complete():
    """After ``migrate`` the roles already hold everything ``ensure_roles`` would give them."""
    replay_first_migrate_post_migrate()
    after_migrate = permission_counts()

    roles.ensure_roles()

    assert permission_counts() == after_migrate


def test_ensure_roles_is_idempotent():
    roles.ensure_roles()
    once = permission_counts()
    roles.ensure_roles()
    twice = permission_counts()

    assert once == twice
    assert set(twice) == set(roles.ROLE_NAMES)
    assert twice[roles.EDITOR][1] == len(roles.ROLE_PAGE_PERMISSIONS[roles.EDITOR])


def test_ensure_roles_repairs_a_role():
    roles.ensure_roles()
    complete = permission_counts()
    editor = Group.objects.get(name=roles.EDITOR)
    editor.permissions.clear()
    GroupPagePermission.objects.filter(group=editor).delete()

    roles.ensure_roles()

    assert permission_counts() == complete


def test_every_declared_permission_exists():
    """A typo in ROLE_PERMISSIONS would silently give a role less than intended."""
    from django.contrib.auth.models import Permission

    roles.ensure_roles()
    for role, wanted in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        if wanted == ["*"]:
            assert len(granted) == Permission.objects.count()
        else:
            assert set(wanted) <= granted, f"{role} lacks {set(wanted) - granted}"


def test_roles_hold_their_declared_permissions_after_first_migrate():
    from django.contrib.auth.models import Permission

    replay_first_migrate_post_migrate()

    administrator = Group.objects.get(name=roles.ADMINISTRATOR)
    assert administrator.permissions.count() == Permission.objects.count()
    editor = Group.objects.get(name=roles.EDITOR)
    assert editor.permissions.filter(content_type__app_label="vocabularies", codename="change_language").exists()


def test_editor_uses_the_admin_and_may_publish_anywhere_in_the_tree(client, editor, site_pages):
    client.force_login(editor)

    assert client.get("/admin/").status_code == 200
    for page in (site_pages["home"], site_pages["news"], site_pages["about/contact"]):
        permissions = page.permissions_for_user(editor)
        assert permissions.can_publish(), page.url_path
        assert permissions.can_edit(), page.url_path
    assert client.get(f"/admin/pages/{site_pages['news'].pk}/edit/").status_code == 200


def test_editor_may_publish_translations(editor, site_pages):
    from wagtail.models import Locale

    french_news = site_pages["news"].get_translation(Locale.objects.get(language_code="fr"))

    assert french_news.permissions_for_user(editor).can_publish()


def test_administrator_holds_every_permission(client, administrator, site_pages):
    client.force_login(administrator)

    assert client.get("/admin/").status_code == 200
    assert administrator.has_perm("wagtailadmin.access_admin")
    assert administrator.has_perm("wagtailusers.change_userprofile") or administrator.has_perm("auth.change_user")
    assert site_pages["home"].permissions_for_user(administrator).can_publish()


def assert_refused_admin(response):
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/") or response["Location"].startswith("/en/")


def test_submitter_cannot_use_the_admin(client, submitter, site_pages):
    client.force_login(submitter)

    assert_refused_admin(client.get("/admin/"))
    assert_refused_admin(client.get(f"/admin/pages/{site_pages['news'].pk}/edit/"))
    assert not site_pages["news"].permissions_for_user(submitter).can_publish()
    assert not site_pages["news"].permissions_for_user(submitter).can_edit()


def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
