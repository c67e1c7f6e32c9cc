"""The demo loader: idempotent, and it gives every role someone to log in as."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page

from cms.accounts import roles

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def page_counts() -> dict:
    from django.db.models import Count

    return {
        "pages": Page.objects.count(),
        "live": Page.objects.live().count(),
        "aliases": Page.objects.filter(alias_of__isnull=False).count(),
        "by locale": dict(
            Page.objects.filter(depth__gt=1)  # the tree's root belongs to no language really
            .order_by()
            .values_list("locale__language_code")
            .annotate(n=Count("pk"))
            .values_list("locale__language_code", "n")
        ),
        "users": get_user_model().objects.count(),
    }


def load_demo(**options) -> str:
    out = StringIO()
    call_command("load_demo", scale=0.02, stdout=out, **options)
    return out.getvalue()


def test_load_demo_twice_gives_the_same_content():
    load_demo()
    first = page_counts()
    load_demo()

    assert page_counts() == first
    assert first["pages"] > Page.objects.filter(depth__lte=3).count()  # content beyond the sections


def test_load_demo_gives_every_page_a_version_in_each_language():
    load_demo()

    counts = page_counts()["by locale"]
    assert set(counts) == {"en", "fr", "es", "ar", "ru", "zh-hans"}
    assert len(set(counts.values())) == 1, counts


def test_load_demo_if_empty_leaves_loaded_content_alone():
    before = page_counts()

    output = load_demo(if_empty=True)

    assert "already loaded" in output
    assert page_counts() == before


def test_demo_users_cover_every_role(tmp_path, monkeypatch):
    from cms.demo.management.commands import ensure_admin

    monkeypatch.setattr(ensure_admin, "CREDENTIALS_FILE", tmp_path / "admin-login.txt")
    load_demo()
    out = StringIO()
    call_command("ensure_admin", stdout=out)

    for role in roles.ROLE_NAMES:
        assert Group.objects.get(name=role).user_set.filter(is_active=True).exists(), f"no demo user is {role}"
    assert "Administrator login: admin / " in out.getvalue()
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password("chm-demo-2026")
    assert editor.has_perm("wagtailadmin.access_admin")


def test_load_demo_alone_covers_every_role_but_administrator():
    load_demo()

    for role in roles.ROLE_NAMES:
        if role != roles.ADMINISTRATOR:
            assert Group.objects.get(name=role).user_set.exists(), f"load_demo made no {role}"
